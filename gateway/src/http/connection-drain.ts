import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { Server as NetServer, type Socket } from 'node:net';

/** Hands a server's clients over to another process listening on the same port (a rolling restart of workers). */
export interface ConnectionDrain {
  /** True once `drain()` was called: each response then carries `Connection: close`. */
  readonly draining: boolean;
  /**
   * Stops accepting connections (in a cluster worker: the primary sends this worker no more) but
   * keeps serving the open ones, each response with `Connection: close`, until every HTTP
   * connection has closed or `timeoutMs` passed. Idle keep-alive connections are not cut (a
   * client may be sending on one at that moment): the client closes them after the response, or
   * Node's `keepAliveTimeout` does. WebSocket connections are not waited for.
   */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Tracks the HTTP connections of `server` so that `drain()` can wait for them. Create before the
 * server listens.
 */
export function trackConnections(server: HttpServer): ConnectionDrain {
  const open = new Set<Socket>();
  let draining = false;
  let drained: (() => void) | undefined;
  const forget = (socket: Socket) => {
    open.delete(socket);
    if (open.size === 0) drained?.();
  };
  server.on(server instanceof HttpsServer ? 'secureConnection' : 'connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => forget(socket));
  });
  // A socket upgraded to a WebSocket is no HTTP connection any more (the subscription server closes it).
  // Only alongside another 'upgrade' listener: with none, Node answers upgrade requests as plain HTTP.
  let watchingUpgrades = false;
  server.on('newListener', (event: string | symbol) => {
    if (event !== 'upgrade' || watchingUpgrades) return;
    watchingUpgrades = true;
    server.on('upgrade', (req: IncomingMessage) => forget(req.socket));
  });
  server.on('request', (_req: IncomingMessage, res) => {
    if (draining) res.setHeader('connection', 'close');
  });
  return {
    get draining() {
      return draining;
    },
    async drain(timeoutMs) {
      if (draining) return;
      draining = true;
      // net.Server's close, not http.Server's: the latter also cuts idle keep-alive connections.
      if (server.listening) NetServer.prototype.close.call(server);
      if (open.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        drained = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    },
  };
}
