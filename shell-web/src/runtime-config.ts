/** What the shell reads at run time from `/config.json`, so that one build runs anywhere. */
export interface RuntimeConfig {
  /** The gateway's GraphQL endpoint. @default http://127.0.0.1:4000/graphql */
  gatewayUrl: string;
  /** The mini-app registry (docs/mini-apps.md). @default /registry.json */
  registryUrl: string;
  /**
   * Lets the Apollo Client Devtools (and tests) find the shell's GraphQL client: it registers under
   * `window[Symbol.for('apollo.devtools')]`. They can read the whole cache, so it is off unless set.
   * @default false
   */
  apolloDevtools: boolean;
  /**
   * The service worker that keeps the shell and the mini-apps' code for offline starts (./sw.ts).
   * `false` unregisters it from every browser that loads this config (a kill switch). @default true
   */
  serviceWorker: boolean;
}

const DEFAULTS: RuntimeConfig = { gatewayUrl: 'http://127.0.0.1:4000/graphql', registryUrl: '/registry.json', apolloDevtools: false, serviceWorker: true };

/** `/config.json` over the defaults; the defaults alone when it is missing or unreadable. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-cache' });
    if (!response.ok) return DEFAULTS;
    const given = (await response.json()) as Partial<RuntimeConfig>;
    return {
      gatewayUrl: typeof given.gatewayUrl === 'string' ? given.gatewayUrl : DEFAULTS.gatewayUrl,
      registryUrl: typeof given.registryUrl === 'string' ? given.registryUrl : DEFAULTS.registryUrl,
      apolloDevtools: given.apolloDevtools === true,
      serviceWorker: given.serviceWorker !== false,
    };
  } catch {
    return DEFAULTS;
  }
}
