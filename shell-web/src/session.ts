import type { SessionUser } from '@mega/mini-app-sdk';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';

/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 60_000;
/** Where the refresh token is kept between page loads (the access token stays in memory). */
const REFRESH_TOKEN_KEY = 'mega.refreshToken';

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


/**
 * A refused sign-in or sign-up, with the gateway's stable code (`UNAUTHENTICATED`, `BAD_USER_INPUT`,
 * `RATE_LIMITED`, ...), or `UNAVAILABLE` when the gateway could not be reached or did not answer GraphQL.
 */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
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

/**
 * The signed-in user and their tokens. The access token lives in memory only; the refresh token is
 * kept in localStorage so that a reload stays signed in (the API hands tokens to the page; an
 * XSS on the shell's origin could read it, which the shell's CSP must prevent).
 */
export class Session {
  private auth: AuthPayload | null = null;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly gatewayUrl: string) {}

  get user(): SessionUser | null {
    return this.auth?.user ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signs in again with the stored refresh token, if any (at start). */
  async resume(): Promise<void> {
    if (localStorage.getItem(REFRESH_TOKEN_KEY)) await this.accessToken(true);
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
    if (this.auth && !force && Date.parse(this.auth.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return Promise.resolve(this.auth.accessToken);
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

  private set(auth: AuthPayload | null): void {
    this.auth = auth;
    if (auth) localStorage.setItem(REFRESH_TOKEN_KEY, auth.refreshToken);
    else localStorage.removeItem(REFRESH_TOKEN_KEY);
    for (const listener of this.listeners) listener();
  }

  /** Runs a persisted document by its id; with its text only when the gateway does not know the id (development). */
  private async call<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<T> {
    const hash = (document.__meta__ as { hash?: string } | undefined)?.hash;
    let result = await this.post<T>({ variables, ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { query: document.toString() }) });
    if (hash && result.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
      result = await this.post<T>({ variables, query: document.toString(), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    }
    const error = result.errors?.[0];
    if (error || !result.data) throw new SessionError(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error?.message ?? 'The sign-in service did not answer.');
    return result.data;
  }

  private async post<T>(body: object): Promise<{ data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }> {
    try {
      const response = await fetch(this.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    } catch {
      throw new SessionError('UNAVAILABLE', 'The sign-in service cannot be reached; check the connection and try again.');
    }
  }
}
