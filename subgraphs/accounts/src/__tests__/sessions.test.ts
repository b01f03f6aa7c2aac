import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { createLogger } from '@mega/subgraph-kit';
import { decodeJwt } from 'jose';
import { hashRefreshToken } from '../session/refresh-token.js';
import { startAccounts } from '../server.js';
import { REFRESH_GRACE_WINDOW_MS, REFRESH_TOKEN_TTL_MS } from '../store/session.store.js';
import { refreshTokens } from '../store/tables.js';

interface Payload {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string };
}

const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken refreshToken expiresAt user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresAt user { id } } }`;
const LOG_OUT = `mutation($t: String!) { logOut(refreshToken: $t) }`;

describe.each(DATABASE_DRIVERS)('sessions on $driver', ({ create }) => {
  let database: TestDatabase;
  let accounts: Awaited<ReturnType<typeof startAccounts>>;
  const logger = createLogger('accounts', 'silent');
  let now = Date.parse('2026-03-01T10:00:00Z');
  const advance = (ms: number) => {
    now += ms;
  };

  beforeAll(async () => {
    database = await create();
    accounts = await startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, logger, clock: () => new Date(now) });
    const signUp = `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
    const created = await querySubgraph(accounts.url, null, signUp, { input: { email: 'sam@example.com', password: 'correct horse', handle: 'sam', displayName: 'Sam' } });
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    await accounts?.stop();
    await database?.drop();
  });

  async function logIn(): Promise<Payload> {
    const result = await querySubgraph<{ logIn: Payload }>(accounts.url, null, LOG_IN, { email: 'sam@example.com', password: 'correct horse' });
    expect(result.errors).toBeUndefined();
    return result.data!.logIn;
  }
  const refresh = (token: string) => querySubgraph<{ refreshSession: Payload }>(accounts.url, null, REFRESH, { t: token });
  const familyOf = async (token: string) => {
    const [row] = await accounts.database.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshToken(token)));
    return row!.familyId;
  };

  it('rotates a refresh token: a new pair in the same family, and the old token is marked rotated', async () => {
    const first = await logIn();
    advance(1_000);
    const result = await refresh(first.refreshToken);
    expect(result.errors).toBeUndefined();
    const second = result.data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(second.accessToken)).toMatchObject({ sub: first.user.id, iat: Math.floor(now / 1000) });
    expect(second.user.id).toBe(first.user.id);

    const tokens = await accounts.services.sessions.familyTokens(await familyOf(first.refreshToken));
    expect(tokens.map((t) => t.tokenHash)).toEqual([hashRefreshToken(first.refreshToken), hashRefreshToken(second.refreshToken)]);
    expect(tokens[0]).toMatchObject({ rotatedAt: new Date(now), successorHash: hashRefreshToken(second.refreshToken), revokedAt: null });
    expect(tokens[1]).toMatchObject({ rotatedAt: null, revokedAt: null });
    // Only hashes are stored; the sealed successor is not the token in clear.
    expect(JSON.stringify(tokens)).not.toContain(second.refreshToken);

    advance(1_000);
    const third = await refresh(second.refreshToken);
    expect(third.data?.refreshSession.refreshToken).toBeDefined();
  });

  it('revokes the whole family when a rotated token is presented after the grace window, and logs it without the token', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const first = await logIn();
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    advance(REFRESH_GRACE_WINDOW_MS);

    const reused = await refresh(first.refreshToken);
    expect(reused.status).toBe(200);
    expect(reused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(reused.data).toBeNull();
    // The legitimate newest token dies with its family.
    expect((await refresh(second.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const call = warn.mock.calls.find((args) => String(args[1]).includes('presented again'));
    expect(call?.[0]).toMatchObject({ userId: first.user.id, familyId: expect.any(String) });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(first.refreshToken);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(second.refreshToken);
    warn.mockRestore();
  });

  it('answers a retry within the grace window with the same successor and keeps the family', async () => {
    const first = await logIn();
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    advance(REFRESH_GRACE_WINDOW_MS - 1);

    const retry = await refresh(first.refreshToken);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.refreshSession.refreshToken).toBe(second.refreshToken);
    expect(decodeJwt(retry.data!.refreshSession.accessToken).jti).not.toBe(decodeJwt(second.accessToken).jti);

    const third = await refresh(second.refreshToken);
    expect(third.errors).toBeUndefined();
  });

  it('gives no grace once the successor has been used: the old token then revokes the family even inside the window', async () => {
    const first = await logIn();
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    const third = (await refresh(second.refreshToken)).data!.refreshSession;
    advance(1_000);

    expect((await refresh(first.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await refresh(third.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('leaves the other sign-ins of the same user alone when one family is revoked', async () => {
    const phone = await logIn();
    const laptop = await logIn();
    await refresh(phone.refreshToken);
    advance(REFRESH_GRACE_WINDOW_MS);
    expect((await refresh(phone.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await refresh(laptop.refreshToken)).errors).toBeUndefined();
  });

  it('refuses unknown, oversized and expired refresh tokens with UNAUTHENTICATED and changes nothing', async () => {
    for (const token of ['', 'not-a-token', 'x'.repeat(10_000)]) {
      const result = await refresh(token);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toBe('The refresh token is invalid, expired or revoked. Sign in again.');
    }
    const session = await logIn();
    advance(REFRESH_TOKEN_TTL_MS);
    expect((await refresh(session.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await accounts.services.sessions.refresh(session.refreshToken, new Date(now))).toEqual({ kind: 'refused', reason: 'expired' });
  });

  it('logs out: the family is revoked, logging out again is fine, and unknown tokens also answer true', async () => {
    const session = await logIn();
    const next = (await refresh(session.refreshToken)).data!.refreshSession;
    const out = await querySubgraph<{ logOut: boolean }>(accounts.url, null, LOG_OUT, { t: session.refreshToken });
    expect(out.data?.logOut).toBe(true);
    expect((await refresh(next.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await querySubgraph<{ logOut: boolean }>(accounts.url, null, LOG_OUT, { t: next.refreshToken })).data?.logOut).toBe(true);
    expect((await querySubgraph<{ logOut: boolean }>(accounts.url, null, LOG_OUT, { t: 'never-issued' })).data?.logOut).toBe(true);
  });

  it('serialises simultaneous refreshes of one token: one rotation, every caller gets the same successor', async () => {
    const session = await logIn();
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(session.refreshToken)));
    expect(results.map((result) => result.errors)).toEqual(Array.from({ length: 8 }, () => undefined));
    expect(new Set(results.map((result) => result.data!.refreshSession.refreshToken)).size).toBe(1);
    expect(await accounts.services.sessions.familyTokens(await familyOf(session.refreshToken))).toHaveLength(2);
  });

  it('never forks a family under simultaneous refreshes, also when one of them comes after the grace window', async () => {
    const { token, familyId } = await accounts.services.sessions.issue((await logIn()).user.id, new Date(now));
    const late = new Date(now + REFRESH_GRACE_WINDOW_MS);
    const outcomes = await Promise.all([
      ...Array.from({ length: 6 }, () => accounts.services.sessions.refresh(token, new Date(now))),
      accounts.services.sessions.refresh(token, late),
    ]);
    expect(outcomes.filter((outcome) => outcome.kind === 'rotated')).toHaveLength(1);
    const handedOut = new Set(outcomes.flatMap((outcome) => (outcome.kind === 'rotated' || outcome.kind === 'replayed' ? [outcome.token] : [])));
    expect(handedOut.size).toBe(1);
    expect(await accounts.services.sessions.familyTokens(familyId)).toHaveLength(2);
  });
});
