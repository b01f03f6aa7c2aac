import type { ServerResponse } from 'node:http';
import type { GatewayHttpError } from '../errors.js';

/** Sends `body` as JSON with `status` (headers set earlier on `res` are kept). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Sends an edge error as a GraphQL-shaped JSON response. */
export function sendHttpError(res: ServerResponse, error: GatewayHttpError): void {
  sendJson(res, error.status, error.toResponseBody(), error.headers);
}
