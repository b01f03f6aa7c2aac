/**
 * A push-fed async iterator: `push` values (they are buffered until read), `end` it. `return()`
 * (the consumer stopping, e.g. graphql-ws on a client `complete` or a closed socket) runs
 * `onReturn` once and ends it.
 */
export interface EventQueue<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  /** No more values: the iterator finishes after the buffered ones. */
  end(): void;
  readonly ended: boolean;
}

export function createEventQueue<T>(onReturn: () => void): EventQueue<T> {
  const buffered: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;
  let returned = false;

  const queue: EventQueue<T> = {
    get ended() {
      return ended;
    },
    push(value) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value, done: false });
      } else buffered.push(value);
    },
    end() {
      if (ended) return;
      ended = true;
      if (waiting && buffered.length === 0) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: undefined, done: true });
      }
    },
    next() {
      if (buffered.length > 0) return Promise.resolve({ value: buffered.shift() as T, done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      buffered.length = 0;
      queue.end();
      if (!returned) {
        returned = true;
        onReturn();
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
