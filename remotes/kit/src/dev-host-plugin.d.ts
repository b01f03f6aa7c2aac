import type { Plugin } from 'vite';

/** The gateway the dev host's `/graphql` forwards to. @default http://127.0.0.1:4000/graphql */
export declare const DEFAULT_DEV_GATEWAY_URL: string;

/**
 * `vite` (dev) in a mini-app: instead of a page of its own, the dev host page (dev-host/), which
 * signs in to the gateway and renders the mini-app's root component with a real `MiniAppContext`
 * and a GraphQL client like the shell's. The page talks to `/graphql` on its own origin, which the
 * dev server forwards (HTTP and WebSocket) to `GATEWAY_URL`: the gateway needs no CORS entry for it.
 * @param app the root component's file, relative to the mini-app's folder
 */
export declare function devHost(options: { app: string }): Plugin;
