/**
 * Child process of the fan-out benchmark: Hive Gateway (@graphql-hive/gateway from npm) over our
 * subgraphs, served the way its own CLI serves it (node:http with the runtime as the handler, and
 * graphql-ws on the GraphQL endpoint through the runtime's getGraphQLWSOptions).
 *
 * Our subgraphs accept only requests the gateway signed (docs/security.md), so Hive gets what our
 * gateway does, written for Hive's extension points:
 * - authentication: the bearer token (header or `connectionParams.authorization`) verified against
 *   the accounts JWKS with jose. Hive's JWT plugin uses jsonwebtoken, which has no EdDSA;
 * - HTTP to subgraphs: an `onFetch` hook adds the signed identity headers;
 * - WebSocket to subgraphs: a `ws` transport with one graphql-ws client per subgraph (as Hive's own
 *   transport-ws keeps one per URL), run through Hive's own graphql-ws executor; only the socket
 *   class differs (it signs the upgrade) and each `subscribe` carries the user's signed identity.
 *
 * Environment: PORT, GATEWAY_SECRET, SUPERGRAPH_FILE, SUBGRAPH_URLS (name=url,...), JWKS_URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime, getGraphQLWSOptions, HTTPTransport, type GatewayPlugin } from '@graphql-hive/gateway';
import { buildGraphQLWSExecutor } from '@graphql-tools/executor-graphql-ws';
import { serializeExecutionRequest } from '@graphql-tools/executor-common';
import { normalizeNodeRequest } from '@whatwg-node/server';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { WebSocket, WebSocketServer } from 'ws';
import { signIdentity, signSubscription, SUBSCRIPTION_IDENTITY_EXTENSION, type Identity } from '@mega/subgraph-kit/identity';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const secret = env('GATEWAY_SECRET');
const port = Number(env('PORT'));
const subgraphUrls = Object.fromEntries(env('SUBGRAPH_URLS').split(',').map((pair) => pair.split('=') as [string, string]));
const jwks = createRemoteJWKSet(new URL(env('JWKS_URL')));

interface BenchContext {
  userId?: string | null;
  connectionParams?: Record<string, unknown>;
  request?: Request;
}

const identityOf = (context: BenchContext | undefined): Identity => ({ userId: context?.userId ?? null, requestId: randomUUID(), clientIp: '127.0.0.1' });

const authenticate: GatewayPlugin<BenchContext> = {
  async onContextBuilding({ context, extendContext }) {
    if (context.userId !== undefined) return;
    const fromSocket = context.connectionParams?.authorization;
    const header = typeof fromSocket === 'string' ? fromSocket : context.request?.headers.get('authorization');
    if (!header) return extendContext({ userId: null });
    const { payload } = await jwtVerify(header.replace(/^Bearer /i, ''), jwks, { issuer: 'mega-app/accounts', audience: 'mega-app' });
    extendContext({ userId: payload.sub ?? null });
  },
  onFetch({ url, options, setOptions, context }) {
    const path = new URL(url).pathname;
    const body = typeof options.body === 'string' ? options.body : '';
    const signed = signIdentity(secret, identityOf(context as BenchContext), { method: options.method ?? 'POST', path, body });
    setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), ...signed } });
  },
};

/** One graphql-ws client per subgraph URL whose upgrade is signed as the gateway's own. */
const signedWsTransport = {
  getSubgraphExecutor({ transportEntry }: { transportEntry: { location?: string } }) {
    const url = transportEntry.location!.replace(/^http/, 'ws');
    const path = new URL(url).pathname;
    class SignedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: signIdentity(secret, { userId: null, requestId: randomUUID(), clientIp: '' }, { method: 'GET', path, body: '' }) });
      }
    }
    const executor = buildGraphQLWSExecutor(createClient({ url, webSocketImpl: SignedWebSocket, lazy: true, lazyCloseTimeout: 3_000, retryAttempts: 0 }));
    type Request = Parameters<typeof executor>[0];
    return (request: Request) => {
      const operation = serializeExecutionRequest({ executionRequest: request });
      const identity = signSubscription(secret, identityOf(request.context as BenchContext), { query: operation.query!, variables: operation.variables, operationName: operation.operationName });
      return executor({ ...request, extensions: { ...request.extensions, [SUBSCRIPTION_IDENTITY_EXTENSION]: identity } });
    };
  },
};

const runtime = createGatewayRuntime<BenchContext>({
  supergraph: readFileSync(env('SUPERGRAPH_FILE'), 'utf8'),
  logging: (process.env.LOG_LEVEL ?? 'warn') as 'warn',
  graphiql: false,
  transports: { http: HTTPTransport, ws: signedWsTransport as never },
  transportEntries: Object.fromEntries(
    Object.entries(subgraphUrls).map(([name, location]) => [
      name,
      {
        location,
        // The user in the executor's headers, as a propagated Authorization header would be: Hive
        // deduplicates identical in-flight subgraph queries by URL, body and these headers, and must
        // not hand one user's subgraph response to another.
        headers: [['x-bench-user', '{context.userId}']],
        options: { subscriptions: { kind: 'ws', location: '/graphql' } },
      },
    ]),
  ),
  plugins: () => [authenticate],
});

const server = createServer(runtime);
const sockets = new WebSocketServer({ path: runtime.graphqlEndpoint, server });
useServer(
  getGraphQLWSOptions(runtime, (ctx) => {
    const extra = ctx.extra as { request: IncomingMessage; socket: WebSocket };
    return { req: extra.request, socket: extra.socket, request: normalizeNodeRequest(extra.request, runtime.fetchAPI) };
  }),
  sockets,
);
server.listen(port, '127.0.0.1', () => console.log(`hive gateway on http://127.0.0.1:${port}/graphql`));
const stop = () => {
  for (const client of sockets.clients) client.terminate();
  server.closeAllConnections();
  void Promise.resolve(runtime[Symbol.asyncDispose]()).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
