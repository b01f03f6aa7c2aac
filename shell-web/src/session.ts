import type { SessionUser } from '@mega/mini-app-sdk';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';

/** The longest wait between two tries to refresh the token of a session started offline. */
const MAX_RECONNECT_WAIT_MS = 10_000;
/**
 * How long a start waits for the gateway to renew the kept session before it starts offline as the
 * kept user (the renewal goes on, see {@link Session.resume}): a network that looks connected but
 * carries nothing must not hold the app on "Loading…".
 */
export const RESUME_WAIT_MS = 4_000;
/** A request of the session (sign-in, renewal) without an answer by then counts as unreachable. */
export const SESSION_REQUEST_TIMEOUT_MS = 20_000;
/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 60_000;
/** Where the refresh token is kept between page loads (the access token stays in memory). */
const REFRESH_TOKEN_KEY = 'mega.refreshToken';
/** The signed-in user's public profile, kept beside the refresh token so that a reload without the gateway starts signed in. */
const USER_KEY = 'mega.user';

graphql(`
  fragment SessionAuth on AuthPayload {
    accessToken
    refreshToken
    expiresAt
    user {
      id
      handle
      displayName
      avatarUrl
    }
  }
`);
const LOG_IN = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      ...SessionAuth
    }
  }
`);
const SIGN_UP = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...SessionAuth
    }
  }
`);
const REFRESH = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      ...SessionAuth
    }
  }
`);
const LOG_OUT = graphql(`
  mutation LogOut($refreshToken: String!) {
    logOut(refreshToken: $refreshToken)
  }
`);

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: SessionUser;
}

interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/**
 * A refused operation, with the gateway's stable code (`UNAUTHENTICATED`, `BAD_USER_INPUT`,
 * `CONFLICT`, `RATE_LIMITED`, ...) and the error's other extensions (`argument`, `currentVersion`, ...),
 * or `UNAVAILABLE` when the gateway could not be reached or did not answer GraphQL.
 */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The first error's `extensions` as the gateway sent them. @default {} */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export interface SignUpInput {
  email: string;
  password: string;
  handle: string;
  displayName: string;
}

/** The profile kept in localStorage, if it is one. */
function storedUser(): SessionUser | null {
  try {
    const user = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as Partial<SessionUser> | null;
    return typeof user?.id === 'string' && typeof user.handle === 'string' && typeof user.displayName === 'string' ? { id: user.id, handle: user.handle, displayName: user.displayName, avatarUrl: user.avatarUrl ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * When an access token expires by this device's clock: received now, valid for its lifetime (the
 * JWT's exp - iat). The server's `expiresAt` is on the server's clock; compared with a device
 * clock that is off by more than the lifetime (15 min), every token would look expired on arrival
 * and each request would refresh again, or an expired one would look valid.
 */
function localExpiry(auth: AuthPayload): number {
  try {
    const payload = JSON.parse(atob(auth.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: unknown; exp?: unknown };
    if (typeof payload.iat === 'number' && typeof payload.exp === 'number' && payload.exp > payload.iat) return Date.now() + (payload.exp - payload.iat) * 1000;
  } catch {
    // Not a JWT we can read: the server's expiry as it is.
  }
  return Date.parse(auth.expiresAt);
}

/**
 * The signed-in user and their tokens. The access token lives in memory only; the refresh token and
 * the user's public profile are kept in localStorage so that a reload stays signed in (the API hands
 * tokens to the page; an XSS on the shell's origin could read it, which the shell's CSP must prevent).
 * A reload while the gateway cannot be reached starts signed in as that user without an access token
 * ({@link offline}): requests fail as network errors until a refresh succeeds.
 */
export class Session {
  private auth: AuthPayload | null = null;
  /** When the access token expires by this device's clock (see {@link localExpiry}). */
  private expiresLocally = 0;
  /** The user of a session resumed without the gateway: signed in, no access token yet. */
  private offlineUser: SessionUser | null = null;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly gatewayUrl: string) {}

  get user(): SessionUser | null {
    return this.auth?.user ?? this.offlineUser;
  }

  /** Signed in from what was kept (the gateway could not be reached at start), without an access token yet. */
  get offline(): boolean {
    return !this.auth && this.offlineUser !== null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Signs in again with the stored refresh token, if any (at start). With a kept user, waits at
   * most {@link RESUME_WAIT_MS} for the gateway: then starts offline as that user, and the renewal
   * still under way signs in (or, refused, out) when it ends.
   */
  async resume(): Promise<void> {
    if (!localStorage.getItem(REFRESH_TOKEN_KEY)) return;
    const renewed = this.accessToken(true);
    const user = storedUser();
    await (user ? Promise.race([renewed, new Promise((resolve) => setTimeout(resolve, RESUME_WAIT_MS))]) : renewed);
    // The refresh could not reach the gateway, or has not in time (a refused one cleared the token): start signed in as the kept user.
    if (!this.auth && user && localStorage.getItem(REFRESH_TOKEN_KEY)) {
      this.offlineUser = user;
      for (const listener of this.listeners) listener();
    }
  }

  /**
   * For a session started offline: tries to refresh the access token, waiting about 1 s, 2 s, 4 s ...
   * up to {@link MAX_RECONNECT_WAIT_MS} between tries, until the gateway answers.
   * @returns true once signed in with an access token, false when signed out meanwhile
   */
  async reconnect(): Promise<boolean> {
    for (let tries = 0; this.offline; tries++) {
      const ceiling = Math.min(MAX_RECONNECT_WAIT_MS, 1000 * 2 ** tries);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + (Math.random() * ceiling) / 2));
      if (this.offline) await this.accessToken(true);
    }
    return this.auth !== null;
  }

  async logIn(email: string, password: string): Promise<void> {
    this.set((await this.call(LOG_IN, { email, password })).logIn);
  }

  async signUp(input: SignUpInput): Promise<void> {
    this.set((await this.call(SIGN_UP, { input })).signUp);
  }

  async signOut(): Promise<void> {
    const refreshToken = this.auth?.refreshToken ?? localStorage.getItem(REFRESH_TOKEN_KEY);
    this.set(null);
    if (refreshToken) await this.call(LOG_OUT, { refreshToken }).catch(() => undefined);
  }

  /**
   * A valid access token, refreshed when it is about to expire; one refresh at a time whoever asks.
   * @returns null when nobody is signed in (or the refresh was refused: then signed out)
   */
  accessToken(force = false): Promise<string | null> {
    if (this.auth && !force && this.expiresLocally - Date.now() > REFRESH_MARGIN_MS) return Promise.resolve(this.auth.accessToken);
    const refreshToken = this.auth?.refreshToken ?? localStorage.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) return Promise.resolve(null);
    this.refreshing ??= this.call(REFRESH, { refreshToken })
      .then(
        (data) => {
          this.set(data.refreshSession);
          return data.refreshSession.accessToken;
        },
        (error: unknown) => {
          // Only a refused refresh token signs out; an unreachable gateway (offline) keeps the session.
          if (error instanceof SessionError && error.code === 'UNAUTHENTICATED') this.set(null);
          return null;
        },
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /**
   * Runs a persisted operation as the signed-in user (with their access token), for the shell's own
   * pages; mini-apps use the shared GraphQL client.
   * @throws SessionError: `UNAUTHENTICATED` when nobody is signed in or no token could be had
   *   (offline), otherwise the gateway's first error with its extensions
   */
  async callAsUser<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<T> {
    const token = await this.accessToken();
    if (!token) throw new SessionError('UNAUTHENTICATED', 'You are not signed in, or the gateway cannot be reached to sign you in again.');
    return this.call(document, variables, token);
  }

  /**
   * Takes the signed-in user's profile as the server has it now (after a change, from any page):
   * the header shows it at once, and it is the profile kept for a start without the gateway.
   */
  profileChanged(profile: Pick<SessionUser, 'handle' | 'displayName' | 'avatarUrl'>): void {
    const user = this.user;
    if (!user) return;
    const changed = { ...user, handle: profile.handle, displayName: profile.displayName, avatarUrl: profile.avatarUrl };
    if (this.auth) this.auth = { ...this.auth, user: changed };
    else this.offlineUser = changed;
    localStorage.setItem(USER_KEY, JSON.stringify(changed));
    for (const listener of this.listeners) listener();
  }

  private set(auth: AuthPayload | null): void {
    const signedOut = auth ? null : (this.user ?? storedUser());
    this.auth = auth;
    this.expiresLocally = auth ? localExpiry(auth) : 0;
    this.offlineUser = null;
    if (auth) {
      localStorage.setItem(REFRESH_TOKEN_KEY, auth.refreshToken);
      localStorage.setItem(USER_KEY, JSON.stringify(auth.user));
    } else {
      localStorage.removeItem(REFRESH_TOKEN_KEY);
      localStorage.removeItem(USER_KEY);
    }
    // Nothing of a signed-out user stays on the device: their saved cache goes too (loaded apart from the shell's first paint).
    if (signedOut) void import('./cache-persistor').then(({ forgetSavedCache }) => forgetSavedCache(signedOut.id)).catch(() => undefined);
    for (const listener of this.listeners) listener();
  }

  /** Runs a persisted document by its id; with its text only when the gateway does not know the id (development). */
  private async call<T, V>(document: TypedDocumentString<T, V>, variables: V, accessToken?: string): Promise<T> {
    const hash = (document.__meta__ as { hash?: string } | undefined)?.hash;
    let result = await this.post<T>({ variables, ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { query: document.toString() }) }, accessToken);
    if (hash && result.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
      result = await this.post<T>({ variables, query: document.toString(), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, accessToken);
    }
    const error = result.errors?.[0];
    if (error || !result.data) throw new SessionError(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error?.message ?? 'The sign-in service did not answer.', error?.extensions);
    return result.data;
  }

  private async post<T>(body: object, accessToken?: string): Promise<GraphQLResult<T>> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) };
      const response = await fetch(this.gatewayUrl, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(SESSION_REQUEST_TIMEOUT_MS) });
      return (await response.json()) as GraphQLResult<T>;
    } catch {
      throw new SessionError('UNAVAILABLE', 'The sign-in service cannot be reached; check the connection and try again.');
    }
  }
}
