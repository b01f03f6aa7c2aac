import DataLoader from 'dataloader';
import type { BaseContext, Identity, Logger } from '@mega/subgraph-kit';
import type { LoginThrottle, RedisClient } from './session/login-throttle.js';
import type { AccessTokenIssuer } from './session/tokens.js';
import type { SessionStore } from './store/session.store.js';
import type { SigningKeyStore } from './store/signing-key.store.js';
import type { UserRow, UserStore } from './store/user.store.js';

/** Long-lived parts shared by all requests. */
export interface AccountsServices {
  users: UserStore;
  sessions: SessionStore;
  signingKeys: SigningKeyStore;
  tokens: AccessTokenIssuer;
  loginThrottle: LoginThrottle;
  /** The connection the login throttle shares with other instances; absent: in process. */
  redis: RedisClient | undefined;
  logger: Logger;
  /** The time every session and key decision is made at (tests control it). */
  clock: () => Date;
}

export interface AccountsContext extends BaseContext, AccountsServices {
  /** Batches user look-ups within one request (entity references, `user(id)`). */
  userById: DataLoader<string, UserRow | undefined>;
}

export function createContext(services: AccountsServices, identity: Identity): AccountsContext {
  return {
    ...services,
    identity,
    userById: new DataLoader((ids: readonly string[]) => services.users.byIds(ids)),
  };
}
