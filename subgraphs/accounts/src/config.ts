import { z } from 'zod';
import { parseEnvironment, readSubgraphConfig, startOptionsFromConfig, type Logger, type SubgraphConfig } from '@mega/subgraph-kit';
import type { AccountsStartOptions } from './server.js';
import { DEFAULT_SIGNING_KEY_MAX_AGE_DAYS } from './store/signing-key.store.js';

const environment = z.object({
  SIGNING_KEY_MAX_AGE_DAYS: z.coerce
    .number({ error: 'SIGNING_KEY_MAX_AGE_DAYS must be a number of days' })
    .positive('SIGNING_KEY_MAX_AGE_DAYS must be more than 0')
    .max(366, 'SIGNING_KEY_MAX_AGE_DAYS must be at most 366')
    .default(DEFAULT_SIGNING_KEY_MAX_AGE_DAYS),
});

/** Everything the accounts subgraph process reads from its environment. */
export interface AccountsConfig extends SubgraphConfig {
  /** `SIGNING_KEY_MAX_AGE_DAYS`: the signing key is rotated once it is this old. @default DEFAULT_SIGNING_KEY_MAX_AGE_DAYS (30) */
  signingKeyMaxAgeDays: number;
}

/** Reads the common subgraph settings plus the accounts ones. The only place accounts reads `process.env`. */
export function readAccountsConfig(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  const common = readSubgraphConfig('accounts', env);
  const parsed = parseEnvironment(environment, env);
  return { ...common, signingKeyMaxAgeDays: parsed.SIGNING_KEY_MAX_AGE_DAYS };
}

/** Maps the accounts configuration to start options. */
export function accountsStartOptionsFromConfig(config: AccountsConfig, logger: Logger): AccountsStartOptions {
  return { ...startOptionsFromConfig(config, logger), signingKeyMaxAgeDays: config.signingKeyMaxAgeDays };
}
