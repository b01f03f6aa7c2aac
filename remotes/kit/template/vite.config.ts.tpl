import { defineMiniAppConfig } from '@mega/mini-app-kit/vite';

export default defineMiniAppConfig({ name: '__NAME__', port: __PORT__, exposes: { './App': './src/app.tsx' } });
