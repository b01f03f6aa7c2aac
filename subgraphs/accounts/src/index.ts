export { accountsSubgraph, JWKS_PATH, startAccounts } from './server.js';
export { buildSchema } from './schema.js';
export { ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './session/tokens.js';
