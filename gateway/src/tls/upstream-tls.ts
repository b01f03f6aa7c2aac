import { readFile } from 'node:fs/promises';

/**
 * TLS from the gateway to the subgraphs (`https://` subgraph URLs), configured by file paths. All
 * optional: without any, subgraph certificates are checked against Node's CAs and no client
 * certificate is presented.
 */
export interface UpstreamTlsOptions {
  /** CA certificate(s), PEM, that sign the subgraphs' server certificates. Replaces Node's CAs for subgraph connections. */
  caFile?: string | undefined;
  /** Client certificate (PEM) presented to subgraphs that require one (mutual TLS). Goes with `keyFile`. */
  certFile?: string | undefined;
  /** Private key (PEM) of `certFile`. */
  keyFile?: string | undefined;
}

/** What `tls.connect` (undici's `connect` option) needs: the contents of the files. */
export interface UpstreamTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

async function read(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`Cannot read the upstream TLS ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Reads the upstream TLS files. Shared by every connection to a subgraph (HTTP now, graphql-ws later).
 * @returns undefined when nothing is configured
 * @throws when only one of `certFile` and `keyFile` is given, or a file cannot be read
 */
export async function loadUpstreamTls(options: UpstreamTlsOptions | undefined): Promise<UpstreamTlsMaterial | undefined> {
  if (!options || (!options.caFile && !options.certFile && !options.keyFile)) return undefined;
  if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
    throw new Error('Upstream TLS needs both a client certificate and its key, or neither.');
  }
  const [ca, cert, key] = await Promise.all([
    options.caFile ? read(options.caFile, 'CA certificate') : undefined,
    options.certFile ? read(options.certFile, 'client certificate') : undefined,
    options.keyFile ? read(options.keyFile, 'client key') : undefined,
  ]);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
