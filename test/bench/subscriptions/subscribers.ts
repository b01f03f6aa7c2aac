import { WebSocket } from 'ws';

/** Delivery latencies (ms) of one message to every subscriber, indexed by message number. */
export type Deliveries = Map<number, number[]>;

export interface Swarm {
  /** Subscribers whose socket or subscription failed (error, complete or close). */
  readonly failures: string[];
  deliveries: Deliveries;
  /** Marks when message `n` was sent (its body is `bodyOf(n)`). */
  sent(n: number, at: number): void;
  /** Resolves once every subscriber received message `n`; rejects after `timeoutMs`. */
  delivered(n: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export const bodyOf = (n: number) => `fan-out #${n}`;

/**
 * `tokens.length` graphql-ws (graphql-transport-ws) clients, one per user, each with one
 * subscription. Written on `ws` directly rather than with graphql-ws's client so that 5,000 of them
 * in one process cost the load generator as little as possible; the protocol steps are the same.
 */
export async function connectSwarm(url: string, tokens: readonly string[], query: string, variables: Record<string, unknown>, concurrency = 100): Promise<Swarm> {
  const failures: string[] = [];
  const deliveries: Deliveries = new Map();
  const sentAt = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const sockets: WebSocket[] = [];
  const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } });

  const record = (text: string) => {
    const match = /fan-out #(\d+)/.exec(text);
    if (!match) return;
    const n = Number(match[1]);
    const start = sentAt.get(n);
    if (start === undefined) return;
    const list = deliveries.get(n) ?? [];
    list.push(performance.now() - start);
    deliveries.set(n, list);
    if (list.length === tokens.length) waiters.get(n)?.();
  };

  const open = (token: string) =>
    new Promise<void>((resolve, reject) => {
      // The load generator shares the machine's cores with what it measures: it skips UTF-8 checks.
      const socket = new WebSocket(url, 'graphql-transport-ws', { skipUTF8Validation: true });
      sockets.push(socket);
      let subscribed = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('{"type":"ping"') || text.includes('"type":"ping"')) {
          socket.send('{"type":"pong"}');
          return;
        }
        if (!subscribed && text.includes('connection_ack')) {
          subscribed = true;
          socket.send(subscribe);
          resolve();
          return;
        }
        if (text.includes('"type":"next"') && !text.includes('"errors"')) return record(text);
        failures.push(text.slice(0, 300));
      });
      socket.on('close', (code, reason) => {
        if (!subscribed) reject(new Error(`closed ${code} ${reason.toString()}`));
        else if (code !== 1000) failures.push(`closed ${code} ${reason.toString()}`);
      });
      socket.on('error', (error) => {
        if (!subscribed) reject(error);
        else failures.push(error.message);
      });
    });

  for (let i = 0; i < tokens.length; i += concurrency) await Promise.all(tokens.slice(i, i + concurrency).map(open));

  return {
    failures,
    deliveries,
    sent: (n, at) => void sentAt.set(n, at),
    delivered: (n, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if ((deliveries.get(n)?.length ?? 0) === tokens.length) return resolve();
        const timer = setTimeout(() => reject(new Error(`message ${n}: ${deliveries.get(n)?.length ?? 0} of ${tokens.length} deliveries within ${timeoutMs} ms; failures: ${failures.slice(0, 3).join(' | ')}`)), timeoutMs);
        waiters.set(n, () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    close: async () => {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close(1000);
            }),
        ),
      );
    },
  };
}
