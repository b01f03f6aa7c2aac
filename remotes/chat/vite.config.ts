import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { MINI_APP_EXPOSE, SHARED } from '@mega/mini-app-sdk/federation';

/** Where this build will be served from (absolute: chunks load from it inside the shell's page). */
const base = process.env.MINI_APP_BASE ?? 'http://127.0.0.1:5174/';

export default defineConfig({
  base,
  build: { target: 'es2022' },
  server: { port: 5174, strictPort: true, host: '127.0.0.1', origin: base.replace(/\/$/, '') },
  preview: { port: 5174, strictPort: true, host: '127.0.0.1', cors: true },
  plugins: [react(), federation({ name: 'chat', filename: 'remoteEntry.js', manifest: true, dts: false, exposes: { [MINI_APP_EXPOSE]: './src/app.tsx' }, shared: SHARED })],
});
