import { parseEnvironment, readSubgraphConfig, startOptionsFromConfig, type Logger, type SubgraphConfig } from '@mega/subgraph-kit';
import { z } from 'zod';
import { DEFAULT_FULFILMENT_STEP_MS } from './fulfilment/fulfilment-worker.js';
import type { CommerceStartOptions } from './server.js';

const environment = z.object({
  FULFILMENT_STEP_MS: z.coerce.number().int().min(0).default(DEFAULT_FULFILMENT_STEP_MS),
  FULFILMENT_WORKER: z.enum(['true', 'false']).default('true'),
});

/** Everything the commerce process reads from its environment. */
export interface CommerceConfig extends SubgraphConfig {
  /** `FULFILMENT_STEP_MS`: delay between fulfilment steps; 0 turns the worker off. @default 5000 */
  fulfilmentStepMs: number;
  /** `FULFILMENT_WORKER`: run the fulfilment loop in this instance. @default true */
  fulfilmentWorker: boolean;
}

/** Reads the common subgraph settings plus commerce's own; fails naming what is malformed. */
export function readCommerceConfig(env: NodeJS.ProcessEnv = process.env): CommerceConfig {
  const base = readSubgraphConfig('commerce', env);
  const parsed = parseEnvironment(environment, env);
  return { ...base, fulfilmentStepMs: parsed.FULFILMENT_STEP_MS, fulfilmentWorker: parsed.FULFILMENT_WORKER === 'true' };
}

export function commerceStartOptionsFromConfig(config: CommerceConfig, logger: Logger): CommerceStartOptions {
  return { ...startOptionsFromConfig(config, logger), fulfilmentStepMs: config.fulfilmentStepMs, fulfilmentWorker: config.fulfilmentWorker };
}
