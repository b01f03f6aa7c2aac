import { defineMiniAppConfig } from '@mega/mini-app-kit/vite';

export default defineMiniAppConfig({ name: 'media', port: 5175, exposes: { './App': './src/app.tsx' } });
