import type { ServerResponse } from 'node:http';
import type { GatewayHttpError } from '../errors.js';
import { JSON_MEDIA_TYPE, type ResponseMediaType } from './media-types.js';

/** Sends `body` as JSON with `status` (headers set earlier on `res` are kept). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  mediaType: ResponseMediaType = JSON_MEDIA_TYPE,
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Sends an edge error as a GraphQL-shaped JSON response, in the media type the client asked for. */
export function sendHttpError(res: ServerResponse, error: GatewayHttpError, mediaType: ResponseMediaType = JSON_MEDIA_TYPE): void {
  sendJson(res, error.status, error.toResponseBody(), error.headers, mediaType);
}

/** Sends a response without a body (a CORS preflight). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}
