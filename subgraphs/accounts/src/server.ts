import { fileURLToPath } from 'node:url';
import { launchSubgraph, type RouteHandler, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, type AccountsContext, type AccountsServices } from './context.js';
import { buildSchema } from './schema.js';
import { seedAccounts } from './seed.js';
import { AccessTokenIssuer } from './session/tokens.js';
import { SessionStore } from './store/session.store.js';
import { SigningKeyStore } from './store/signing-key.store.js';
import { tables, type AccountsTables } from './store/tables.js';
import { UserStore } from './store/user.store.js';

/** Where the JSON Web Key Set with the public token-signing keys is served. */
export const JWKS_PATH = '/.well-known/jwks.json';

function jwksRoute(services: AccountsServices): RouteHandler {
  return async (req, res, url) => {
    if (url.pathname !== JWKS_PATH) return false;
    await services.signingKeys.current(); // make sure a key exists before anyone asks to verify
    const body = JSON.stringify({ keys: await services.signingKeys.publicKeys() });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
    res.end(body);
    return true;
  };
}

export const accountsSubgraph: SubgraphDefinition<AccountsTables, AccountsServices, AccountsContext> = {
  service: 'accounts',
  tables,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  schema: buildSchema,
  services: (db) => {
    const signingKeys = new SigningKeyStore(db);
    return { users: new UserStore(db), sessions: new SessionStore(db), signingKeys, tokens: new AccessTokenIssuer(signingKeys) };
  },
  context: createContext,
  seed: seedAccounts,
  routes: jwksRoute,
};

/** Starts the accounts subgraph; the handle's `stop()` drains and closes everything. */
export function startAccounts(options: SubgraphStartOptions) {
  return launchSubgraph(accountsSubgraph, options);
}
