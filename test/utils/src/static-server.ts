import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { STATIC_CONTENT_TYPES } from '@mega/gateway';


export interface StaticServerOptions {
  /** The folder served (a vite build). */
  root: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * Answer every path without a file extension that is not a file with `index.html` (a single-page
   * app such as the shell, whose routes are paths). @default false: 404
   */
  spaFallback?: boolean;
  /**
   * `Access-Control-Allow-Origin: *` on every response: a mini-app's manifest and modules are
   * fetched cross-origin by the shell's page. @default false
   */
  cors?: boolean;
  /**
   * Documents served from memory instead of `root`, by path (`/config.json`, `/registry.json`): a
   * deployment's run-time configuration beside an immutable build. Read on every request, so a
   * function may change its answer.
   */
  documents?: Record<string, () => string>;
  /** Serve HTTPS with this certificate and key (PEM files). @default HTTP */
  tls?: { certFile: string; keyFile: string };
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`) */
  origin: string;
  port: number;
  /** Stops listening and closes open connections. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a vite build over HTTP (or HTTPS): files under `root` (nothing outside it), `documents` from memory,
 * `Cache-Control: immutable` for the content-hashed `assets/`, `no-cache` for everything else
 * (a mini-app's `mf-manifest.json` and `remoteEntry.js` keep their names from one release to the next).
 */
export async function serveStatic(options: StaticServerOptions): Promise<StaticServer> {
  const root = path.resolve(options.root);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (options.cors) response.setHeader('access-control-allow-origin', '*');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(request.method === 'OPTIONS' ? 204 : 405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      } catch {
        response.writeHead(400).end();
        return;
      }
      const document = options.documents?.[pathname];
      if (document) {
        response.writeHead(200, { 'content-type': STATIC_CONTENT_TYPES[path.extname(pathname)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
        response.end(request.method === 'HEAD' ? undefined : document());
        return;
      }
      let file = path.join(root, pathname);
      if (file !== root && !file.startsWith(root + path.sep)) {
        response.writeHead(404).end();
        return;
      }
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile() && options.spaFallback && !path.extname(pathname)) {
        file = path.join(root, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
      response.writeHead(200, {
        'content-type': STATIC_CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const server: Server = options.tls ? createHttpsServer({ cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) }, handle) : createServer(handle);
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { origin: `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`, port, close, [Symbol.asyncDispose]: close };
}
