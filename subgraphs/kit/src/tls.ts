import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/** The oldest TLS version a subgraph accepts. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/**
 * Mutual TLS for a subgraph: it serves HTTPS with `certFile`/`keyFile` and accepts only clients
 * (the gateway) presenting a certificate signed by `clientCaFile`. A client without one is refused
 * in the TLS handshake, before any HTTP, so this covers every path: /graphql, files, JWKS, and
 * /healthz and /readyz too (probes then need a client certificate).
 */
export interface SubgraphTlsOptions {
  /** The subgraph's certificate (chain), PEM. */
  certFile: string;
  /** Its private key, PEM. */
  keyFile: string;
  /** The CA certificate(s), PEM, that sign the client certificates accepted. */
  clientCaFile: string;
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`Cannot read the TLS ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/**
 * The server of a subgraph: `node:http`, or with `tls` `node:https` requiring a client certificate
 * signed by the configured CA (TLS 1.2 or later).
 * @throws naming the file that cannot be read, or when the key does not match the certificate
 */
export async function createSubgraphHttpServer(tls: SubgraphTlsOptions | undefined): Promise<{ server: Server; scheme: 'http' | 'https' }> {
  if (!tls) return { server: createHttpServer(), scheme: 'http' };
  const [cert, key, ca] = await Promise.all([
    readPem(tls.certFile, 'certificate'),
    readPem(tls.keyFile, 'private key'),
    readPem(tls.clientCaFile, 'client CA certificate'),
  ]);
  const server = createHttpsServer({ cert, key, ca, requestCert: true, rejectUnauthorized: true, minVersion: MIN_TLS_VERSION });
  return { server, scheme: 'https' };
}
