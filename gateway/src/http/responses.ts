import type { ServerResponse } from 'node:http';
import type { GatewayHttpError } from '../errors.js';
import { REQUEST_ID_HEADER } from '../plugins/request-id.js';
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
  const body = error.toResponseBody();
  // Answered before GraphQL ran (rate limited, bad JSON, keys unavailable ...): the error carries the request id all the same.
  const requestId = res.getHeader(REQUEST_ID_HEADER);
  if (typeof requestId === 'string') for (const entry of body.errors) entry.extensions.requestId = requestId;
  sendJson(res, error.status, body, error.headers, mediaType);
}

/** Sends a response without a body (a CORS preflight). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}
