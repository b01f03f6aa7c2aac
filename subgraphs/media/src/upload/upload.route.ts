import type { ServerResponse } from 'node:http';
import { Server, TUS_RESUMABLE } from '@tus/server';
import { ErrorCode, isUuid, type Logger, type RouteHandler } from '@mega/subgraph-kit';
import type { MediaServices } from '../context.js';
import { corsHeaders } from '../http/cors.js';
import { sendJsonError } from '../http/responses.js';
import { UploadFinisher, type FinishOutcome } from './upload-finisher.js';

/** Response headers of the upload endpoint that a page of an allowed origin may read. */
export const UPLOAD_EXPOSED_HEADERS: readonly string[] = [
  'Upload-Offset',
  'Upload-Length',
  'Upload-Metadata',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Location',
];

const UPLOAD_PATH = /^\/uploads\/([^/]+)$/;
const METHODS = 'HEAD, PATCH, DELETE, OPTIONS';

/** A tus error (`{ status_code, body }`) rather than a failure of ours. */
function isTusError(error: unknown): boolean {
  return typeof (error as { status_code?: unknown }).status_code === 'number';
}

function tusErrorBody(outcome: Extract<FinishOutcome, { ok: false }>) {
  return JSON.stringify({ errors: [{ message: outcome.message, extensions: { code: outcome.code, ...outcome.extensions } }] });
}

function createTusServer(services: MediaServices, finisher: UploadFinisher, logger: Logger): Server {
  return new Server({
    path: '/uploads',
    datastore: services.uploads.datastore,
    locker: services.uploads.locker,
    maxSize: services.uploadLimits.maxBytes,
    allowedOrigins: (origin) => services.corsOrigins.has(origin),
    // The route checks the path before tus sees it; tus's default would read the query string into the id.
    getFileIdFromRequest: (req) => UPLOAD_PATH.exec(new URL(req.url).pathname)?.[1],
    onUploadFinish: async (_req, upload) => {
      const outcome = await finisher.finish(upload.id);
      if (outcome.ok) return {};
      return { status_code: outcome.status, body: tusErrorBody(outcome), headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } };
    },
    onResponseError: (_req, error) => {
      if (isTusError(error)) return undefined;
      logger.error({ err: error }, 'upload request failed');
      return { status_code: 500, body: 'Internal server error.' };
    },
  });
}

/**
 * The tus 1.0 endpoint (core protocol plus termination), `/uploads/<assetId>?token=...`, for the
 * uploads that `createUpload` makes; uploads are never created here (no tus POST).
 *
 * - `OPTIONS`: tus discovery and CORS preflight, answered with CORS headers for `corsOrigins` only.
 * - Every other request needs the URL's token (see UploadLinks): none is 401 UNAUTHENTICATED, a
 *   bad or expired one 403 FORBIDDEN with `extensions.reason` (`TOKEN_INVALID`, `TOKEN_EXPIRED`);
 *   an unknown or deleted asset is 404 NOT_FOUND (tus clients then stop resuming).
 * - `HEAD` answers the offset reached, `PATCH` appends at it (409 on a wrong offset, 413 past the
 *   declared `byteSize`, which is the upload's fixed `Upload-Length`); the PATCH that completes the
 *   upload answers only once the asset is READY, or 415 UNSUPPORTED_MEDIA_TYPE when the bytes are
 *   not of the declared type (the asset is deleted). A HEAD once the asset is READY reports the
 *   upload complete, so a client that missed the last answer finishes too.
 * - `DELETE` cancels the upload: its PENDING asset and bytes are deleted.
 *
 * Errors of this route are JSON like the GraphQL ones; tus protocol errors are tus's plain text.
 */
export function uploadRoute(services: MediaServices): RouteHandler {
  const { logger } = services;
  const finisher = new UploadFinisher(services);
  const tus = createTusServer(services, finisher, logger);

  return async (req, res, url) => {
    if (url.pathname !== '/uploads' && !url.pathname.startsWith('/uploads/')) return false;
    const cors = corsHeaders(services.corsOrigins, req, UPLOAD_EXPOSED_HEADERS);
    const headers = { ...cors, 'tus-resumable': TUS_RESUMABLE };
    const sendError = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}) =>
      sendJsonError(res, status, { code, message, extensions }, headers);
    if (req.method === 'OPTIONS') {
      res.setHeader('vary', 'Origin');
      await tus.handle(req, res);
      return true;
    }

    const id = UPLOAD_PATH.exec(url.pathname)?.[1];
    if (!id || !isUuid(id)) {
      sendError(404, ErrorCode.NOT_FOUND, 'No such upload. Uploads are made with the createUpload mutation.');
      return true;
    }
    if (req.method !== 'HEAD' && req.method !== 'PATCH' && req.method !== 'DELETE') {
      res.setHeader('allow', METHODS);
      sendError(405, 'METHOD_NOT_ALLOWED', `An upload takes ${METHODS}.`);
      return true;
    }
    const token = url.searchParams.get('token');
    if (!token) {
      sendError(401, ErrorCode.UNAUTHENTICATED, 'An upload needs the token of its uploadUrl.', { reason: 'TOKEN_REQUIRED' });
      return true;
    }
    const [asset] = await services.assets.byIds([id]);
    if (!asset) {
      sendError(404, ErrorCode.NOT_FOUND, 'This upload no longer exists.');
      return true;
    }
    const problem = services.uploadLinks.verify(asset, token);
    if (problem) {
      sendError(403, ErrorCode.FORBIDDEN, 'This upload needs a valid, unexpired uploadUrl: call createUpload again.', { reason: problem });
      return true;
    }
    const declaredLength = req.headers['upload-length'];
    if (declaredLength !== undefined && declaredLength !== String(asset.byteSize)) {
      sendError(400, ErrorCode.BAD_REQUEST, `Upload-Length must be the byteSize given to createUpload (${asset.byteSize}).`);
      return true;
    }

    if (asset.status === 'READY') {
      if (req.method === 'HEAD') sendComplete(res, asset.byteSize, headers);
      else sendError(409, ErrorCode.CONFLICT, 'This upload is complete.');
      return true;
    }
    if (req.method === 'DELETE') {
      await services.assets.deletePending(asset.id);
      await services.uploads.discard(asset.id);
      res.writeHead(204, { ...headers, 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    const upload = await services.uploads.open(asset);
    if (upload.offset === upload.size) {
      // Complete, but not finished: the request that completed it failed on the way (a crash, storage).
      const outcome = await finisher.finish(asset.id);
      if (!outcome.ok) sendError(outcome.status, outcome.code, outcome.message, outcome.extensions);
      else if (req.method === 'HEAD') sendComplete(res, asset.byteSize, headers);
      else sendError(409, ErrorCode.CONFLICT, 'This upload is complete.');
      return true;
    }
    res.setHeader('vary', 'Origin');
    await tus.handle(req, res);
    return true;
  };
}

/** The tus answer to HEAD for an upload that has all its bytes. */
function sendComplete(res: ServerResponse, byteSize: number, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'upload-offset': String(byteSize), 'upload-length': String(byteSize), 'cache-control': 'no-store' });
  res.end();
}
