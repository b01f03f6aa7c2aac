import type { SessionUser } from '@mega/mini-app-sdk';

/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 60_000;
/** Where the refresh token is kept between page loads (the access token stays in memory). */
const REFRESH_TOKEN_KEY = 'mega.refreshToken';

const AUTH_FIELDS = 'accessToken refreshToken expiresAt user { id handle displayName avatarUrl }';

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
    this.set(await this.call<{ logIn: AuthPayload }>(`mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { ${AUTH_FIELDS} } }`, { email, password }).then((data) => data.logIn));
  }

  async signUp(input: SignUpInput): Promise<void> {
    this.set(await this.call<{ signUp: AuthPayload }>(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`, { input }).then((data) => data.signUp));
  }

  async signOut(): Promise<void> {
    const refreshToken = this.auth?.refreshToken ?? localStorage.getItem(REFRESH_TOKEN_KEY);
    this.set(null);
    if (refreshToken) await this.call('mutation LogOut($refreshToken: String!) { logOut(refreshToken: $refreshToken) }', { refreshToken }).catch(() => undefined);
  }

  /**
   * A valid access token, refreshed when it is about to expire; one refresh at a time whoever asks.
   * @returns null when nobody is signed in (or the refresh was refused: then signed out)
   */
  accessToken(force = false): Promise<string | null> {
    if (this.auth && !force && Date.parse(this.auth.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return Promise.resolve(this.auth.accessToken);
    const refreshToken = this.auth?.refreshToken ?? localStorage.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) return Promise.resolve(null);
    this.refreshing ??= this.call<{ refreshSession: AuthPayload }>(`mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${AUTH_FIELDS} } }`, { refreshToken })
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

  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let result: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      const response = await fetch(this.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      result = (await response.json()) as typeof result;
    } catch {
      throw new SessionError('UNAVAILABLE', 'The sign-in service cannot be reached; check the connection and try again.');
    }
    const error = result.errors?.[0];
    if (error || !result.data) throw new SessionError(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error?.message ?? 'The sign-in service did not answer.');
    return result.data;
  }
}
