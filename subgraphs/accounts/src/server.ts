import { fileURLToPath } from 'node:url';
import {
  connectRedis,
  launchSubgraph,
  type Database,
  type Logger,
  type RouteHandler,
  type SubgraphDefinition,
  type SubgraphStartOptions,
} from '@mega/subgraph-kit';
import { createContext, type AccountsContext, type AccountsServices } from './context.js';
import { buildSchema } from './schema.js';
import { seedAccounts } from './seed.js';
import { LoginThrottle } from './session/login-throttle.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokenIssuer, SIGNING_KEY_RETIREMENT_MARGIN_SECONDS } from './session/tokens.js';
import { SessionStore } from './store/session.store.js';
import { DEFAULT_SIGNING_KEY_MAX_AGE_DAYS, SigningKeyStore } from './store/signing-key.store.js';
import { tables, type AccountsTables } from './store/tables.js';
import { UserStore } from './store/user.store.js';

/** Where the JSON Web Key Set with the public token-signing keys is served. */
export const JWKS_PATH = '/.well-known/jwks.json';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the accounts subgraph needs besides the common start options. */
export interface AccountsStartOptions extends SubgraphStartOptions {
  /** The current signing key is rotated once it is this old. @default DEFAULT_SIGNING_KEY_MAX_AGE_DAYS (30) */
  signingKeyMaxAgeDays?: number | undefined;
  /** Prefix of the login-throttling keys in Redis (when `redisUrl` is set). @default DEFAULT_LOGIN_THROTTLE_KEY_PREFIX */
  loginThrottleKeyPrefix?: string | undefined;
  /** The time for sessions and signing keys. @default () => new Date() */
  clock?: (() => Date) | undefined;
}

/** The signing-key store with the rotation settings of `options`. */
export function createSigningKeyStore(db: Database<AccountsTables>, options: Pick<AccountsStartOptions, 'signingKeyMaxAgeDays'> = {}): SigningKeyStore {
  return new SigningKeyStore(db, {
    maxAgeMs: (options.signingKeyMaxAgeDays ?? DEFAULT_SIGNING_KEY_MAX_AGE_DAYS) * DAY_MS,
    publishedAfterReplacementMs: (ACCESS_TOKEN_TTL_SECONDS + SIGNING_KEY_RETIREMENT_MARGIN_SECONDS) * 1000,
  });
}

function jwksRoute(services: AccountsServices): RouteHandler {
  return async (req, res, url) => {
    if (url.pathname !== JWKS_PATH) return false;
    const body = JSON.stringify({ keys: await services.signingKeys.publicKeys(services.clock()) });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
    res.end(body);
    return true;
  };
}

async function createServices(db: Database<AccountsTables>, logger: Logger, options: AccountsStartOptions): Promise<AccountsServices> {
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, { name: 'accounts' }) : undefined;
  const signingKeys = createSigningKeyStore(db, options);
  return {
    users: new UserStore(db),
    sessions: new SessionStore(db),
    signingKeys,
    tokens: new AccessTokenIssuer(signingKeys),
    loginThrottle: new LoginThrottle({ redis, keyPrefix: options.loginThrottleKeyPrefix, logger }),
    redis,
    logger,
    clock: options.clock ?? (() => new Date()),
  };
}

/** The accounts subgraph with the settings of `options`. */
export function accountsSubgraph(options: AccountsStartOptions): SubgraphDefinition<AccountsTables, AccountsServices, AccountsContext> {
  return {
    service: 'accounts',
    tables,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    schema: buildSchema,
    services: (db, logger) => createServices(db, logger, options),
    dispose: async (services) => {
      await services.redis?.quit();
    },
    context: createContext,
    seed: seedAccounts,
    routes: jwksRoute,
  };
}

/** Starts the accounts subgraph; the handle's `stop()` drains and closes everything. */
export function startAccounts(options: AccountsStartOptions) {
  return launchSubgraph(accountsSubgraph(options), options);
}
