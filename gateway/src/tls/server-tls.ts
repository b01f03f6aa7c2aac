import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/** The oldest TLS version the gateway accepts; TLS 1.0 and 1.1 clients are refused in the handshake. */
export const MIN_TLS_VERSION = 'TLSv1.2';
/** `Strict-Transport-Security` on every response when TLS is on: browsers use only HTTPS, for a year, subdomains included. */
export const HSTS_HEADER_VALUE = 'max-age=31536000; includeSubDomains';

/** The gateway's certificate (chain) and private key, PEM: as files, or as their contents. */
export type GatewayTlsOptions = { certFile: string; keyFile: string } | { cert: string | Buffer; key: string | Buffer };

/** The one server of the gateway: every route, and the WebSocket upgrade, are served by it. */
export interface GatewayServer {
  /** Plain HTTP, or HTTPS (an `https.Server`, which is an `http.Server`) when TLS is configured. */
  server: Server;
  /** `https` when TLS is on: the scheme of the URLs the gateway reports (and `wss` for WebSockets). */
  scheme: 'http' | 'https';
  /**
   * Reads the certificate and key (from their files) into the server. Called before listening, and
   * again to rotate them: connections opened afterwards get the new ones, open ones keep theirs.
   * Resolves at once without TLS.
   * @throws naming the file that cannot be read, or when the key does not match the certificate
   */
  loadCredentials(): Promise<void>;
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`Cannot read the TLS ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** Files win when both forms are given: they are what a renewal replaces. */
async function credentials(tls: GatewayTlsOptions): Promise<{ cert: string | Buffer; key: string | Buffer }> {
  if ('certFile' in tls) {
    const [cert, key] = await Promise.all([readPem(tls.certFile, 'certificate'), readPem(tls.keyFile, 'private key')]);
    return { cert, key };
  }
  return { cert: tls.cert, key: tls.key };
}

/**
 * Makes the gateway's server: `node:http` without `tls`; with it, `node:https` with TLS 1.2 at
 * least and `Strict-Transport-Security` on every response. Nothing is read until
 * {@link GatewayServer.loadCredentials}.
 */
export function createGatewayServer(tls: GatewayTlsOptions | undefined): GatewayServer {
  if (!tls) return { server: createHttpServer(), scheme: 'http', loadCredentials: async () => undefined };
  const server = createHttpsServer({ minVersion: MIN_TLS_VERSION });
  // Registered before the gateway's own request listener, so the header is on every response,
  // errors and health checks included.
  server.on('request', (_req, res) => res.setHeader('strict-transport-security', HSTS_HEADER_VALUE));
  return {
    server,
    scheme: 'https',
    async loadCredentials() {
      server.setSecureContext({ ...(await credentials(tls)), minVersion: MIN_TLS_VERSION });
    },
  };
}
