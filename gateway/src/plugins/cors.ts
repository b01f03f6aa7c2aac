import type { GatewayPlugin } from './plugin.js';

/** The web shell's development servers; allowed by default when NODE_ENV is not production (shared with media's upload routes). */
export { DEFAULT_DEVELOPMENT_CORS_ORIGINS } from '@mega/subgraph-kit/cors';
/** Request headers a browser may send cross-origin (answered to preflights). */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** Response headers a cross-origin page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['x-request-id', 'retry-after', 'www-authenticate'];
/** Methods answered to preflights. */
export const CORS_ALLOWED_METHODS: readonly string[] = ['GET', 'POST'];
/** How long a browser may cache a preflight answer. @default 600 seconds */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

export interface CorsOptions {
  /**
   * Origins (`scheme://host[:port]`, exactly as browsers send them) whose pages may call the
   * gateway. Credentials (cookies) are never allowed: the gateway reads bearer tokens only.
   * @default [] (createGateway); DEFAULT_DEVELOPMENT_CORS_ORIGINS outside production (main.ts, CORS_ORIGINS)
   */
  origins: readonly string[];
  /** @default DEFAULT_CORS_MAX_AGE_SECONDS */
  maxAgeSeconds?: number;
}

/**
 * CORS with an allowlist. Every /graphql response says `Vary: Origin`. A request from an allowed
 * origin gets `Access-Control-Allow-Origin: <that origin>` (never `*`, never credentials); its
 * preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 with the allowed
 * methods and headers. Any other origin gets no CORS headers at all, so the browser withholds the
 * response; its preflight is still answered 204 (without CORS headers), and so is any other `OPTIONS`.
 */
export function useCors(options: CorsOptions): GatewayPlugin {
  const origins = new Set(options.origins);
  const maxAge = String(options.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS);
  return {
    name: 'cors',
    onRequest(request) {
      request.setResponseHeader('vary', 'Origin');
      const origin = request.headers.origin;
      const allowed = origin !== undefined && origins.has(origin);
      if (request.method === 'OPTIONS') {
        const allow = { allow: [...CORS_ALLOWED_METHODS, 'OPTIONS'].join(', ') };
        if (!allowed || request.headers['access-control-request-method'] === undefined) return { status: 204, headers: allow };
        return {
          status: 204,
          headers: {
            ...allow,
            'access-control-allow-origin': origin,
            'access-control-allow-methods': CORS_ALLOWED_METHODS.join(', '),
            'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
            'access-control-max-age': maxAge,
          },
        };
      }
      if (!allowed) return;
      request.setResponseHeader('access-control-allow-origin', origin);
      request.setResponseHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
    },
  };
}
