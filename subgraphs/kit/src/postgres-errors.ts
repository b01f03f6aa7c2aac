/**
 * The constraint a PostgreSQL unique violation (SQLSTATE 23505) names, looked up through
 * Drizzle's error wrapping; undefined for any other error. Works for node-postgres and PGlite.
 */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint, message } = e as { code?: string; constraint?: string; message?: string };
    if (code === '23505') return constraint ?? message ?? 'unknown';
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from clients are checked before they reach a uuid column, which would reject them with a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
