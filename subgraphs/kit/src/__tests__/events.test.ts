import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../events.js';

type TestEvents = { ping: { n: number }; pong: { n: number } };

const REDIS_URL = 'redis://127.0.0.1:6379';

/** One suite, two transports: what subscribers observe must not depend on where the bus runs. */
const BUSES = [
  { name: 'in process', create: (prefix: string) => createEventBus<TestEvents>({ keyPrefix: prefix }) },
  { name: 'Redis', create: (prefix: string) => createEventBus<TestEvents>({ redisUrl: REDIS_URL, keyPrefix: prefix }) },
] as const;

async function take<T>(stream: AsyncIterator<T>, count: number): Promise<T[]> {
  const values: T[] = [];
  while (values.length < count) {
    const result = await stream.next();
    if (result.done) break;
    values.push(result.value);
  }
  return values;
}

describe.each(BUSES)('event bus ($name)', ({ name, create }) => {
  const opened: EventBus<TestEvents>[] = [];
  const open = async (prefix = `test:${randomUUID()}:`) => {
    const bus = await create(prefix);
    opened.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  it('delivers every event published after listen() resolves, in order', async () => {
    const bus = await open();
    const stream = await bus.listen('ping', 'a');
    for (let n = 1; n <= 50; n++) bus.publish('ping', 'a', { n });
    expect((await take(stream, 50)).map((event) => event.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('keeps topics and ids apart', async () => {
    const bus = await open();
    const a = await bus.listen('ping', 'a');
    const b = await bus.listen('ping', 'b');
    const pong = await bus.listen('pong', 'a');
    bus.publish('ping', 'b', { n: 2 });
    bus.publish('pong', 'a', { n: 3 });
    bus.publish('ping', 'a', { n: 1 });
    expect(await take(a, 1)).toEqual([{ n: 1 }]);
    expect(await take(b, 1)).toEqual([{ n: 2 }]);
    expect(await take(pong, 1)).toEqual([{ n: 3 }]);
  });

  it('gives each of many listeners every event', async () => {
    const bus = await open();
    const streams = await Promise.all(Array.from({ length: 25 }, () => bus.listen('ping', 'many')));
    bus.publish('ping', 'many', { n: 1 });
    bus.publish('ping', 'many', { n: 2 });
    for (const stream of streams) expect(await take(stream, 2)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('reaches the listeners of another bus on the same transport only when it is shared', async () => {
    const prefix = `test:${randomUUID()}:`;
    const publisher = await open(prefix);
    const subscriber = await open(prefix);
    const stream = await subscriber.listen('ping', 'x');
    const own = await publisher.listen('ping', 'x');
    publisher.publish('ping', 'x', { n: 7 });
    expect(await take(own, 1)).toEqual([{ n: 7 }]);
    if (name === 'Redis') {
      expect(await take(stream, 1)).toEqual([{ n: 7 }]);
    } else {
      // In process, every bus is its own world; a later event on the subscriber's bus is the first it sees.
      subscriber.publish('ping', 'x', { n: 8 });
      expect(await take(stream, 1)).toEqual([{ n: 8 }]);
    }
  });

  it('stops delivering to a listener that returned, and not to the others', async () => {
    const bus = await open();
    const leaving = await bus.listen('ping', 'r');
    const staying = await bus.listen('ping', 'r');
    await leaving.return();
    bus.publish('ping', 'r', { n: 1 });
    expect(await take(staying, 1)).toEqual([{ n: 1 }]);
    expect(await leaving.next()).toEqual({ value: undefined, done: true });
  });

  it('listens again on a channel whose listeners all returned, and keeps thousands of listeners of one channel cheap', async () => {
    const bus = await open();
    const first = await bus.listen('ping', 'a');
    await first.return();
    const again = await bus.listen('ping', 'a');
    bus.publish('ping', 'a', { n: 1 });
    expect(await take(again, 1)).toEqual([{ n: 1 }]);
    const many = await Promise.all(Array.from({ length: 3000 }, () => bus.listen('ping', 'b')));
    await Promise.all(many.slice(0, 1500).map((stream) => stream.return()));
    bus.publish('ping', 'b', { n: 2 });
    const received = await Promise.all(many.slice(1500).map((stream) => take(stream, 1)));
    expect(received.every(([event]) => event?.n === 2)).toBe(true);
    expect(await Promise.all(many.slice(0, 1).map((stream) => stream.next()))).toEqual([{ value: undefined, done: true }]);
  });

  it('serves type-graphql through subscribe(topic, id)', async () => {
    const bus = await open();
    const iterator = bus.subscribe('ping', 's')[Symbol.asyncIterator]();
    const first = iterator.next(); // starts listening
    // The Redis transport subscribes asynchronously: publish until the first event arrives.
    let received: IteratorResult<unknown> | undefined;
    void first.then((result) => (received = result));
    for (let n = 1; !received; n++) {
      bus.publish('ping', 's', { n });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(received.value).toMatchObject({ n: expect.any(Number) });
    await iterator.return?.();
  });

  it('ends open streams on close() and refuses to publish afterwards', async () => {
    const bus = await open();
    const stream = await bus.listen('ping', 'c');
    const pending = stream.next();
    await bus.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(() => bus.publish('ping', 'c', { n: 1 })).toThrow(/closed/);
    await expect(bus.listen('ping', 'c')).rejects.toThrow(/closed/);
    await bus.close();
  });
});

describe('event bus over Redis', () => {
  it('fails fast when Redis is unreachable', async () => {
    await expect(createEventBus({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/unreachable/);
  });
});
