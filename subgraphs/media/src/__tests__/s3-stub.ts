import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/** One request the stub answered. */
export interface S3StubRequest {
  method: string;
  /** Path-style: `/<bucket>/<key>`. */
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * A stand-in for an S3-compatible server, for tests: path-style `PUT`, `GET`, `HEAD` and `DELETE`
 * of objects in one bucket, kept in memory, answered as S3 does (404 `NoSuchKey` XML, 204 for
 * any delete). It checks what S3 would refuse: another bucket, a request not signed with AWS
 * Signature V4 by `accessKeyId`, a body whose length is not `Content-Length`. It does not check
 * the signature itself: this is not S3, only the requests our storage must make.
 */
export async function startS3Stub(bucket: string, accessKeyId: string) {
  const objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  const requests: S3StubRequest[] = [];

  const sendError = (res: ServerResponse, status: number, code: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await buffer(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    const method = req.method ?? 'GET';
    requests.push({ method, path: decodeURIComponent(url.pathname), contentType: req.headers['content-type'], body });
    const authorization = req.headers.authorization ?? '';
    if (!authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${accessKeyId}/`)) return sendError(res, 403, 'AccessDenied');
    const [, bucketName, ...rest] = url.pathname.split('/');
    if (bucketName !== bucket || rest.length === 0) return sendError(res, 404, 'NoSuchBucket');
    const key = decodeURIComponent(rest.join('/'));
    if (method === 'PUT') {
      if (Number(req.headers['content-length']) !== body.length) return sendError(res, 400, 'IncompleteBody');
      objects.set(key, { body, contentType: req.headers['content-type'] });
      res.writeHead(200, { etag: '"stub"' });
      return res.end();
    }
    if (method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key);
      if (!object) return sendError(res, 404, 'NoSuchKey');
      res.writeHead(200, { 'content-length': object.body.length, 'content-type': object.contentType ?? 'application/octet-stream' });
      return res.end(method === 'GET' ? object.body : undefined);
    }
    return sendError(res, 405, 'MethodNotAllowed');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, 500, 'InternalError'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
