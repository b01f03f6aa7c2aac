import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';
import { LOGIN_PAIR_LIMIT, REFRESH_GRACE_WINDOW_MS } from '@mega/accounts';

interface Payload {
  accessToken: string;
  refreshToken: string;
  user: { id: string };
}

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }`;
const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { id } } }`;
const LOG_OUT = `mutation($t: String!) { logOut(refreshToken: $t) }`;

describe('sessions through the gateway: refresh-token rotation, reuse detection, logout, login throttling', () => {
  let federation: Federation;
  let counter = 0;

  beforeAll(async () => {
    federation = await startFederation();
  });
  afterAll(() => federation?.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  const post = <T>(query: string, variables: Record<string, unknown>, accessToken?: string) =>
    postGraphQL<T>(federation.gatewayUrl, { query, variables }, accessToken ? { authorization: `Bearer ${accessToken}` } : {});

  async function signUp(): Promise<Payload & { email: string }> {
    counter += 1;
    const email = `session${counter}@example.com`;
    const result = await post<{ signUp: Payload }>(SIGN_UP, { input: { email, password: 'correct horse', handle: `session_${counter}`, displayName: 'S' } });
    expect(result.errors).toBeUndefined();
    return { ...result.data!.signUp, email };
  }

  async function refreshed(token: string): Promise<Payload> {
    const result = await post<{ refreshSession: Payload }>(REFRESH, { t: token });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    return result.data!.refreshSession;
  }

  async function expectRefreshRefused(token: string): Promise<void> {
    const result = await post<{ refreshSession: Payload }>(REFRESH, { t: token });
    expect(result.status).toBe(200);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'accounts' });
  }

  /** The gateway still answers, authenticated, after whatever the test did. */
  async function expectServing(accessToken: string, userId: string): Promise<void> {
    const me = await post<{ me: { id: string } }>('{ me { id } }', {}, accessToken);
    expect(me.status).toBe(200);
    expect(me.data?.me.id).toBe(userId);
  }

  it('revokes the family when a stolen token is used after its owner rotated past it: the thief and the newest token both get UNAUTHENTICATED', async () => {
    const session = await signUp();
    const stolen = session.refreshToken;
    const second = await refreshed(stolen);
    const newest = await refreshed(second.refreshToken);

    await expectRefreshRefused(stolen);
    await expectRefreshRefused(newest.refreshToken);
    await expectRefreshRefused(second.refreshToken);

    const again = await post<{ logIn: Payload }>(LOG_IN, { email: session.email, password: 'correct horse' });
    expect(again.errors).toBeUndefined();
    await expectServing(again.data!.logIn.accessToken, session.user.id);
    await refreshed(again.data!.logIn.refreshToken);
  });

  it('revokes the family when a rotated token comes back after the grace window, even before the owner refreshes again', async () => {
    const session = await signUp();
    const current = await refreshed(session.refreshToken);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + REFRESH_GRACE_WINDOW_MS + 1_000);

    await expectRefreshRefused(session.refreshToken);
    await expectRefreshRefused(current.refreshToken);
    vi.useRealTimers();
    await expectServing(current.accessToken, session.user.id);
  });

  it('answers a retry inside the grace window (a lost response) with the same refresh token and keeps the session', async () => {
    const session = await signUp();
    const first = await refreshed(session.refreshToken);
    const retry = await refreshed(session.refreshToken);
    expect(retry.refreshToken).toBe(first.refreshToken);
    const next = await refreshed(retry.refreshToken);
    await expectServing(next.accessToken, session.user.id);
  });

  it('logs out: the refresh token and its successors stop working, and logOut answers true for tokens it does not know', async () => {
    const session = await signUp();
    const next = await refreshed(session.refreshToken);
    const out = await post<{ logOut: boolean }>(LOG_OUT, { t: next.refreshToken });
    expect(out.status).toBe(200);
    expect(out.data?.logOut).toBe(true);
    await expectRefreshRefused(next.refreshToken);
    expect((await post<{ logOut: boolean }>(LOG_OUT, { t: next.refreshToken })).data?.logOut).toBe(true);
    expect((await post<{ logOut: boolean }>(LOG_OUT, { t: 'never-issued' })).data?.logOut).toBe(true);
    await expectServing(next.accessToken, session.user.id);
  });

  it('refuses unknown, malformed and oversized refresh tokens with UNAUTHENTICATED', async () => {
    for (const token of ['', 'never-issued', 'x'.repeat(5_000)]) await expectRefreshRefused(token);
    const session = await signUp();
    await expectServing(session.accessToken, session.user.id);
  });

  it('throttles password guessing: RATE_LIMITED with retryAfterSeconds after 5 failures, also for the right password', async () => {
    const session = await signUp();
    for (let i = 0; i < LOGIN_PAIR_LIMIT.points; i += 1) {
      const wrong = await post(LOG_IN, { email: session.email, password: `wrong ${i}` });
      expect(wrong.status).toBe(200);
      expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await post(LOG_IN, { email: session.email, password: 'correct horse' });
    expect(blocked.status).toBe(200);
    expect(blocked.data).toBeNull();
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', serviceName: 'accounts' });
    const retryAfter = blocked.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(LOGIN_PAIR_LIMIT.blockSeconds - 10);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_PAIR_LIMIT.blockSeconds);
    await expectServing(session.accessToken, session.user.id);
  });
});
