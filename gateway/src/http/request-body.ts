import type { IncomingMessage } from 'node:http';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';

function tooLarge(limit: number): GatewayHttpError {
  // `connection: close`: the rest of the body is not read, so the socket cannot be reused.
  return new GatewayHttpError(413, GatewayErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit} bytes.`, {
    connection: 'close',
  });
}

/** True for `application/json` with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Reads and parses the JSON body of a GraphQL POST.
 * @throws GatewayHttpError 415 `UNSUPPORTED_MEDIA_TYPE` when it is not `application/json`,
 * 413 `PAYLOAD_TOO_LARGE` past `limit` bytes (declared or streamed), 400 `BAD_REQUEST` for malformed JSON
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!isJson(req.headers['content-type'])) {
    throw new GatewayHttpError(
      415,
      GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'Send GraphQL POST requests as "content-type: application/json" (or use GET for queries).',
      { accept: 'application/json' },
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new GatewayHttpError(400, GatewayErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
  }
}
