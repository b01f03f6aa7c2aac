/** `pnpm build`: bundles every deployable into `<package>/dist/main.mjs` (see build.ts). */
import { buildServices, bundlePath } from './build.js';
import { SERVICES } from './services.js';

const started = performance.now();
await buildServices(SERVICES);
console.log(`Built ${SERVICES.map(bundlePath).join(', ')} in ${Math.round(performance.now() - started)} ms`);
