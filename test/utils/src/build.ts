import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, type ServiceName } from './services.js';

/** The TypeScript entry of each deployable. */
export const SERVICE_ENTRIES: Record<ServiceName, string> = {
  gateway: 'gateway/src/main.ts',
  accounts: 'subgraphs/accounts/src/main.ts',
  comms: 'subgraphs/comms/src/main.ts',
  media: 'subgraphs/media/src/main.ts',
  commerce: 'subgraphs/commerce/src/main.ts',
};

/**
 * Left out of the bundles: packages that load files beside their own code (PGlite's WebAssembly),
 * native addons, and optional peers that are never loaded. Each deployable lists them as its own
 * dependencies so that `dist/main.mjs` resolves them.
 */
export const BUNDLE_EXTERNALS = ['@electric-sql/pglite', '@node-rs/argon2', 'pg-native', 'class-validator'];

/** Where the bundle of a deployable is written: `<package>/dist/main.mjs`, beside its `src/`. */
export function bundlePath(service: ServiceName): string {
  return path.join(REPO_ROOT, path.dirname(path.dirname(SERVICE_ENTRIES[service])), 'dist', 'main.mjs');
}

/**
 * Bundles each deployable into one ES module with esbuild. A process then starts in well under a
 * second and uses about 100 MB less memory than running the TypeScript sources through tsx,
 * because Node loads one file instead of thousands. Decorators follow the root tsconfig.
 */
export async function buildServices(services: readonly ServiceName[]): Promise<void> {
  await Promise.all(
    services.map((service) =>
      build({
        entryPoints: [path.join(REPO_ROOT, SERVICE_ENTRIES[service])],
        outfile: bundlePath(service),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
        external: BUNDLE_EXTERNALS,
        // CommonJS dependencies inside an ES module bundle still call require().
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
        logLevel: 'error',
      }),
    ),
  );
}
