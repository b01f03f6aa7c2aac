import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { verifyIdentity, type Identity } from '@mega/subgraph-kit/identity';
import { TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { GraphQLError, parse } from 'graphql';

/**
 * The probe subgraph's SDL. The running probe always has `added: String`; a supergraph composed
 * without it (`withAddedField: false`) is the "before" of a reload test.
 */
export function probeSdl({ withAddedField = true } = {}): string {
  return `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
    type Query {
      "Who the gateway says is asking, as the probe verified it."
      probe: Probe
      "Fails with a raw error carrying internals (message and stack trace)."
      boom: String
      "Fails with a coded error (FORBIDDEN), stack trace included."
      denied: String
      "Answers only when the test calls release(id)."
      slow(id: String!): String
      ${withAddedField ? '"A field that only a newer supergraph knows."\n      added: String' : ''}
    }
    type Probe { userId: ID requestId: String! }
    type User @key(fields: "id") { id: ID! probeNote: String }
  `;
}

export interface ProbeSubgraph {
  url: string;
  port: number;
  /** Every identity the probe verified, in order. */
  identities: Identity[];
  /** Lets `slow(id)` answer. */
  release(id: string): void;
  /** True while a `slow(id)` request waits for `release(id)`. */
  isWaiting(id: string): boolean;
  stop(): Promise<void>;
}

/**
 * A second subgraph for gateway tests, built with @apollo/subgraph: it refuses requests that the
 * gateway did not sign (like the kit's server) and reports the verified identity.
 */
export async function startProbeSubgraph({ port = 0 } = {}): Promise<ProbeSubgraph> {
  const identities: Identity[] = [];
  const waiting = new Map<string, () => void>();
  const released = new Set<string>();
  const server = new ApolloServer<{ identity: Identity }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(probeSdl()),
      resolvers: {
        Query: {
          probe: (_: unknown, __: unknown, { identity }: { identity: Identity }) => identity,
          boom: () => {
            throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (probe internals)');
          },
          denied: () => {
            throw new GraphQLError('You may not see this.', { extensions: { code: 'FORBIDDEN' } });
          },
          slow: (_: unknown, { id }: { id: string }) =>
            released.has(id) ? id : new Promise<string>((resolve) => waiting.set(id, () => resolve(id))),
          added: () => 'added',
        },
        User: { __resolveReference: (user: { id: string }) => ({ ...user, probeNote: `note for ${user.id}` }) },
      } as GraphQLResolverMap<unknown>,
    }),
    includeStacktraceInErrorResponses: true,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => {
      // The standalone server has parsed the body already; Apollo's own serialization of it is what the gateway signed.
      const body = req.method === 'POST' ? JSON.stringify((req as { body?: unknown }).body) : '';
      const verified = verifyIdentity(
        TEST_GATEWAY_SECRET,
        (name) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value[0] : value;
        },
        { method: req.method ?? 'POST', path: req.url ?? '/', body },
      );
      if (!verified.ok) {
        throw new GraphQLError(`unsigned request (${verified.reason})`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      identities.push(verified.identity);
      return { identity: verified.identity };
    },
  });
  return {
    url,
    port: Number(new URL(url).port),
    identities,
    release(id) {
      released.add(id);
      waiting.get(id)?.();
      waiting.delete(id);
    },
    isWaiting: (id) => waiting.has(id),
    stop: () => server.stop(),
  };
}
