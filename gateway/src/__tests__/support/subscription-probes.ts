import { EventEmitter, on } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { IdentityHeader, verifyIdentity, verifySubscription, type Identity } from '@mega/subgraph-kit/identity';
import { TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { GraphQLError, parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

/**
 * A chat subgraph that serves only the signed WebSocket protocol of the gateway (no HTTP
 * operations): `messageAdded(conversationId)` for the conversation's members, checked when
 * subscribing and for every event. Messages reference `User` (accounts) and `MediaAsset` (the media probe).
 */
export const CHAT_PROBE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { chatProbe: String }
  type Subscription { messageAdded(conversationId: ID!): Message! }
  type Message @key(fields: "id") { id: ID! seq: Int! body: String! sender: User! attachments: [Attachment]! }
  type User @key(fields: "id", resolvable: false) { id: ID! }
  type MediaAsset @key(fields: "id", resolvable: false) { id: ID! }
  union Attachment = MediaAsset
`;

/** A media subgraph (HTTP, signed like the kit's): `MediaAsset.url`. */
export const MEDIA_PROBE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { mediaProbe: String }
  type MediaAsset @key(fields: "id") { id: ID! url: String! }
`;

export interface ProbeMessage {
  conversationId: string;
  id: string;
  seq: number;
  body: string;
  senderId: string;
  attachmentIds: string[];
}

export interface ChatProbe {
  url: string;
  port: number;
  /** Conversation id -> member user ids (change it to remove a member). */
  members: Map<string, Set<string>>;
  /** Sends an event to the subscribers of its conversation. */
  publish(message: ProbeMessage): void;
  /** Live `messageAdded` subscriptions, all users. */
  readonly subscriptions: number;
  /** WebSocket connections (the gateway's multiplexed ones). */
  readonly connections: number;
  /** Upgrade requests refused (unsigned, forged, replayed). */
  readonly refusedUpgrades: number;
  stop(): Promise<void>;
}

interface ChatContext {
  identity: Identity | null;
}

function headerGetter(headers: Record<string, unknown>) {
  return (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
}

/** The chat probe on `port` (0: a free one). */
export async function startChatProbe({ port = 0 } = {}): Promise<ChatProbe> {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const members = new Map<string, Set<string>>();
  let subscriptions = 0;
  let refusedUpgrades = 0;
  const isMember = (conversationId: string, userId: string | null | undefined) => Boolean(userId && members.get(conversationId)?.has(userId));

  const schema = buildSubgraphSchema({
    typeDefs: parse(CHAT_PROBE_SDL),
    resolvers: {
      Subscription: {
        messageAdded: {
          subscribe: (_: unknown, { conversationId }: { conversationId: string }, { identity }: ChatContext) => {
            if (!identity?.userId) throw new GraphQLError('Sign in to subscribe.', { extensions: { code: 'UNAUTHENTICATED' } });
            if (!isMember(conversationId, identity.userId)) throw new GraphQLError('Not a member.', { extensions: { code: 'FORBIDDEN' } });
            const userId = identity.userId;
            const controller = new AbortController();
            subscriptions += 1;
            const source = on(events, 'message', { signal: controller.signal }) as AsyncIterableIterator<[ProbeMessage]>;
            async function* messages() {
              try {
                for await (const [message] of source) {
                  if (message.conversationId !== conversationId) continue;
                  if (!isMember(conversationId, userId)) {
                    throw new GraphQLError('No longer a member.', { extensions: { code: 'FORBIDDEN' } });
                  }
                  yield { messageAdded: message };
                }
              } catch (error) {
                if ((error as Error).name !== 'AbortError') throw error;
              } finally {
                subscriptions -= 1;
              }
            }
            const iterator = messages();
            const stop = iterator.return.bind(iterator);
            iterator.return = (value) => {
              controller.abort();
              return stop(value);
            };
            return iterator;
          },
        },
      },
      Message: {
        sender: (message: ProbeMessage) => ({ id: message.senderId }),
        attachments: (message: ProbeMessage) => message.attachmentIds.map((id) => ({ __typename: 'MediaAsset', id })),
      },
    } as GraphQLResolverMap<unknown>,
  });

  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const graphqlWs = useServer(
    {
      schema,
      onSubscribe(_ctx, _id, payload) {
        const verified = verifySubscription(TEST_GATEWAY_SECRET, payload.extensions?.identity, payload);
        if (!verified.ok) return [new GraphQLError(`unsigned subscription (${verified.reason})`, { extensions: { code: 'UNAUTHENTICATED' } })];
        return undefined;
      },
      context: (_ctx, _id, payload): ChatContext => {
        const identity = (payload.extensions?.identity ?? {}) as Record<string, string>;
        return { identity: { userId: identity[IdentityHeader.user] || null, requestId: identity[IdentityHeader.requestId] ?? '', clientIp: identity[IdentityHeader.clientIp] ?? '' } };
      },
    },
    wss,
  );
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verified = verifyIdentity(TEST_GATEWAY_SECRET, headerGetter(request.headers), { method: 'GET', path: request.url ?? '/', body: '' });
    if (!verified.ok || verified.identity.userId !== null) {
      refusedUpgrades += 1;
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/graphql`,
    port: actualPort,
    members,
    publish: (message) => void events.emit('message', message),
    get subscriptions() {
      return subscriptions;
    },
    get connections() {
      return wss.clients.size;
    },
    get refusedUpgrades() {
      return refusedUpgrades;
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await Promise.resolve(graphqlWs.dispose()).catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The media probe: resolves `MediaAsset` references to `{ id, url }`, refusing unsigned requests. */
export async function startMediaProbe(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(MEDIA_PROBE_SDL),
      resolvers: {
        MediaAsset: { __resolveReference: ({ id }: { id: string }) => ({ id, url: `https://media.example/${id}.png` }) },
      } as GraphQLResolverMap<unknown>,
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const body = req.method === 'POST' ? JSON.stringify((req as { body?: unknown }).body) : '';
      const verified = verifyIdentity(TEST_GATEWAY_SECRET, headerGetter(req.headers), { method: req.method ?? 'POST', path: req.url ?? '/', body });
      if (!verified.ok) throw new GraphQLError(`unsigned request (${verified.reason})`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      return {};
    },
  });
  return { url, stop: () => server.stop() };
}
