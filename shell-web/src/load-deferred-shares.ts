import type { ModuleFederationRuntimePlugin } from '@module-federation/runtime';

/** Options of {@link loadDeferredShares}, set in vite.config.ts. */
export interface LoadDeferredSharesOptions {
  /** The shared packages the shell's container does not load when it starts. */
  shares: readonly string[];
}

/**
 * A Module Federation runtime plugin of the shell: before the first mini-app is fetched, it loads
 * through the runtime the shell's copies of the shares its container left out of start-up
 * (Apollo Client, graphql, rxjs: see vite.config.ts), so that the share scope marks them loaded
 * and every mini-app takes them, as it takes React, instead of a copy of its own.
 */
export default function loadDeferredShares({ shares }: LoadDeferredSharesOptions): ModuleFederationRuntimePlugin {
  let loaded: Promise<unknown> | undefined;
  return {
    name: 'mega-load-deferred-shares',
    async beforeRequest(args) {
      loaded ??= Promise.all(shares.map((name) => args.origin.loadShare(name))).catch((error: unknown) => {
        loaded = undefined; // the next mini-app tries again
        throw error;
      });
      await loaded;
      return args;
    },
  };
}
