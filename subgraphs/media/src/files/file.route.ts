import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, type RouteHandler } from '@mega/subgraph-kit';
import type { MediaServices } from '../context.js';
import { corsHeaders } from '../http/cors.js';
import { SAFETY_HEADERS, sendJsonError } from '../http/responses.js';
import { PNG_MIME_TYPE } from '../images/png.js';
import type { FileVariant } from './file-links.js';

/** How long browsers and proxies may keep PUBLIC and UNLISTED files, so that making one PRIVATE takes effect soon. @default 300 s */
export const PUBLIC_FILE_MAX_AGE_SECONDS = 300;

const FILE_PATH = /^\/files\/([^/]+)(\/thumbnail)?$/;

/** Files are immutable per storage key, so a digest of the key is a strong validator. */
function entityTag(storageKey: string): string {
  return `"${createHash('sha256').update(storageKey).digest('base64url').slice(0, 27)}"`;
}

function matchesEntityTag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Serves `GET|HEAD /files/<assetId>` and `/files/<assetId>/thumbnail`. PUBLIC and UNLISTED files
 * go to anyone; PRIVATE ones only with a valid signed link (see FileLinks). Errors are JSON:
 * 404 NOT_FOUND for an unknown asset or file, 403 FORBIDDEN with `extensions.reason`
 * (`SIGNATURE_REQUIRED`, `SIGNATURE_INVALID`, `SIGNATURE_EXPIRED`) for a refused link.
 * Pages of the allowed origins (`corsOrigins`) may read the responses with `fetch` too.
 */
export function fileRoute(services: MediaServices): RouteHandler {
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/files/')) return false;
    const cors = corsHeaders(services.corsOrigins, req);
    const sendError = (status: number, code: string, message: string, extensions: Record<string, string> = {}) =>
      sendJsonError(res, status, { code, message, extensions }, cors);
    const match = FILE_PATH.exec(url.pathname);
    if (!match) {
      sendError(404, ErrorCode.NOT_FOUND, 'No such file.');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendError(405, 'METHOD_NOT_ALLOWED', 'Files can only be read with GET or HEAD.');
      return true;
    }
    const assetId = match[1]!;
    const variant: FileVariant = match[2] ? 'thumbnail' : 'original';
    const [asset] = await services.assets.byIds([assetId]);
    const key = asset?.status === 'READY' ? (variant === 'original' ? asset.storageKey : asset.thumbnailKey) : null;
    if (!asset || !key) {
      sendError(404, ErrorCode.NOT_FOUND, 'No such file.');
      return true;
    }

    let cacheControl = `public, max-age=${PUBLIC_FILE_MAX_AGE_SECONDS}`;
    if (asset.visibility === 'PRIVATE') {
      const problem = services.links.verify(asset.id, variant, url.searchParams);
      if (problem) {
        sendError(403, ErrorCode.FORBIDDEN, 'This file needs a valid, unexpired signed link.', { reason: problem });
        return true;
      }
      const secondsLeft = Number(url.searchParams.get('exp')) - Math.floor(Date.now() / 1000);
      cacheControl = `private, max-age=${Math.max(0, secondsLeft)}`;
    }

    const etag = entityTag(key);
    const headers = { ...SAFETY_HEADERS, ...cors, etag, 'cache-control': cacheControl };
    if (matchesEntityTag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const file = await services.files.get(key);
    if (!file) {
      services.logger.warn({ assetId: asset.id, key }, 'media file missing from storage');
      sendError(404, ErrorCode.NOT_FOUND, 'No such file.');
      return true;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': variant === 'original' ? asset.mimeType : PNG_MIME_TYPE,
      'content-length': file.size,
    });
    if (req.method === 'HEAD') {
      file.body.destroy();
      res.end();
      return true;
    }
    try {
      await pipeline(file.body, res);
    } catch (error) {
      // A client that goes away mid-download is not a server error.
      if (!res.destroyed && !req.destroyed) throw error;
    }
    return true;
  };
}
