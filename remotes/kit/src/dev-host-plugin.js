// Plain JavaScript, loaded with vite-config.js (see there).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMiniAppPackage } from './mini-app-package.js';

/** The module through which the dev host page gets the mini-app's root component and its `miniApp` field. */
const APP_MODULE = 'virtual:mini-app-dev-host/app';
const DEV_HOST_MAIN = fileURLToPath(new URL('./dev-host/main.tsx', import.meta.url));
/** The one copy of each, whichever package imports it (the dev host or the mini-app). */
const SINGLETONS = ['react', 'react-dom', '@apollo/client', 'graphql', 'rxjs', '@mega/mini-app-sdk'];

/** The gateway the dev host's `/graphql` forwards to. @default http://127.0.0.1:4000/graphql */
export const DEFAULT_DEV_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

/**
 * `vite` (dev) in a mini-app: instead of a page of its own, the dev host page (dev-host/), which
 * signs in to the gateway and renders the mini-app's root component with a real `MiniAppContext`
 * and a GraphQL client like the shell's. The page talks to `/graphql` on its own origin, which the
 * dev server forwards (HTTP and WebSocket) to `GATEWAY_URL`: the gateway needs no CORS entry for it.
 */
export function devHost({ app }) {
  const gatewayUrl = new URL(process.env.GATEWAY_URL || DEFAULT_DEV_GATEWAY_URL);
  let root = process.cwd();
  let miniApp;
  return {
    name: 'mini-app-dev-host',
    apply: 'serve',
    config: () => ({
      appType: 'custom',
      resolve: { dedupe: SINGLETONS },
      optimizeDeps: { entries: [DEV_HOST_MAIN] },
      server: {
        proxy: {
          // The Host header stays the dev server's: to the gateway a WebSocket from this page is same-origin.
          '/graphql': { target: gatewayUrl.origin, ws: true, rewrite: (url) => url.replace(/^\/graphql/, gatewayUrl.pathname) },
        },
      },
    }),
    configResolved(config) {
      root = config.root;
      miniApp = readMiniAppPackage(root).miniApp;
    },
    resolveId: (id) => (id === APP_MODULE ? `\0${APP_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${APP_MODULE}`) return undefined;
      return [
        `export { default } from ${JSON.stringify(path.resolve(root, app))};`,
        `export const miniApp = ${JSON.stringify(miniApp)};`,
        `export const gatewayTarget = ${JSON.stringify(gatewayUrl.href)};`,
      ].join('\n');
    },
    configureServer(server) {
      // Every page navigation gets the dev host page (the mini-app's own routes included).
      server.middlewares.use(async (req, res, next) => {
        const accept = req.headers.accept ?? '';
        const pathname = (req.url ?? '/').split('?')[0];
        if (req.method !== 'GET' || !accept.includes('text/html') || pathname.startsWith('/graphql') || path.extname(pathname)) return next();
        try {
          const html = await server.transformIndexHtml(req.url ?? '/', page(miniApp.title));
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(html);
        } catch (error) {
          next(error);
        }
      });
    },
  };
}

const page = (title) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>${title.replace(/[<&]/g, '')} (dev host)</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/@fs${DEV_HOST_MAIN}"></script>
  </body>
</html>
`;
