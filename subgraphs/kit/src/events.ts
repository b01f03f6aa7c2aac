import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import { connectRedis } from './redis.js';

/** Events a listener may fall behind by before its stream fails (see {@link EventBus.listen}). @default 10000 */
export const DEFAULT_MAX_PENDING_EVENTS = 10_000;

/** The payload type of each topic; payloads must survive JSON (Redis carries them as JSON: send dates as ISO strings). */
export type EventMap = Record<string, unknown>;

/** A live stream of one topic's events. `return()` stops listening. */
export interface EventStream<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T>>;
}

/**
 * Publish/subscribe between the instances of a subgraph: in process by default, over Redis when
 * configured. Delivery is at most once per listener (an event published while nobody listens is
 * gone), in publish order per topic and publisher. Also a type-graphql `PubSub` (`buildSchema({ pubSub })`).
 */
export interface EventBus<TEvents extends EventMap = EventMap> extends PubSub {
  /** Publishes `payload` to the listeners of `topic` + `id` on every instance. Never throws for lack of listeners. */
  publish<K extends keyof TEvents & string>(topic: K, id: string, payload: TEvents[K]): void;
  /**
   * Listens to `topic` + `id`, resolving once the subscription is active: every event published
   * after the promise resolves is delivered (the base of gap-free catch-up: listen, then read the store).
   * Events are buffered until read; a listener more than `maxPendingEvents` behind fails with an error.
   */
  listen<K extends keyof TEvents & string>(topic: K, id: string): Promise<EventStream<TEvents[K]>>;
  /** Ends every open stream and closes the Redis connections. Idempotent. */
  close(): Promise<void>;
}

export interface EventBusOptions {
  /** Redis for events across instances; absent: in process only. */
  redisUrl?: string | undefined;
  /** Prepended to every channel, so that deployments (and test runs) sharing a Redis never see each other's events. @default 'mega:' */
  keyPrefix?: string;
  /** @default DEFAULT_MAX_PENDING_EVENTS */
  maxPendingEvents?: number;
}

type Target = EventTarget;

/**
 * One event-target listener per channel, fanning each event out to this process's streams of it.
 * EventTarget scans a channel's listeners on every add and remove (to refuse duplicates), so
 * thousands of subscribers of one conversation made subscribing quadratic; and one dispatch per
 * event is cheaper than one per subscriber.
 */
class ChannelListeners {
  private readonly channels = new Map<string, { receivers: Set<(value: unknown) => void>; handler: (event: Event) => void }>();

  constructor(private readonly target: Target) {}

  /** @returns removes `receive` (and the channel's listener after the last one) */
  add(channel: string, receive: (value: unknown) => void): () => void {
    let entry = this.channels.get(channel);
    if (!entry) {
      const receivers = new Set<(value: unknown) => void>();
      // A receiver removed during the loop is skipped; one is only ever added outside a dispatch.
      const handler = (event: Event) => {
        const value = (event as CustomEvent<unknown>).detail;
        for (const each of receivers) each(value);
      };
      entry = { receivers, handler };
      this.channels.set(channel, entry);
      this.target.addEventListener(channel, handler);
    }
    const { receivers, handler } = entry;
    receivers.add(receive);
    return () => {
      if (!receivers.delete(receive) || receivers.size > 0) return;
      this.channels.delete(channel);
      this.target.removeEventListener(channel, handler);
    };
  }
}

/** A stream fed by the channel's events, with its own bounded queue. */
function streamOf<T>(listeners: ChannelListeners, channel: string, maxPending: number, onEnd: () => void): { stream: EventStream<T>; end: () => void } {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let failure: Error | undefined;
  let done = false;
  const listener = (detail: unknown) => {
    if (done) return;
    const value = detail as T;
    const resolve = waiting.shift();
    if (resolve) return resolve({ value, done: false });
    if (queue.length >= maxPending) {
      failure = new Error(`The listener of ${channel} fell more than ${maxPending} events behind.`);
      finish();
      return;
    }
    queue.push(value);
  };
  const finish = () => {
    if (done) return;
    done = true;
    remove();
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    onEnd();
  };
  const remove = listeners.add(channel, listener);
  const stream: EventStream<T> = {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (failure) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { stream, end: finish };
}

/**
 * The event bus of a subgraph instance: type-graphql's recommended `createPubSub` over an
 * in-process `EventTarget`, or over `@graphql-yoga/redis-event-target` with two ioredis clients
 * (publish, subscribe), both connected before this resolves.
 * @throws when `redisUrl` is set and Redis is unreachable
 */
export async function createEventBus<TEvents extends EventMap = EventMap>({
  redisUrl,
  keyPrefix = 'mega:',
  maxPendingEvents = DEFAULT_MAX_PENDING_EVENTS,
}: EventBusOptions = {}): Promise<EventBus<TEvents>> {
  let target: Target;
  let clients: Redis[] = [];
  let activate: (channel: string) => Promise<unknown> = () => Promise.resolve();
  if (redisUrl) {
    const connected = await Promise.allSettled([connectRedis(redisUrl, { name: 'events-publish' }), connectRedis(redisUrl, { name: 'events-subscribe' })]);
    const failed = connected.find((result) => result.status === 'rejected');
    if (failed) {
      for (const result of connected) if (result.status === 'fulfilled') result.value.disconnect();
      throw failed.reason;
    }
    const [publishClient, subscribeClient] = connected.map((result) => (result as PromiseFulfilledResult<Redis>).value) as [Redis, Redis];
    clients = [publishClient, subscribeClient];
    target = createRedisEventTarget({ publishClient, subscribeClient }) as unknown as Target;
    // The event target subscribes without waiting; a second SUBSCRIBE on the same connection is
    // answered after the first, so awaiting it means the channel is live.
    activate = (channel) => subscribeClient.subscribe(channel);
  } else {
    target = new EventTarget();
    setMaxListeners(0, target);
  }
  const pubSub = createPubSub({ eventTarget: target as never });
  const listeners = new ChannelListeners(target);
  const open = new Set<() => void>();
  let closed: Promise<void> | undefined;

  return {
    publish(topic: string, id: string, payload: unknown) {
      if (closed) throw new Error('The event bus is closed.');
      pubSub.publish(`${keyPrefix}${topic}`, id, payload);
    },
    subscribe(topic: string, id?: unknown): AsyncIterable<unknown> {
      return pubSub.subscribe(`${keyPrefix}${topic}`, id as string);
    },
    async listen(topic: string, id: string) {
      if (closed) throw new Error('The event bus is closed.');
      const channel = `${keyPrefix}${topic}:${id}`;
      const { stream, end } = streamOf(listeners, channel, maxPendingEvents, () => open.delete(end));
      open.add(end);
      try {
        await activate(channel);
      } catch (error) {
        end();
        throw error;
      }
      return stream;
    },
    close() {
      closed ??= (async () => {
        for (const end of [...open]) end();
        await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
      })();
      return closed;
    },
  } as EventBus<TEvents>;
}

/**
 * `generator`, whose `return()` first ends `stream`: a generator suspended in `await stream.next()`
 * cannot run its own `return()` before the next event, so a completed subscription would keep its
 * listener until then. Use it for every subscription that reads the bus in a generator.
 */
export function endingWith<T>(generator: AsyncGenerator<T>, stream: EventStream<unknown>): AsyncIterableIterator<T> {
  return {
    next: () => generator.next(),
    async return() {
      await stream.return();
      await generator.return(undefined);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
