import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { trackConnections } from '../http/connection-drain.js';

function get(port: number, agent: Agent | false): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('draining connections (a rolling restart of workers)', () => {
  it('refuses new connections but answers the next request on an idle keep-alive one, with Connection: close, then resolves', async () => {
    const server = createServer();
    const connections = trackConnections(server);
    server.on('request', (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(port, agent)).headers.connection).toBe('keep-alive');
      const drained = connections.drain(10_000);
      expect(connections.draining).toBe(true);
      await expect(get(port, false)).rejects.toThrow(/ECONNREFUSED/);
      // The client's idle connection was not cut: its next request is answered, and the server closes it after.
      const answer = await get(port, agent);
      expect(answer).toMatchObject({ status: 200, headers: { connection: 'close' } });
      await drained;
      expect(server.listening).toBe(false);
    } finally {
      agent.destroy();
      server.closeAllConnections();
    }
  });

  it('resolves after the timeout when a client keeps its connection open and idle', async () => {
    const server = createServer();
    const connections = trackConnections(server);
    server.on('request', (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agent = new Agent({ keepAlive: true });
    try {
      await get((server.address() as AddressInfo).port, agent);
      const started = performance.now();
      await connections.drain(100);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      agent.destroy();
      server.closeAllConnections();
    }
  });

  it('does not wait for connections upgraded to WebSockets, and adds no upgrade listener of its own to a server without one', async () => {
    const server = createServer();
    const connections = trackConnections(server);
    expect(server.listenerCount('upgrade')).toBe(0); // Node then answers upgrade requests as plain HTTP, as before
    const upgraded: Socket[] = [];
    server.on('upgrade', (_req, socket: Socket) => {
      upgraded.push(socket);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    try {
      client.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      await once(client, 'data');
      expect(upgraded).toHaveLength(1);
      const started = performance.now();
      await connections.drain(5_000);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(client.destroyed).toBe(false);
    } finally {
      client.destroy();
      server.closeAllConnections();
    }
  });
});
