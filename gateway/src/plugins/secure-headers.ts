import type { GatewayPlugin } from './plugin.js';

/**
 * Headers on every response of the gateway (every route, errors included). HSTS is added by the
 * TLS setup, not here: it means nothing over plain HTTP.
 */
export const DEFAULT_SECURE_HEADERS: Readonly<Record<string, string>> = {
  /** Browsers must not guess a content type other than the one sent. */
  'x-content-type-options': 'nosniff',
  /** Leave no URL of the gateway in the Referer of requests that its responses lead to. */
  'referrer-policy': 'no-referrer',
  /** Never inside a frame (clickjacking), for old browsers and new. */
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  /** Other sites may not embed responses with `<script>`/`<img>` (no-cors requests). */
  'cross-origin-resource-policy': 'same-site',
};

/** Secure headers: `headers` (@default DEFAULT_SECURE_HEADERS) on every response of the gateway. */
export function useSecureHeaders(headers: Readonly<Record<string, string>> = DEFAULT_SECURE_HEADERS): GatewayPlugin {
  return { name: 'secure-headers', responseHeaders: headers };
}
