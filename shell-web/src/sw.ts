/// <reference lib="webworker" />
/**
 * The shell's service worker (built by vite-plugin-pwa's `injectManifest` into `/sw.js`; never in
 * `vite` dev). What it answers, and nothing else (every other request goes to the network as if
 * there were no worker):
 * - the shell's own build, precached at install (Workbox precaching; `index.html` for every
 *   navigation), replaced as a whole by the next shell's worker once the user accepts the update;
 * - `/config.json` and the registry: network-first (3 s), the last answer kept for an offline start;
 * - the mini-apps' code, one cache per version ({@link MiniAppCode}, ./sw-mini-apps.ts).
 * GraphQL (the gateway's origin, any `/graphql`) is never answered here, and WebSockets cannot be.
 */
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { MiniAppCode } from './sw-mini-apps';
import { CHECK_FOR_UPDATES_MESSAGE } from './sw-messages';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

const miniApps = new MiniAppCode();
let registryUrl = new URL('/registry.json', self.location.origin).href;
let gatewayOrigin: string | undefined;
miniApps.excluded = (url) => url.pathname.endsWith('/graphql') || (url.origin === gatewayOrigin && gatewayOrigin !== self.location.origin);

/** Learns the registry's URL and the gateway's origin from a `config.json` document. */
function learnConfig(config: { gatewayUrl?: unknown; registryUrl?: unknown }): void {
  if (typeof config.registryUrl === 'string') registryUrl = new URL(config.registryUrl, self.location.origin).href;
  if (typeof config.gatewayUrl === 'string') gatewayOrigin = new URL(config.gatewayUrl, self.location.origin).origin;
}

// The shell's build. A new worker waits until the page accepts the update (SKIP_WAITING from workbox-window).
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const type = (event.data as { type?: unknown } | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  if (type === CHECK_FOR_UPDATES_MESSAGE) event.waitUntil(refreshMiniApps());
});
// The first worker takes the page that installed it, so that the mini-apps it opens are kept already.
clientsClaim();

// Run-time configuration and the registry: fresh when the network answers, the last answer otherwise.
const configStrategy = new NetworkFirst({
  cacheName: 'mega-shell-config',
  // A network that carries nothing costs a start this twice (the configuration, then the registry it names): short, as both are a few hundred bytes.
  networkTimeoutSeconds: 3,
  fetchOptions: { credentials: 'omit' },
  plugins: [new ExpirationPlugin({ maxEntries: 8, maxAgeSeconds: 30 * 24 * 3600 })],
});
registerRoute(
  ({ url, sameOrigin }) => (sameOrigin && url.pathname === '/config.json') || url.href.split('?')[0] === registryUrl,
  async (options) => {
    const response = await configStrategy.handle(options);
    const isConfig = options.url.pathname === '/config.json' && options.url.origin === self.location.origin;
    if (response.ok)
      void response
        .clone()
        .json()
        .then((document: unknown) => (isConfig ? learnConfig(document as Record<string, unknown>) : miniApps.learnRegistry(document)))
        .catch(() => undefined);
    return response;
  },
);

// The mini-apps' code, by version: on their own origins, or on the shell's under a path of their own
// (deploy/docker/nginx.conf serves them at /apps/<name>/); the shell's own files were matched above.
registerRoute(
  ({ url, request }) => request.destination !== 'document' && !miniApps.excluded(url) && (url.pathname.endsWith('/mf-manifest.json') || url.pathname.endsWith('.js') || url.pathname.endsWith('.css') || url.pathname.endsWith('.json')),
  async ({ request, event, url }) => {
    const clientId = (event as FetchEvent).clientId;
    const manifestUrl = await miniApps.manifestFor(url);
    if (!manifestUrl) return fetch(request);
    return url.pathname.endsWith('/mf-manifest.json') && url.href.split('?')[0] === manifestUrl ? miniApps.manifest(request, clientId, manifestUrl) : miniApps.file(request, clientId, manifestUrl);
  },
);

/** Reads the configuration and the registry afresh (kept for offline starts) and refreshes the mini-apps run before. */
async function refreshMiniApps(): Promise<void> {
  try {
    const cache = await caches.open('mega-shell-config');
    const configResponse = await fetch('/config.json', { cache: 'no-cache', credentials: 'omit' });
    if (configResponse.ok) {
      await cache.put('/config.json', configResponse.clone());
      learnConfig((await configResponse.json()) as Record<string, unknown>);
    }
    const registryResponse = await fetch(registryUrl, { cache: 'no-cache', credentials: 'omit' });
    if (!registryResponse.ok) return;
    await cache.put(registryUrl, registryResponse.clone());
    await miniApps.refresh(await registryResponse.json());
  } catch {
    // Offline: tried again at the next check.
  }
}

// A new worker learns where the registry is at once (the page that installed it read it before it was controlled).
self.addEventListener('activate', (event) => event.waitUntil(refreshMiniApps()));
