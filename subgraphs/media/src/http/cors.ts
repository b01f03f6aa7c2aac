import type { IncomingMessage } from 'node:http';

/**
 * The CORS headers of a file or upload response to `req`: for an origin in `allowed`,
 * `Access-Control-Allow-Origin: <that origin>` (never `*`, never credentials) and the response
 * headers its page may read; for any other origin, or none, no CORS headers at all, so the browser
 * withholds the response. Every such response also says `Vary: Origin`.
 */
export function corsHeaders(allowed: ReadonlySet<string>, req: IncomingMessage, exposed: readonly string[] = []): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !allowed.has(origin)) return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    ...(exposed.length ? { 'access-control-expose-headers': exposed.join(', ') } : {}),
  };
}
