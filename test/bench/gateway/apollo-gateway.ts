/**
 * Child process of the gateway throughput benchmark: the plain peer, `@apollo/gateway` with
 * `@apollo/server`'s standalone server, all on their defaults (its default data source and fetcher,
 * default caches, no plugins).
 *
 * Only what our subgraphs require to answer at all is added (scenario "domain"): the bearer token
 * verified against the accounts JWKS with jose, and each subgraph request signed with the user's
 * identity (`@mega/subgraph-kit/identity`) in a wrapper around the default fetcher, on the exact
 * bytes sent. The federation-shape subgraphs ignore those headers.
 *
 * Environment: PORT, GATEWAY_SECRET, SUPERGRAPH_FILE, SUBGRAPH_URLS (name=url,...), JWKS_URL.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { identityHeaders, IdentityHeader, signIdentity } from '@mega/subgraph-kit/identity';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const secret = env('GATEWAY_SECRET');
const subgraphUrls = Object.fromEntries(env('SUBGRAPH_URLS').split(',').map((pair) => pair.split('=') as [string, string]));
const jwks = createRemoteJWKSet(new URL(env('JWKS_URL')));

interface Context {
  userId: string | null;
}

class SignedDataSource extends RemoteGraphQLDataSource<Context> {
  constructor(url: string) {
    super({ url });
    const fetcher = this.fetcher;
    this.fetcher = ((target: string, init: { method?: string; headers?: Record<string, string>; body?: string }) => {
      const headers = init.headers ?? {};
      const signed = signIdentity(
        secret,
        { userId: headers[IdentityHeader.user] || null, requestId: headers[IdentityHeader.requestId] ?? randomUUID(), clientIp: '127.0.0.1' },
        { method: init.method ?? 'POST', path: new URL(target).pathname, body: init.body ?? '' },
      );
      return fetcher(target, { ...init, headers: { ...headers, ...signed } });
    }) as typeof fetcher;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    const identity = identityHeaders({ userId: (context as Partial<Context>).userId ?? null, requestId: randomUUID(), clientIp: '127.0.0.1' });
    for (const [name, value] of Object.entries(identity)) request.http!.headers.set(name, value);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(env('SUPERGRAPH_FILE'), 'utf8'),
  buildService: ({ name, url }) => new SignedDataSource(subgraphUrls[name] ?? url!),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(env('PORT')), host: '127.0.0.1' },
  context: async ({ req }) => {
    const header = req.headers.authorization;
    if (!header) return { userId: null };
    const { payload } = await jwtVerify(header.replace(/^Bearer /i, ''), jwks, { issuer: 'mega-app/accounts', audience: 'mega-app' });
    return { userId: payload.sub ?? null };
  },
});
console.log(`plain apollo gateway on ${url}`);
const stop = () => void server.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
