import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** How often each backend's /readyz is asked. @default 1000 ms */
export const DEFAULT_LB_HEALTH_CHECK_INTERVAL_MS = 1_000;

export interface LoadBalancerOptions {
  /** The backends' origins, e.g. `http://127.0.0.1:4010`. */
  backends: readonly string[];
  /** 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default DEFAULT_LB_HEALTH_CHECK_INTERVAL_MS */
  healthCheckIntervalMs?: number;
}

export interface LoadBalancer {
  /** Its origin, e.g. `http://127.0.0.1:4000`. */
  origin: string;
  port: number;
  /** Requests and WebSocket upgrades forwarded to each backend so far. */
  forwarded: Map<string, number>;
  /** WebSockets open through the load balancer to `backend` now. */
  openWebSockets(backend: string): number;
  /** Whether `backend` is in rotation (its last /readyz answered 200 and no connection to it was refused since). */
  isUp(backend: string): boolean;
  stop(): Promise<void>;
}

/** Hop-by-hop headers, which a proxy must not forward (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

function forwardedFor(req: IncomingMessage): string {
  const previous = req.headers['x-forwarded-for'];
  const peer = req.socket.remoteAddress ?? '';
  return previous ? `${Array.isArray(previous) ? previous.join(', ') : previous}, ${peer}` : peer;
}

function refused(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
}

/**
 * The small load balancer of the `pnpm start:cluster` demo: plain HTTP and WebSocket upgrades,
 * round-robin over the backends whose /readyz answers 200, each request's client address appended
 * to `X-Forwarded-For` (so run the backends with TRUST_PROXY=1). A refused connection (nothing
 * sent) goes to the next backend; a connection that fails later answers 502, since the request
 * may have been served: the client decides whether to retry. Bodies are buffered (the gateway
 * takes at most 1 MiB). Not for production: use a real one (nginx, HAProxy, a cloud LB).
 */
export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const backends = options.backends.map((origin) => new URL(origin));
  const keys = backends.map((url) => url.origin);
  const up = new Map(keys.map((key) => [key, true]));
  const forwarded = new Map(keys.map((key) => [key, 0]));
  const webSockets = new Map(keys.map((key) => [key, new Set<Socket>()]));
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;

  /** Backends to try in order: the next healthy one first, then the other healthy ones; all of them when none is healthy. */
  const order = (): URL[] => {
    const start = next++ % backends.length;
    const rotated = [...backends.slice(start), ...backends.slice(0, start)];
    const healthy = rotated.filter((url) => up.get(url.origin));
    return healthy.length > 0 ? healthy : rotated;
  };

  const checks = setInterval(() => {
    for (const url of backends) {
      const probe = http.get(new URL('/readyz', url), { timeout: 1_000 }, (response) => {
        response.resume();
        up.set(url.origin, response.statusCode === 200);
      });
      probe.on('timeout', () => probe.destroy(new Error('timeout')));
      probe.on('error', () => up.set(url.origin, false));
    }
  }, options.healthCheckIntervalMs ?? DEFAULT_LB_HEALTH_CHECK_INTERVAL_MS);
  checks.unref();

  const badGateway = (res: ServerResponse, message: string) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_GATEWAY' } }] }));
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, candidates: URL[]) => {
    const target = candidates[0];
    if (!target) return badGateway(res, 'No gateway is reachable.');
    const headers: http.OutgoingHttpHeaders = { 'x-forwarded-for': forwardedFor(req), 'x-forwarded-proto': 'http', 'content-length': body.length };
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && name !== 'x-forwarded-for' && name !== 'content-length' && value !== undefined) headers[name] = value;
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (response) => {
      forwarded.set(target.origin, forwarded.get(target.origin)! + 1);
      const responseHeaders = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(response.statusCode ?? 502, responseHeaders);
      response.pipe(res);
      response.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (!refused(error)) return badGateway(res, 'The gateway failed while answering; the request may have been served.');
      up.set(target.origin, false);
      forward(req, res, body, candidates.slice(1));
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), order()));
    req.on('error', () => res.destroy());
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const connect = (candidates: URL[]) => {
      const target = candidates[0];
      if (!target) return void client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      const upstream = net.connect(Number(target.port), target.hostname);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        forwarded.set(target.origin, forwarded.get(target.origin)! + 1);
        const open = webSockets.get(target.origin)!;
        open.add(upstream);
        upstream.once('close', () => open.delete(upstream));
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let index = 0; index < req.rawHeaders.length; index += 2) {
          if (req.rawHeaders[index]!.toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}`);
        }
        lines.push(`X-Forwarded-For: ${forwardedFor(req)}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', (error) => {
        if (!connected && refused(error)) {
          up.set(target.origin, false);
          return connect(candidates.slice(1));
        }
        client.destroy();
      });
      upstream.on('close', () => {
        if (connected) client.destroy();
      });
      client.once('close', () => upstream.destroy());
    };
    client.on('error', () => undefined);
    connect(order());
  });

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    forwarded,
    openWebSockets: (backend) => webSockets.get(new URL(backend).origin)?.size ?? 0,
    isUp: (backend) => up.get(new URL(backend).origin) ?? false,
    async stop() {
      clearInterval(checks);
      for (const open of webSockets.values()) for (const socket of open) socket.destroy();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
