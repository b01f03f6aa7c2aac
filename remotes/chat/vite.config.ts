import { defineMiniAppConfig } from '@mega/mini-app-kit/vite';

export default defineMiniAppConfig({ name: 'chat', port: 5174, exposes: { './App': './src/app.tsx' } });
