import { request } from 'node:https';
import type { ConnectionOptions } from 'node:tls';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** TLS of this one connection: `ca` to trust, `cert`/`key` to present, versions, ciphers. */
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'minVersion' | 'maxVersion' | 'ciphers'>;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * One HTTPS request on a fresh connection (no pooling, so each call does its own handshake), with
 * exactly the TLS options given: Node's CAs unless `tls.ca`. Rejects with Node's TLS error (its
 * `code`, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`) when the handshake fails.
 */
export function httpsRequest(url: string, options: HttpsRequestOptions = {}): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        agent: false,
        timeout: options.timeoutMs ?? 5_000,
        ...options.tls,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within ${options.timeoutMs ?? 5_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
