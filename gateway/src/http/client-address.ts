import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The address of the client that sent `req`. With `trustedProxies` = 0 it is the socket's peer
 * (`X-Forwarded-For` is ignored: any client can write it). With N trusted proxies in front of the
 * gateway, each appending the address it received the request from, it is the N-th entry of
 * `X-Forwarded-For` counted from the right: everything left of it was written by the client.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? '';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const forwarded = hops[Math.max(0, hops.length - trustedProxies)];
  return forwarded && isIP(forwarded) ? forwarded : peer;
}
