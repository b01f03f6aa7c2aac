/**
 * `pnpm soak:chat` (not a test): three clients chat in one conversation through the gateway for
 * SOAK_SECONDS (default 300) while each one's connections (HTTP and WebSocket) are cut at random
 * every few seconds, sometimes with a short refusal to reconnect. Each client sends with a
 * clientMutationId and retries a send that failed on the network with the same id; it listens with
 * `messageAdded(afterSeq)` and, after every cut, resubscribes from the last seq it holds, dropping
 * a message it already has by id (the documented at-least-once across reconnects).
 *
 * At the end (cuts stopped, every send confirmed, every client caught up) it checks that every
 * client holds exactly the server's messages, in seq order, that every message sent is stored
 * exactly once, and prints the figures (docs/benchmarks.md#chat-under-cut-connections).
 *
 * Env: SOAK_SECONDS (300), SOAK_CUT_MIN_MS (2000), SOAK_CUT_MAX_MS (6000), SOAK_SEND_MIN_MS (500), SOAK_SEND_MAX_MS (2000).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import { Agent, fetch } from 'undici';
import WebSocket from 'ws';
import { DEMO_USERS, startFederation } from '@mega/test-utils';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const CUT_MIN_MS = Number(process.env.SOAK_CUT_MIN_MS ?? 2000);
const CUT_MAX_MS = Number(process.env.SOAK_CUT_MAX_MS ?? 6000);
const SEND_MIN_MS = Number(process.env.SOAK_SEND_MIN_MS ?? 500);
const SEND_MAX_MS = Number(process.env.SOAK_SEND_MAX_MS ?? 2000);
const between = (min: number, max: number) => min + Math.random() * (max - min);

/** A TCP proxy in front of the gateway that cuts every connection through it on demand, and can refuse new ones for a while. */
class CuttingProxy {
  private readonly sockets = new Set<Socket>();
  private refusingUntil = 0;
  cuts = 0;
  readonly server: Server;

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      if (Date.now() < this.refusingUntil) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target, '127.0.0.1');
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  /** Cuts every connection now; with `refuseMs`, refuses new ones for that long. */
  cut(refuseMs = 0): void {
    this.cuts++;
    this.refusingUntil = Date.now() + refuseMs;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}

interface Received {
  id: string;
  seq: number;
  body: string;
}

const MESSAGE_ADDED = 'subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { id seq body } }';
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }';

/** One simulated user: sends now and then, listens always, both through its own cutting proxy. */
class SoakClient {
  readonly received = new Map<string, Received>();
  lastSeq: number;
  redelivered = 0;
  outOfOrder = 0;
  sent = 0;
  sendRetries = 0;
  resubscribes = 0;
  private token = '';
  private running = true;
  private ws: Client | undefined;
  private readonly agent = new Agent({ keepAliveTimeout: 1000 });

  constructor(
    readonly name: string,
    private readonly user: { email: string; password: string },
    private readonly url: string,
    private readonly conversationId: string,
    startSeq: number,
  ) {
    this.lastSeq = startSeq;
  }

  /** POSTs `body` until the gateway answers (the proxy may cut it any time); a GraphQL error is thrown. */
  private async post<T>(body: object, authorized = true): Promise<T> {
    for (;;) {
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          dispatcher: this.agent,
          headers: { 'content-type': 'application/json', ...(authorized ? { authorization: `Bearer ${this.token}` } : {}) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        const result = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
        if (result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && authorized) {
          await this.logIn();
          continue;
        }
        if (result.errors || !result.data) throw new Error(`${this.name}: ${JSON.stringify(result.errors)}`);
        return result.data;
      } catch (error) {
        if ((error as Error).message.startsWith(`${this.name}:`)) throw error;
        this.sendRetries++;
        await sleep(between(200, 1000));
      }
    }
  }

  async logIn(): Promise<void> {
    const data = await this.post<{ logIn: { accessToken: string } }>(
      { query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }', variables: { e: this.user.email, p: this.user.password } },
      false,
    );
    this.token = data.logIn.accessToken;
  }

  /** Listens from the last seq held; after each end (a cut), again from the new last seq. */
  async listen(): Promise<void> {
    while (this.running) {
      this.ws = createClient({ url: this.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: () => ({ authorization: `Bearer ${this.token}` }) });
      await new Promise<void>((resolve) => {
        this.ws!.subscribe<{ messageAdded: Received }>(
          { query: MESSAGE_ADDED, variables: { id: this.conversationId, after: this.lastSeq } },
          {
            next: ({ data }) => {
              const message = data?.messageAdded;
              if (!message) return;
              if (this.received.has(message.id)) {
                this.redelivered++;
                return;
              }
              if (message.seq <= this.lastSeq) this.outOfOrder++;
              this.received.set(message.id, message);
              this.lastSeq = Math.max(this.lastSeq, message.seq);
            },
            error: () => resolve(),
            complete: () => resolve(),
          },
        );
      });
      await this.ws.dispose();
      if (!this.running) return;
      this.resubscribes++;
      await sleep(between(100, 500));
    }
  }

  /** Sends until stopped; a send that fails on the network is sent again with the same clientMutationId. */
  async talk(until: number): Promise<void> {
    while (Date.now() < until) {
      await sleep(between(SEND_MIN_MS, SEND_MAX_MS));
      const n = ++this.sent;
      const id = `${this.name}-${n}`;
      await this.post({ query: SEND, variables: { input: { conversationId: this.conversationId, body: id, clientMutationId: id } } });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.ws?.dispose();
    await this.agent.close();
  }
}

async function main() {
  const federation = await startFederation({ seed: true });
  const gatewayPort = Number(new URL(federation.gatewayUrl).port);
  const observer = new SoakClient('observer', DEMO_USERS.alice, federation.gatewayUrl, '', 0);
  await observer.logIn();
  const conversations = await (observer as unknown as { post<T>(body: object): Promise<T> }).post<{ conversations: { edges: { node: { id: string; title: string | null } }[] } }>({
    query: '{ conversations(first: 50) { edges { node { id title } } } }',
  });
  const conversationId = conversations.conversations.edges.find(({ node }) => node.title === 'Weekend trip')!.node.id;
  /** The conversation's messages, all of them, in seq order: the newest page, then back into history with `before`. */
  const serverMessages = async () => {
    const pages: Received[][] = [];
    let before: string | null = null;
    for (;;) {
      const page: { conversation: { messages: { edges: { node: Received }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string | null } } } } = await (
        observer as unknown as { post<T>(body: object): Promise<T> }
      ).post({
        query: 'query($id: ID!, $before: String) { conversation(id: $id) { messages(first: 100, before: $before) { edges { node { id seq body } } pageInfo { hasPreviousPage startCursor } } } }',
        variables: { id: conversationId, before },
      });
      pages.unshift(page.conversation.messages.edges.map((edge) => edge.node));
      if (!page.conversation.messages.pageInfo.hasPreviousPage || !page.conversation.messages.pageInfo.startCursor) return pages.flat();
      before = page.conversation.messages.pageInfo.startCursor;
    }
  };
  const before = await serverMessages();
  const startSeq = before.at(-1)?.seq ?? 0;
  const afterStart = async () => (await serverMessages()).filter((message) => message.seq > startSeq);

  const clients: { client: SoakClient; proxy: CuttingProxy }[] = [];
  for (const [name, user] of [
    ['alice', DEMO_USERS.alice],
    ['bob', DEMO_USERS.bob],
    ['carol', DEMO_USERS.carol],
  ] as const) {
    const proxy = new CuttingProxy(gatewayPort);
    const port = await proxy.listen();
    const client = new SoakClient(name, user, `http://127.0.0.1:${port}/graphql`, conversationId, startSeq);
    await client.logIn();
    clients.push({ client, proxy });
  }

  console.log(`Soak: 3 clients in one conversation for ${SECONDS} s, connections cut every ${CUT_MIN_MS}-${CUT_MAX_MS} ms per client`);
  const started = Date.now();
  const until = started + SECONDS * 1000;
  let cutting = true;
  const cutters = clients.map(async ({ proxy }) => {
    while (cutting && Date.now() < until) {
      await sleep(between(CUT_MIN_MS, CUT_MAX_MS));
      if (cutting) proxy.cut(Math.random() < 0.3 ? between(200, 2000) : 0);
    }
  });
  const listening = clients.map(({ client }) => client.listen());
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`  ${seconds} s: ${clients.map(({ client, proxy }) => `${client.name} sent ${client.sent}, holds ${client.received.size}, cut ${proxy.cuts}×`).join('; ')}`);
  }, 30_000);
  await Promise.all(clients.map(({ client }) => client.talk(until)));
  cutting = false;
  await Promise.all(cutters);
  clearInterval(progress);

  // Every send is confirmed (talk returned); wait until every client holds the server's last seq.
  const expected = await afterStart();
  const lastSeq = expected.at(-1)?.seq ?? startSeq;
  const deadline = Date.now() + 60_000;
  while (clients.some(({ client }) => client.lastSeq < lastSeq) && Date.now() < deadline) await sleep(200);

  const problems: string[] = [];
  const sentBodies = clients.flatMap(({ client }) => Array.from({ length: client.sent }, (_, i) => `${client.name}-${i + 1}`));
  const stored = new Map<string, number>();
  for (const message of expected) stored.set(message.body, (stored.get(message.body) ?? 0) + 1);
  for (const body of sentBodies) if (stored.get(body) !== 1) problems.push(`"${body}" is stored ${stored.get(body) ?? 0} times`);
  if (expected.length !== sentBodies.length) problems.push(`the server holds ${expected.length} messages for ${sentBodies.length} sent`);
  const expectedIds = expected.map((message) => message.id);
  for (const { client } of clients) {
    const held = [...client.received.values()].sort((a, b) => a.seq - b.seq).map((message) => message.id);
    if (held.join() !== expectedIds.join()) problems.push(`${client.name} holds ${held.length} messages, the server ${expectedIds.length} (missing ${expectedIds.filter((id) => !client.received.has(id)).length})`);
    if (client.outOfOrder > 0) problems.push(`${client.name} got ${client.outOfOrder} messages out of order within a subscription`);
  }
  const seqs = expected.map((message) => message.seq);
  if (seqs.some((seq, index) => index > 0 && seq !== seqs[index - 1]! + 1)) problems.push('the stored seqs have gaps');

  const report = {
    seconds: SECONDS,
    messages: expected.length,
    clients: clients.map(({ client, proxy }) => ({
      name: client.name,
      sent: client.sent,
      holds: client.received.size,
      cuts: proxy.cuts,
      resubscribes: client.resubscribes,
      redeliveredAndDropped: client.redelivered,
      retriedRequests: client.sendRetries,
    })),
    problems: problems.slice(0, 20),
  };
  console.log(`
Soak ended after ${Math.round((Date.now() - started) / 1000)} s: ${expected.length} messages stored for ${sentBodies.length} sent
${report.clients.map((c) => `  ${c.name.padEnd(6)} sent ${c.sent}, holds ${c.holds}, connections cut ${c.cuts}×, resubscribed ${c.resubscribes}×, ${c.redeliveredAndDropped} redelivered (dropped by id), ${c.retriedRequests} requests retried`).join('\n')}
${problems.length === 0 ? 'Every client holds the same messages as the server, in order; none lost, none duplicated.' : `PROBLEMS (${problems.length}):\n${problems.slice(0, 20).map((p) => `  - ${p}`).join('\n')}`}
`);
  console.log(JSON.stringify(report));
  for (const { client, proxy } of clients) {
    await client.stop();
    proxy.close();
  }
  await Promise.all(listening);
  await observer.stop();
  await federation.stop();
  process.exitCode = problems.length === 0 ? 0 : 1;
}

await main();
