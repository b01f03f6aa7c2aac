/**
 * Runs `check` until it stops throwing, backing off from 10 ms to 250 ms between tries, and
 * returns its result: the way tests wait for a condition instead of sleeping for a fixed time.
 * @throws the last error of `check` once `timeoutMs` has passed
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
