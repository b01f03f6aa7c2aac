import type { ServerResponse } from 'node:http';

/** Headers on every response of the file and upload routes: the bytes are never run as a page or script, whatever they hold. */
export const SAFETY_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" };

/**
 * Answers with the GraphQL-style error body the other routes use:
 * `{ errors: [{ message, extensions: { code, ...extensions } }] }`, never cached.
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  error: { code: string; message: string; extensions?: Record<string, unknown> },
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.extensions } }] });
  res.writeHead(status, {
    ...SAFETY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
