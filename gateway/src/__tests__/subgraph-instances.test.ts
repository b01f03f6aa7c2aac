import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { writeFile } from 'node:fs/promises';
import { startAccounts } from '@mega/accounts';
import { eventually, freePort, postGraphQL, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { graphql, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../app.js';
import { composeSupergraph } from '../compose.js';
import { mayResend } from '../upstream/resend-safety.js';
import { CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN } from '../upstream/subgraph-instances.js';
import { accountsSdl, memoryLogger, temporaryFolder } from './support/harness.js';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { instance: String! }
  type Mutation { record(note: String!, clientMutationId: String): String! }
`;

/**
 * One instance of a tiny subgraph: answers `instance` with its name and records every `record`
 * it receives (`hung`: nothing). `stop()` frees its port (connections refused) until `start()` listens there again;
 * with `resetAfterReading` it reads each GraphQL request, then drops the connection unanswered.
 */
interface Instance {
  name: string;
  url: string;
  /** Queries answered. */
  queries: number;
  /** Notes of every `record` that arrived (answered or not). */
  received: string[];
  resetAfterReading: boolean;
  /** Answers nothing, /readyz included, as a hung process (its requests are held until it stops). */
  hung: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function startInstance(name: string): Promise<Instance> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: { Query: { instance: () => name }, Mutation: { record: (_: unknown, { note }: { note: string }) => `${note}@${name}` } } as GraphQLResolverMap<unknown>,
  });
  let server: Server | undefined;
  let port = 0;
  const instance: Instance = {
    name,
    url: '',
    queries: 0,
    received: [],
    resetAfterReading: false,
    hung: false,
    async start() {
      server = createServer((req: IncomingMessage, res) => {
        if (instance.hung) return;
        if (req.url === '/readyz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { query: string; variables?: Record<string, unknown> };
          if (body.query.includes('record')) instance.received.push(String(body.variables?.note ?? /note:"([^"]*)"/.exec(body.query)?.[1]));
          else if (body.query.includes('instance')) instance.queries += 1;
          if (instance.resetAfterReading && !body.query.includes('_service')) return void req.socket.destroy();
          void graphql({ schema, source: body.query, variableValues: body.variables ?? {} }).then((result) =>
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
          );
        });
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
      instance.url = `http://127.0.0.1:${port}/graphql`;
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      const closed = once(closing, 'close');
      closing.close();
      closing.closeAllConnections();
      await closed;
    },
  };
  await instance.start();
  return instance;
}

describe('a subgraph with two instances behind the gateway', () => {
  let one: Instance;
  let two: Instance;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  const gateways: Gateway[] = [];
  const log = memoryLogger();

  /** A gateway calling `urls` (in this order: its first request goes to the first) for the subgraph. */
  async function gatewayFor(urls: string[], healthCheckIntervalMs = 50, subgraphTimeoutMs?: number): Promise<string> {
    const gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      supergraph: folder.file('supergraph.graphql'),
      subgraphUrls: { things: urls },
      subgraphHealthCheckIntervalMs: healthCheckIntervalMs,
      subgraphTimeoutMs,
      rateLimits: false,
      subscriptions: false,
      logger: log.logger,
    });
    gateways.push(gateway);
    return (await gateway.start()).url;
  }

  const record = `mutation($note: String!, $id: String) { record(note: $note, clientMutationId: $id) }`;

  beforeAll(async () => {
    [one, two, folder] = await Promise.all([startInstance('one'), startInstance('two'), temporaryFolder()]);
    await writeFile(folder.file('supergraph.graphql'), composeSupergraph([{ name: 'things', url: 'http://unused.invalid/graphql', sdl: SDL }]));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await Promise.all([one?.stop(), two?.stop(), folder?.remove()]);
  });

  it('spreads requests round-robin, keeps answering while one instance is stopped, and uses it again once it is back', async () => {
    const url = await gatewayFor([one.url, two.url]);
    let asked = 0;
    // Each with its own operation name: identical queries in flight at once would share one fetch.
    const ask = () => postGraphQL<{ instance: string }>(url, { query: `query Ask${(asked += 1)} { instance }` });
    const first = await Promise.all([ask(), ask(), ask(), ask()]);
    expect(first.map((result) => result.data?.instance).sort()).toEqual(['one', 'one', 'two', 'two']);

    await two.stop();
    // Two at once: one of them is sent to `two` first. A mutation without clientMutationId whose
    // connection was refused never left: it goes to the other instance.
    const mutations = await Promise.all(['m1', 'm2'].map((note) => postGraphQL<{ record: string }>(url, { query: record, variables: { note } })));
    expect(mutations.map((result) => result.data?.record)).toEqual(['m1@one', 'm2@one']);
    expect(log.records.filter((entry) => entry.msg === 'subgraph instance marked down' && entry.url === two.url)).toEqual([
      expect.objectContaining({ reason: 'ECONNREFUSED' }),
    ]);
    const during = await Promise.all(Array.from({ length: 6 }, ask));
    expect(during.map((result) => result.errors)).toEqual(Array(6).fill(undefined));
    expect(during.map((result) => result.data?.instance)).toEqual(Array(6).fill('one'));

    await two.start();
    await eventually(async () => {
      const results = await Promise.all([ask(), ask()]);
      expect(results.map((result) => result.data?.instance).sort()).toEqual(['one', 'two']);
    });
  });

  it(`takes an instance that lets ${CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN} requests in a row time out out of rotation, without resending them, until its /readyz answers`, async () => {
    const url = await gatewayFor([two.url, one.url], 50, 300);
    two.hung = true;
    try {
      let asked = 0;
      const ask = () => postGraphQL<{ instance: string }>(url, { query: `query Hung${(asked += 1)} { instance }` });
      // Round-robin from `two`: every other request goes to it and times out; none is sent again.
      const results = [];
      for (let i = 0; i < 2 * CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN; i++) results.push(await ask());
      expect(results.map((result) => result.data?.instance ?? result.errors?.[0]?.extensions?.code)).toEqual(
        Array.from({ length: 2 * CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN }, (_, i) => (i % 2 === 0 ? 'SUBGRAPH_UNAVAILABLE' : 'one')),
      );
      expect(log.records.filter((entry) => entry.msg === 'subgraph instance marked down' && entry.url === two.url).at(-1)).toMatchObject({
        reason: `${CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN} timeouts in a row`,
      });
      // Marked down, and its /readyz does not answer either: everything goes to `one`.
      const during = await Promise.all(Array.from({ length: 4 }, ask));
      expect(during.map((result) => result.data?.instance)).toEqual(Array(4).fill('one'));
    } finally {
      two.hung = false;
    }
    await eventually(async () => {
      const results = await Promise.all([
        postGraphQL<{ instance: string }>(url, { query: 'query Back1 { instance }' }),
        postGraphQL<{ instance: string }>(url, { query: 'query Back2 { instance }' }),
      ]);
      expect(results.map((result) => result.data?.instance).sort()).toEqual(['one', 'two']);
    });
  });

  it('never sends a mutation without clientMutationId twice when it may have reached an instance, and resends queries and ones with an id', async () => {
    two.resetAfterReading = true;
    try {
      // The gateway's first request goes to its first URL: `two`, which reads it and drops the connection.
      const unsafe = await postGraphQL<{ record: string }>(await gatewayFor([two.url, one.url], 60_000), { query: record, variables: { note: 'once' } });
      expect(unsafe.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(two.received).toContain('once');
      expect(one.received).not.toContain('once');

      const withId = await postGraphQL<{ record: string }>(await gatewayFor([two.url, one.url], 60_000), { query: record, variables: { note: 'idempotent', id: 'cm-1' } });
      expect(withId.data?.record).toBe('idempotent@one');
      expect(two.received).toContain('idempotent');

      const queriesOfOne = one.queries;
      const query = await postGraphQL<{ instance: string }>(await gatewayFor([two.url, one.url], 60_000), { query: '{ instance }' });
      expect(query.data?.instance).toBe('one');
      expect(one.queries).toBe(queriesOfOne + 1);
    } finally {
      two.resetAfterReading = false;
    }
  });
});

describe('two accounts instances, the first one down', () => {
  it('verifies access tokens with the keys of the instance that answers', async () => {
    const [accounts, folder] = await Promise.all([startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: {} }), temporaryFolder()]);
    const gateways: Gateway[] = [];
    try {
      await writeFile(folder.file('supergraph.graphql'), composeSupergraph([{ name: 'accounts', url: accounts.url, sdl: await accountsSdl() }]));
      const start = async (subgraphUrls: Record<string, string | string[]>) => {
        const gateway = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: folder.file('supergraph.graphql'), subgraphUrls, logger: memoryLogger().logger });
        gateways.push(gateway);
        return (await gateway.start()).url;
      };
      const signedUp = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(await start({}), {
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
        variables: { input: { email: 'keys@example.com', password: 'correct horse battery', handle: 'keys', displayName: 'Keys' } },
      });
      const down = `http://127.0.0.1:${await freePort()}/graphql`;
      // The gateway's first token check asks the first accounts instance for the keys: it is down.
      const url = await start({ accounts: [down, accounts.url] });
      const me = await postGraphQL<{ me: { id: string } }>(url, { query: '{ me { id } }' }, { authorization: `Bearer ${signedUp.data!.signUp.accessToken}` });
      expect(me).toMatchObject({ status: 200, data: { me: { id: signedUp.data!.signUp.user.id } } });
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all([accounts.stop(), folder.remove()]);
    }
  });
});

describe('mayResend', () => {
  const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

  it('allows queries and mutations whose every field carries a clientMutationId, nothing else', () => {
    expect(mayResend(body('query($representations:[_Any!]!){_entities(representations:$representations){__typename}}'))).toBe(true);
    expect(mayResend(body('{ me { id } }'))).toBe(true);
    expect(mayResend(body('mutation($input:SendMessageInput!){sendMessage(input:$input){id}}', { input: { clientMutationId: 'c1' } }))).toBe(true);
    expect(mayResend(body('mutation($c:String!){checkout(clientMutationId:$c){id}}', { c: 'c2' }))).toBe(true);
    expect(mayResend(body('mutation{checkout(clientMutationId:"c3"){id}}'))).toBe(true);
    expect(mayResend(body('mutation($input:SendMessageInput!){sendMessage(input:$input){id}}', { input: { body: 'hi' } }))).toBe(false);
    expect(mayResend(body('mutation($c:String){checkout(clientMutationId:$c){id}}', { c: null }))).toBe(false);
    expect(mayResend(body('mutation($c:String!){checkout(clientMutationId:$c){id} addToCart(productId:"p",quantity:1){version}}', { c: 'c4' }))).toBe(false);
    expect(mayResend('not json')).toBe(false);
  });
});
