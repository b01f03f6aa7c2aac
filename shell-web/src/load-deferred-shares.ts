import type { ModuleFederation, ModuleFederationRuntimePlugin } from '@module-federation/runtime';

/** Options of {@link loadDeferredShares}, set in vite.config.ts. */
export interface LoadDeferredSharesOptions {
  /** The shared packages the shell's container does not load when it starts. */
  shares: readonly string[];
}

/**
 * A Module Federation runtime plugin of the shell: it loads through the runtime the shell's copies
 * of the shares its container left out of start-up (Apollo Client, graphql, rxjs: see
 * vite.config.ts) before the first mini-app's container starts, so that the share scope marks them
 * loaded and every mini-app takes them, as it takes React, instead of a copy of its own. The loads
 * start with the first request for a mini-app, beside the fetch of its manifest and entry.
 */
export default function loadDeferredShares({ shares }: LoadDeferredSharesOptions): ModuleFederationRuntimePlugin {
  let loading: Promise<unknown> | undefined;
  const load = (federation: ModuleFederation) =>
    (loading ??= Promise.all(shares.map((name) => federation.loadShare(name))).catch((error: unknown) => {
      loading = undefined; // the next mini-app tries again
      throw error;
    }));
  return {
    name: 'mega-load-deferred-shares',
    async beforeRequest(args) {
      load(args.origin).catch(() => undefined); // awaited below, before a container starts
      return args;
    },
    async beforeInitContainer(args) {
      await load(args.origin);
      return args;
    },
  };
}
