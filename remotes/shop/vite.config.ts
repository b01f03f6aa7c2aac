import { defineMiniAppConfig } from '@mega/mini-app-kit/vite';

export default defineMiniAppConfig({ name: 'shop', port: 5176, exposes: { './App': './src/app.tsx' } });
