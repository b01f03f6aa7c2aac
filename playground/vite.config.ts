import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The playground, served by the gateway under /playground/ (its assets under /playground/assets/,
 * hashed, so the gateway caches them as immutable). Everything it loads, Monaco's workers and
 * fonts included, comes from this build: no CDN.
 */
export default defineConfig({
  base: '/playground/',
  build: { target: 'es2022', assetsInlineLimit: 0 },
  // In `vite` dev the page talks to a gateway on its default port through this proxy, on one origin as when the gateway serves it.
  server: {
    port: 5180,
    strictPort: true,
    host: '127.0.0.1',
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/playground/config.json': 'http://127.0.0.1:4000', '/playground/session': 'http://127.0.0.1:4000' },
  },
  optimizeDeps: { exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'] },
  plugins: [react()],
});
