import type { GatewayPlugin } from './plugin.js';

/** Extensions a subgraph or the gateway may attach that describe internals (stack, upstream response). */
export const INTERNAL_EXTENSIONS = ['stacktrace', 'exception', 'response'] as const;

export interface SubgraphErrorsOptions {
  /** Keep subgraphs' stack traces and upstream responses in errors. @default false */
  development?: boolean;
}

/**
 * Subgraph errors keep their subgraph's name: every error that came from a subgraph carries
 * `extensions.serviceName` (the gateway adds it to the errors in subgraph responses; the upstream
 * data source adds it to `SUBGRAPH_UNAVAILABLE` and failed requests). Outside development, this
 * plugin removes what a subgraph's error may say about its internals (stack traces, the upstream
 * response) so that nothing like an `ECONNREFUSED` trace reaches a client.
 */
export function useSubgraphErrors(options: SubgraphErrorsOptions = {}): GatewayPlugin {
  return {
    name: 'subgraph-errors',
    formatError(formatted) {
      if (options.development || !formatted.extensions) return formatted;
      if (!INTERNAL_EXTENSIONS.some((key) => key in formatted.extensions!)) return formatted;
      const extensions = { ...formatted.extensions };
      for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
      return { ...formatted, extensions };
    },
  };
}
