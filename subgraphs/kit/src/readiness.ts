/**
 * How long one readiness check (a database or Redis ping) may take before it counts as failing,
 * so that /readyz never hangs. @default 1000 ms
 */
export const READINESS_CHECK_TIMEOUT_MS = 1000;

/** One check of /readyz: `ok`, or `failing` with why (`running`, `no answer within 1000 ms`, the driver's error). */
export type ReadinessCheckResult = { status: 'ok' } | { status: 'failing'; reason: string };

/**
 * The body of /readyz on the gateway and every subgraph: HTTP 200 with `status: 'ready'` when
 * every check is `ok`, else HTTP 503 with `status: 'not ready'`. `checks` names what was checked:
 * `migrations` (subgraphs: `running` during start-up), `database`, `redis` (only when Redis is
 * configured), `supergraph` (gateway: `not loaded` until it is), `server` (`stopping` during shutdown).
 */
export interface ReadinessReport {
  status: 'ready' | 'not ready';
  service: string;
  checks: Record<string, ReadinessCheckResult>;
}

/** A check: resolves when ready, rejects with the reason when not. */
export type ReadinessCheck = () => Promise<void>;

/**
 * Runs `check` with a deadline.
 * @returns `ok`, or `failing` with the rejection's message or `no answer within <timeoutMs> ms`
 */
export async function runReadinessCheck(check: ReadinessCheck, timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), deadline]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'failing', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs = READINESS_CHECK_TIMEOUT_MS,
): Promise<Record<string, ReadinessCheckResult>> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runReadinessCheck(check, timeoutMs)] as const));
  return Object.fromEntries(entries);
}

/** The report for a set of check results: ready exactly when every one is `ok`. */
export function readinessReport(service: string, checks: Record<string, ReadinessCheckResult>): ReadinessReport {
  const ready = Object.values(checks).every((check) => check.status === 'ok');
  return { status: ready ? 'ready' : 'not ready', service, checks };
}
