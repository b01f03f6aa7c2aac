import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TEST_GATEWAY_SECRET } from '@mega/test-utils';
import type { BaseContext } from '../context.js';
import { createEventBus, type EventBus } from '../events.js';
import { signIdentity, signSubscription, verifySubscription } from '../identity.js';
import { createLogger } from '../logger.js';
import { startSubgraphServer } from '../server.js';
import { sharedEvent } from '../subscriptions.js';
import { connectSubgraphSocket, type SubgraphSubscription } from '../subscription-client.js';

type Events = { tick: { n: number } };

/** `ticks` streams the bus's `tick` events to signed-in users; each event says who it was executed for. */
async function tickServer(bus: EventBus<Events>, contexts: { count: number }, keepAliveMs?: number) {
  const schema = buildSubgraphSchema({
    typeDefs: gql`
      type Query {
        ok: Boolean
      }
      type Tick {
        n: Int!
        viewer: String
        contextNumber: Int!
      }
      type Subscription {
        ticks(channel: String!): Tick!
        sharedTicks(channel: String!): Tick!
      }
    `,
    resolvers: {
      Subscription: {
        ticks: {
          subscribe: async (_: unknown, args: { channel: string }, context: BaseContext) => {
            if (!context.identity.userId) throw new Error('anonymous');
            return bus.listen('tick', args.channel);
          },
          resolve: (event: { n: number }, _: unknown, context: BaseContext & { number: number }) => ({
            n: event.n,
            viewer: context.identity.userId,
            contextNumber: context.number,
          }),
        },
        // The same ticks, each marked as the same for everyone (a promise this resolver breaks on
        // purpose by returning the viewer, to show who the one execution ran for).
        sharedTicks: {
          subscribe: async function* (_: unknown, args: { channel: string }) {
            for await (const event of await bus.listen('tick', args.channel)) yield sharedEvent(event);
          },
          resolve: (event: { n: number }, _: unknown, context: BaseContext & { number: number }) => ({
            n: event.n,
            viewer: context.identity.userId,
            contextNumber: context.number,
          }),
        },
      },
    } as never,
  });
  return startSubgraphServer({
    service: 'test',
    schema,
    port: 0,
    gatewaySecret: TEST_GATEWAY_SECRET,
    context: (identity) => ({ identity, number: ++contexts.count }),
    logger: createLogger('kit-test', 'silent'),
    keepAliveMs,
  });
}

const TICKS = 'subscription ($channel: String!) { ticks(channel: $channel) { n viewer contextNumber } }';

describe('subgraph subscriptions over graphql-ws', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start() {
    const bus = await createEventBus<Events>();
    const contexts = { count: 0 };
    const server = await tickServer(bus, contexts);
    cleanup.push(() => bus.close(), () => server.stop());
    const socket = connectSubgraphSocket(server.url, TEST_GATEWAY_SECRET);
    cleanup.push(() => socket.close());
    return { bus, server, socket, contexts };
  }

  /** Publishes until the subscription's listener is live and receives the first event. */
  async function firstEvent<T>(bus: EventBus<Events>, channel: string, subscription: SubgraphSubscription<T>) {
    const first = subscription.next();
    let arrived = false;
    void first.then(() => (arrived = true), () => (arrived = true));
    while (!arrived) {
      bus.publish('tick', channel, { n: 0 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return first;
  }

  it('signs and verifies a subscription over its own operation only', () => {
    const identity = { userId: randomUUID(), requestId: 'r', clientIp: '' };
    const operation = { query: TICKS, variables: { channel: 'a' } };
    const signed = signSubscription(TEST_GATEWAY_SECRET, identity, operation);
    expect(verifySubscription(TEST_GATEWAY_SECRET, signed, operation)).toEqual({ ok: true, identity });
    expect(verifySubscription(TEST_GATEWAY_SECRET, signed, { ...operation, variables: { channel: 'b' } })).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifySubscription(TEST_GATEWAY_SECRET, signed, { ...operation, operationName: 'Other' })).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifySubscription('another secret of at least 32 chars!!', signed, operation)).toMatchObject({ ok: false, reason: 'forged' });
    expect(verifySubscription(TEST_GATEWAY_SECRET, 'not headers', operation)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses an unsigned or forged upgrade with 401 before the WebSocket opens', async () => {
    const { server } = await start();
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws', { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error('the socket opened')));
        ws.on('error', () => undefined);
      });
    expect(await statusOf({})).toBe(401);
    const forged = signIdentity('a different secret, 32 characters long', { userId: null, requestId: 'r', clientIp: '' }, { method: 'GET', path: '/graphql', body: '' });
    expect(await statusOf(forged)).toBe(401);
    const signed = signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: 'r', clientIp: '' }, { method: 'GET', path: '/graphql', body: '' });
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws', { headers: signed });
      ws.on('open', () => {
        ws.close();
        resolve();
      });
      ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    });
    expect(await statusOf(signed)).toBe(401); // the same signature again is a replay
  });

  it('answers a subscribe without a valid identity with UNAUTHENTICATED and keeps the connection open', async () => {
    const { server, socket, bus } = await start();
    const errorsOf = (payload: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        socket.client.subscribe(payload as never, { next: () => reject(new Error('got data')), error: resolve, complete: () => reject(new Error('completed')) });
      });
    const variables = { channel: 'x' };
    expect(await errorsOf({ query: TICKS, variables })).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    const userId = randomUUID();
    const otherOperation = signSubscription(TEST_GATEWAY_SECRET, { userId, requestId: 'r', clientIp: '' }, { query: TICKS, variables: { channel: 'y' } });
    expect(await errorsOf({ query: TICKS, variables, extensions: { identity: otherOperation } })).toEqual([
      expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    // The same connection still serves a correctly signed subscription.
    const subscription = socket.subscribe<{ ticks: { viewer: string } }>(userId, TICKS, variables);
    expect((await firstEvent(bus, 'x', subscription)).data?.ticks.viewer).toBe(userId);
    expect(server.url).toContain('/graphql');
  });

  it('executes each event as the subscribing user with a fresh context', async () => {
    const { socket, bus } = await start();
    const alice = randomUUID();
    const bob = randomUUID();
    const a = socket.subscribe<{ ticks: { n: number; viewer: string; contextNumber: number } }>(alice, TICKS, { channel: 'c' });
    const b = socket.subscribe<{ ticks: { n: number; viewer: string; contextNumber: number } }>(bob, TICKS, { channel: 'c' });
    await firstEvent(bus, 'c', a);
    await firstEvent(bus, 'c', b);
    bus.publish('tick', 'c', { n: 42 });
    let fromA = await a.next();
    while (fromA.data?.ticks.n !== 42) fromA = await a.next();
    let fromB = await b.next();
    while (fromB.data?.ticks.n !== 42) fromB = await b.next();
    expect(fromA.data.ticks.viewer).toBe(alice);
    expect(fromB.data.ticks.viewer).toBe(bob);
    expect(new Set(a.received.map((result) => result.data?.ticks.contextNumber)).size).toBe(a.received.length);
  });

  it('executes an event marked shared once for every subscriber with the same document and variables', async () => {
    const { socket, bus } = await start();
    const SHARED = 'subscription ($channel: String!) { sharedTicks(channel: $channel) { n viewer contextNumber } }';
    type Shared = { sharedTicks: { n: number; viewer: string; contextNumber: number } };
    const [alice, bob] = [randomUUID(), randomUUID()];
    const a = socket.subscribe<Shared>(alice, SHARED, { channel: 's' });
    const b = socket.subscribe<Shared>(bob, SHARED, { channel: 's' });
    const other = socket.subscribe<Shared>(bob, SHARED, { channel: 't' });
    await firstEvent(bus, 's', a);
    await firstEvent(bus, 's', b);
    await firstEvent(bus, 't', other);
    bus.publish('tick', 's', { n: 7 });
    bus.publish('tick', 't', { n: 7 });
    const seven = async (subscription: SubgraphSubscription<Shared>) => {
      let result = await subscription.next();
      while (result.data?.sharedTicks.n !== 7) result = await subscription.next();
      return result.data.sharedTicks;
    };
    const [fromA, fromB, fromOther] = await Promise.all([seven(a), seven(b), seven(other)]);
    expect(fromB).toEqual(fromA); // one execution: same context, same viewer
    expect(fromOther.contextNumber).not.toBe(fromA.contextNumber); // another event, another execution
  });

  it('pings each socket at the keepalive interval', async () => {
    const bus = await createEventBus<Events>();
    const server = await tickServer(bus, { count: 0 }, 50);
    cleanup.push(() => bus.close(), () => server.stop());
    const headers = signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: 'r', clientIp: '' }, { method: 'GET', path: '/graphql', body: '' });
    const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws', { headers });
    cleanup.push(async () => ws.close());
    await new Promise<void>((resolve) => ws.once('ping', () => resolve()));
  });

  it('closes sockets with 1001 "Going away" on stop() and ends their subscriptions', async () => {
    const { server, socket, bus } = await start();
    const subscription = socket.subscribe(randomUUID(), TICKS, { channel: 'stop' });
    await firstEvent(bus, 'stop', subscription);
    await server.stop();
    await expect(subscription.completed).rejects.toMatchObject({ code: 1001, reason: 'Going away' });
  });
});
