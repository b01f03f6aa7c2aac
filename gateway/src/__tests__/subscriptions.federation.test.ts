import { writeFile } from 'node:fs/promises';
import { startAccounts } from '@mega/accounts';
import { createPgliteDatabase, ensureLocalCertificates, freePort, postGraphQL, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { SignJWT, type CryptoKey } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type GatewayOptions } from '../app.js';
import { composeSupergraph, type SubgraphSchema } from '../compose.js';
import { accountsSdl, memoryLogger, temporaryFolder } from './support/harness.js';
import { CHAT_PROBE_SDL, MEDIA_PROBE_SDL, startChatProbe, startMediaProbe, type ChatProbe, type ProbeMessage } from './support/subscription-probes.js';

type Accounts = Awaited<ReturnType<typeof startAccounts>>;
type FormattedExecutionResult = { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] };

/** What one client subscription received, and how it ended. */
interface Received {
  results: FormattedExecutionResult[];
  /** Resolves with 'complete', or with the close event / errors that ended it. */
  ended: Promise<'complete' | { code: number; reason: string } | unknown>;
  stop(): void;
}

function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Received {
  const results: FormattedExecutionResult[] = [];
  let stop = () => undefined as void;
  const ended = new Promise((resolve) => {
    stop = client.subscribe({ query, variables }, { next: (result) => void results.push(result as FormattedExecutionResult), error: resolve, complete: () => resolve('complete') });
  });
  return { results, ended, stop };
}

const MESSAGE_ADDED = `subscription($conversationId: ID!) {
  messageAdded(conversationId: $conversationId) { id seq body sender { id displayName } attachments { ... on MediaAsset { id url } } }
}`;

describe('subscriptions through the gateway (graphql-ws), with a chat probe, accounts and a media probe', () => {
  let accounts: Accounts;
  let chat: ChatProbe;
  let media: Awaited<ReturnType<typeof startMediaProbe>>;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  const stoppers: (() => Promise<unknown>)[] = [];
  const clients: Client[] = [];
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let signingKey: { kid: string; privateKey: CryptoKey };
  let url: string;
  let seq = 0;

  async function subgraphs(chatUrl: string, chatSdl = CHAT_PROBE_SDL): Promise<SubgraphSchema[]> {
    return [
      { name: 'accounts', url: accounts.url, sdl: await accountsSdl() },
      { name: 'comms', url: chatUrl, sdl: chatSdl },
      { name: 'media', url: media.url, sdl: MEDIA_PROBE_SDL },
    ];
  }

  /** A gateway on its own supergraph file (returned, so that a test can rewrite it). */
  async function startGateway(chatUrl: string, options: Partial<GatewayOptions> = {}) {
    const file = folder.file(`supergraph-${crypto.randomUUID()}.graphql`);
    await writeFile(file, composeSupergraph(await subgraphs(chatUrl)));
    const gateway = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: file, supergraphWatchDebounceMs: 10, logger: memoryLogger().logger, ...options });
    stoppers.push(() => gateway.stop());
    const address = await gateway.start();
    return { file, url: address.url.replace(/^http/, 'ws'), httpUrl: address.url };
  }

  function connect(gatewayUrl: string, connectionParams?: Record<string, unknown>): Client & { closed: Promise<{ code: number; reason: string }> } {
    let closed!: (event: { code: number; reason: string }) => void;
    const client = createClient({
      url: gatewayUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      ...(connectionParams ? { connectionParams } : {}),
      on: { closed: (event) => closed(event as { code: number; reason: string }) },
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    return Object.assign(client, { closed: new Promise<{ code: number; reason: string }>((resolve) => (closed = resolve)) });
  }

  const message = (conversationId: string, senderId: string, body: string, attachmentIds: string[] = []): ProbeMessage => {
    seq += 1;
    return { conversationId, id: `m${seq}`, seq, body, senderId, attachmentIds };
  };

  async function signUp(handle: string) {
    const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(url.replace(/^ws/, 'http'), {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
      variables: { input: { email: `${handle}@example.com`, password: 'a long enough password', handle, displayName: handle.toUpperCase() } },
    });
    return { id: result.data!.signUp.user.id, token: result.data!.signUp.accessToken };
  }

  async function tokenFor(userId: string, expiresInSeconds: number) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: 'mega-app/accounts', aud: 'mega-app', sub: userId, iat: now, exp: now + expiresInSeconds })
      .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(signingKey.privateKey);
  }

  beforeAll(async () => {
    [accounts, chat, media, folder] = await Promise.all([
      startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: createPgliteDatabase().options }),
      startChatProbe(),
      startMediaProbe(),
      temporaryFolder(),
    ]);
    stoppers.push(() => accounts.stop(), () => chat.stop(), () => media.stop(), () => folder.remove());
    ({ url } = await startGateway(chat.url, { subscriptions: { maxSubscriptionsPerConnection: 3 } }));
    [alice, bob] = await Promise.all([signUp('alice'), signUp('bob')]);
    signingKey = await accounts.services.signingKeys.current();
    chat.members.set('with-alice', new Set([alice.id]));
    chat.members.set('with-bob', new Set([bob.id]));
    chat.members.set('both', new Set([alice.id, bob.id]));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  });

  it('delivers an event with fields from three subgraphs (comms, accounts, media)', async () => {
    const client = connect(url, { authorization: `Bearer ${alice.token}` });
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    const sent = message('with-alice', alice.id, 'hello', ['a1']);
    chat.publish(sent);
    await expect.poll(() => received.results.length).toBe(1);
    expect(received.results[0]).toEqual({
      data: {
        messageAdded: {
          id: sent.id,
          seq: sent.seq,
          body: 'hello',
          sender: { id: alice.id, displayName: 'ALICE' },
          attachments: [{ id: 'a1', url: 'https://media.example/a1.png' }],
        },
      },
    });
    received.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('never gives a user the events of a conversation they are not in', async () => {
    const client = connect(url, { token: bob.token });
    const refused = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    expect(await refused.ended).toBe('complete');
    expect(refused.results.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(refused.results.every((result) => !result.data)).toBe(true);

    const own = collect(client, MESSAGE_ADDED, { conversationId: 'with-bob' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('with-alice', alice.id, 'for alice only'));
    chat.publish(message('with-bob', bob.id, 'for bob'));
    await expect.poll(() => own.results.length).toBe(1);
    expect(own.results.map((result) => (result.data?.messageAdded as { body: string }).body)).toEqual(['for bob']);
    own.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('ends the subscription of a member removed from the conversation with the subgraph\'s error, then completes', async () => {
    chat.members.set('leaving', new Set([alice.id, bob.id]));
    const received = collect(connect(url, { token: bob.token }), MESSAGE_ADDED, { conversationId: 'leaving' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('leaving', alice.id, 'still here'));
    await expect.poll(() => received.results.length).toBe(1);
    chat.members.get('leaving')!.delete(bob.id);
    chat.publish(message('leaving', alice.id, 'after bob left'));
    expect(await received.ended).toBe('complete');
    expect(received.results.map((result) => (result.data?.messageAdded as { body: string } | undefined)?.body ?? result.errors?.[0]?.extensions?.code)).toEqual([
      'still here',
      'FORBIDDEN',
    ]);
    expect(received.results[1]?.errors?.[0]?.extensions?.serviceName).toBe('comms');
  });

  it('shares one subgraph connection among users and one upstream subscription among identical ones', async () => {
    const aliceClient = connect(url, { token: alice.token });
    const bobClient = connect(url, { token: bob.token });
    const first = collect(aliceClient, MESSAGE_ADDED, { conversationId: 'both' });
    const second = collect(aliceClient, MESSAGE_ADDED, { conversationId: 'both' });
    const bobs = collect(bobClient, MESSAGE_ADDED, { conversationId: 'both' });
    await expect.poll(() => chat.subscriptions).toBe(2); // alice's two are one upstream; bob's is another
    expect(chat.connections).toBe(1);
    chat.publish(message('both', bob.id, 'to both'));
    for (const received of [first, second, bobs]) await expect.poll(() => received.results.length).toBe(1);
    first.stop();
    chat.publish(message('both', bob.id, 'again'));
    await expect.poll(() => second.results.length).toBe(2);
    second.stop();
    bobs.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('opens a subscription on the next comms instance when the first refuses the connection, without the client noticing', async () => {
    const down = `http://127.0.0.1:${await freePort()}/graphql`; // nothing listens there
    // A fresh gateway's first pick is its first URL: the one that is down.
    const gateway = await startGateway(chat.url, { subgraphUrls: { comms: [down, chat.url] } });
    const client = connect(gateway.url, { authorization: `Bearer ${alice.token}` });
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('with-alice', alice.id, 'from the live instance'));
    await expect.poll(() => received.results.length).toBe(1);
    expect(received.results[0]?.errors).toBeUndefined();
    expect(received.results[0]?.data).toMatchObject({ messageAdded: { body: 'from the live instance' } });
    received.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('answers UNAUTHENTICATED, then completes, to an anonymous connection subscribing to a private field', async () => {
    const received = collect(connect(url), MESSAGE_ADDED, { conversationId: 'with-alice' });
    expect(await received.ended).toBe('complete');
    expect(received.results.flatMap((result) => result.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.serviceName])).toEqual([
      ['UNAUTHENTICATED', 'comms'],
    ]);
  });

  it.each([
    ['a malformed token', { token: 'not-a-token' }],
    ['an expired token', null],
    ['an Authorization that is not Bearer', { authorization: 'Basic abc' }],
  ])('closes the connection with 4401 on %s', async (_name, params) => {
    const client = connect(url, params ?? { token: await tokenFor(alice.id, -60) });
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/access token/i);
  });

  it('closes with 4401 when the token expires during the connection, after working until then', async () => {
    const client = connect(url, { token: await tokenFor(alice.id, 2) });
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('with-alice', alice.id, 'before expiry'));
    await expect.poll(() => received.results.length).toBe(1);
    const closed = await client.closed;
    expect(closed).toMatchObject({ code: 4401, reason: 'The access token expired; reconnect with a fresh one.' });
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('serves the same endpoint as WSS when TLS is on, to clients that trust its CA only', async () => {
    const certificates = await ensureLocalCertificates(folder.file('tls'));
    const { url: secure } = await startGateway(chat.url, { tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
    expect(secure).toMatch(/^wss:\/\//);
    class TrustingWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { ca: certificates.ca });
      }
    }
    const client = createClient({ url: secure, webSocketImpl: TrustingWebSocket, retryAttempts: 0, connectionParams: { token: alice.token } });
    clients.push(client);
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('with-alice', alice.id, 'over tls'));
    await expect.poll(() => received.results.length).toBe(1);
    expect((received.results[0]?.data?.messageAdded as { body: string }).body).toBe('over tls');
    received.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);

    // A client that does not trust the local CA is refused during the TLS handshake.
    const untrusting = new WebSocket(secure, 'graphql-transport-ws');
    const failure = await new Promise<Error>((resolve) => untrusting.on('error', resolve));
    expect((failure as Error & { code?: string }).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it('refuses a cross-site page (Origin not allowed) with 4403', async () => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: alice.token } })));
    const code = await new Promise<number>((resolve) => socket.on('close', resolve));
    expect(code).toBe(4403);
  });

  it('applies the operation limits and refuses queries over the WebSocket', async () => {
    const { url: limited } = await startGateway(chat.url, { armor: { maxDepth: 2, maxAliases: 1 } });
    const client = connect(limited, { token: alice.token });
    const deep = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    expect(await deep.ended).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth', max: 2 } }]);
    const aliased = collect(client, 'subscription { a: messageAdded(conversationId: "x") { b: id } }');
    expect(await aliased.ended).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' } }]);
    const unknown = collect(client, 'subscription { messageAdde(conversationId: "x") { id } }');
    const [error] = (await unknown.ended) as { message: string }[];
    expect(error?.message).not.toMatch(/Did you mean/);
    const query = collect(client, '{ chatProbe }');
    expect(await query.ended).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('refuses a subscription over the per-connection limit with TOO_MANY_SUBSCRIPTIONS, and accepts one again after a completion', async () => {
    const client = connect(url, { token: alice.token });
    const open = ['a', 'b', 'c'].map((id) => collect(client, MESSAGE_ADDED.replace('messageAdded', `${id}: messageAdded`), { conversationId: 'with-alice' }));
    await expect.poll(() => chat.subscriptions).toBe(3);
    const extra = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    expect(await extra.ended).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'maxSubscriptionsPerConnection', max: 3 } }]);
    open[0]!.stop();
    await expect.poll(() => chat.subscriptions).toBe(2);
    collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(3);
    for (const received of open) received.stop();
    client.terminate();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('counts subscriptions of one user across connections against maxSubscriptionsPerUser', async () => {
    const { url: limited } = await startGateway(chat.url, { subscriptions: { maxSubscriptionsPerUser: 2 } });
    const [first, second] = [connect(limited, { token: alice.token }), connect(limited, { token: alice.token })];
    const open = [collect(first, MESSAGE_ADDED, { conversationId: 'with-alice' }), collect(second, MESSAGE_ADDED, { conversationId: 'both' })];
    await expect.poll(() => chat.subscriptions).toBe(2);
    const extra = collect(second, MESSAGE_ADDED, { conversationId: 'with-alice' });
    expect(await extra.ended).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'maxSubscriptionsPerUser', max: 2 } }]);
    const bobs = collect(connect(limited, { token: bob.token }), MESSAGE_ADDED, { conversationId: 'with-bob' });
    await expect.poll(() => chat.subscriptions).toBe(3);
    first.terminate(); // a closed connection gives its subscriptions back
    await expect.poll(() => chat.subscriptions).toBe(2);
    collect(second, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(3);
    for (const received of [...open, bobs]) received.stop();
    second.terminate();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('counts each subscribe against the per-user rate limit (RATE_LIMITED)', async () => {
    const { url: limited } = await startGateway(chat.url, { rateLimits: { perUser: { points: 1, durationSeconds: 60 } } });
    const client = connect(limited, { token: alice.token });
    const allowed = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    const refused = collect(client, MESSAGE_ADDED, { conversationId: 'both' });
    expect(await refused.ended).toMatchObject([{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }]);
    allowed.stop();
    await expect.poll(() => chat.subscriptions).toBe(0);
  });

  it('completes live subscriptions with SUPERGRAPH_RELOADED when the supergraph changes, and serves the new one', async () => {
    const { file, url: reloading } = await startGateway(chat.url);
    const client = connect(reloading, { token: alice.token });
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    await writeFile(file, composeSupergraph(await subgraphs(chat.url, CHAT_PROBE_SDL.replace('chatProbe: String', 'chatProbe: String chatVersion: Int'))));
    expect(await received.ended).toBe('complete');
    expect(received.results.at(-1)?.errors?.map((error) => error.extensions?.code)).toEqual(['SUPERGRAPH_RELOADED']);
    await expect.poll(() => chat.subscriptions).toBe(0);

    const again = collect(client, MESSAGE_ADDED, { conversationId: 'with-alice' });
    await expect.poll(() => chat.subscriptions).toBe(1);
    chat.publish(message('with-alice', alice.id, 'after reload'));
    await expect.poll(() => again.results.length).toBe(1);
    again.stop();
  });

  it('ends subscriptions with SUBGRAPH_UNAVAILABLE (serviceName comms) and completes them when the subgraph goes away', async () => {
    const doomed = await startChatProbe();
    doomed.members.set('doomed', new Set([alice.id]));
    const { url: gatewayUrl } = await startGateway(doomed.url);
    const client = connect(gatewayUrl, { token: alice.token });
    const received = collect(client, MESSAGE_ADDED, { conversationId: 'doomed' });
    await expect.poll(() => doomed.subscriptions).toBe(1);
    await doomed.stop();
    expect(await received.ended).toBe('complete');
    expect(received.results.at(-1)?.errors?.map((error) => [error.extensions?.code, error.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'comms']]);

    const later = collect(client, MESSAGE_ADDED, { conversationId: 'doomed' });
    expect(await later.ended).toBe('complete');
    expect(later.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
  });
});
