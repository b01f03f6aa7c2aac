export { accountsStartOptionsFromConfig, readAccountsConfig, type AccountsConfig } from './config.js';
export { accountsSubgraph, createSigningKeyStore, JWKS_PATH, startAccounts, type AccountsStartOptions } from './server.js';
export { buildSchema } from './schema.js';
export {
  DEFAULT_LOGIN_THROTTLE_KEY_PREFIX,
  LOGIN_ACCOUNT_LIMIT,
  LOGIN_IP_LIMIT,
  LOGIN_KNOWN_SOURCE_TTL_SECONDS,
  LOGIN_PAIR_LIMIT,
  LoginThrottle,
  type LoginLimit,
} from './session/login-throttle.js';
export { ACCESS_TOKEN_TTL_SECONDS, SIGNING_KEY_RETIREMENT_MARGIN_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './session/tokens.js';
export { REFRESH_GRACE_WINDOW_MS, REFRESH_TOKEN_TTL_MS, SessionStore, type RefreshOutcome } from './store/session.store.js';
export { DEFAULT_SIGNING_KEY_MAX_AGE_DAYS, SigningKeyStore, type SigningKey, type SigningKeyState } from './store/signing-key.store.js';
