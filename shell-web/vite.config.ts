import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { SHARED } from '@mega/mini-app-sdk/federation';

/** The shell: a host with no static remotes; it registers them from the registry at run time. */
export default defineConfig({
  base: '/',
  build: { target: 'es2022' },
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 5173, strictPort: true, host: '127.0.0.1' },
  plugins: [react(), federation({ name: 'shell', dts: false, shareStrategy: 'loaded-first', shared: SHARED })],
});
