import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { decodeJwt } from 'jose';
import { startAccounts } from '../server.js';

describe.each(DATABASE_DRIVERS)('accounts subgraph on $driver', ({ create }) => {
  let database: TestDatabase;
  let accounts: Awaited<ReturnType<typeof startAccounts>>;

  beforeAll(async () => {
    database = await create();
    accounts = await startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options });
  });
  afterAll(async () => {
    await accounts?.stop();
    await database?.drop();
  });

  const signUp = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken expiresAt user { id handle email } } }`;

  it('signs a new user up and issues an EdDSA access token for them', async () => {
    const result = await querySubgraph<{ signUp: { accessToken: string; user: { id: string; handle: string; email: string } } }>(
      accounts.url,
      null,
      signUp,
      { input: { email: 'Zoe@Example.com', password: 'correct horse', handle: 'Zoe_1', displayName: 'Zoe' } },
    );
    expect(result.errors).toBeUndefined();
    const { accessToken, user } = result.data!.signUp;
    expect(user.handle).toBe('zoe_1');
    expect(user.email).toBe('Zoe@Example.com');
    const claims = decodeJwt(accessToken);
    expect(claims.sub).toBe(user.id);
    expect(claims.aud).toBe('mega-app');
  });

  it('refuses a taken email or handle with CONFLICT', async () => {
    const again = await querySubgraph(accounts.url, null, signUp, {
      input: { email: 'zoe@example.com', password: 'correct horse', handle: 'other', displayName: 'Zoe' },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const handle = await querySubgraph(accounts.url, null, signUp, {
      input: { email: 'zoe2@example.com', password: 'correct horse', handle: 'ZOE_1', displayName: 'Zoe' },
    });
    expect(handle.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('rejects malformed sign-up input with BAD_USER_INPUT naming the argument', async () => {
    const result = await querySubgraph(accounts.url, null, signUp, {
      input: { email: 'not-an-email', password: 'short', handle: 'ok_handle', displayName: 'X' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'email' });
  });

  it('logs in with the right password only', async () => {
    const logIn = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { user { handle } } }`;
    const ok = await querySubgraph<{ logIn: { user: { handle: string } } }>(accounts.url, null, logIn, { email: 'zoe@example.com', password: 'correct horse' });
    expect(ok.data?.logIn.user.handle).toBe('zoe_1');
    const wrong = await querySubgraph(accounts.url, null, logIn, { email: 'zoe@example.com', password: 'wrong horse' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await querySubgraph(accounts.url, null, logIn, { email: 'nobody@example.com', password: 'correct horse' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows the email to its owner only, including through _entities', async () => {
    const login = await querySubgraph<{ logIn: { user: { id: string } } }>(
      accounts.url,
      null,
      `mutation { logIn(email: "zoe@example.com", password: "correct horse") { user { id } } }`,
    );
    const id = login.data!.logIn.user.id;
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }`;
    const asOwner = await querySubgraph<{ _entities: { email: string | null }[] }>(accounts.url, id, entities, { r: [{ __typename: 'User', id }] });
    expect(asOwner.data?._entities[0]?.email).toBe('Zoe@Example.com');
    const asOther = await querySubgraph<{ _entities: { email: string | null }[] }>(accounts.url, crypto.randomUUID(), entities, { r: [{ __typename: 'User', id }] });
    expect(asOther.data?._entities[0]?.email).toBeNull();
  });

  it('versions the profile for its owner and refuses a stale updateProfile with CONFLICT, the current version and profile', async () => {
    const login = await querySubgraph<{ logIn: { user: { id: string } } }>(accounts.url, null, `mutation { logIn(email: "zoe@example.com", password: "correct horse") { user { id } } }`);
    const id = login.data!.logIn.user.id;
    const me = await querySubgraph<{ me: { version: number } }>(accounts.url, id, '{ me { version } }');
    const start = me.data!.me.version;
    expect(start).toBeGreaterThanOrEqual(1);
    const other = await querySubgraph<{ user: { version: number | null } }>(accounts.url, crypto.randomUUID(), 'query($id: ID!) { user(id: $id) { version } }', { id });
    expect(other.data?.user.version).toBeNull();

    const update = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { displayName version } }';
    // One device renames on the version it has: accepted, and the version moves on.
    const first = await querySubgraph<{ updateProfile: { displayName: string; version: number } }>(accounts.url, id, update, { input: { displayName: 'Zoe A', expectedVersion: start } });
    expect(first.errors).toBeUndefined();
    expect(first.data?.updateProfile).toEqual({ displayName: 'Zoe A', version: start + 1 });
    // The other device, still on the old version: refused, told the current version and profile, nothing changed.
    const stale = await querySubgraph(accounts.url, id, update, { input: { displayName: 'Zoe B', expectedVersion: start } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', argument: 'expectedVersion', currentVersion: start + 1, current: { displayName: 'Zoe A', handle: 'zoe_1' } });
    const after = await querySubgraph<{ me: { displayName: string; version: number } }>(accounts.url, id, '{ me { displayName version } }');
    expect(after.data?.me).toEqual({ displayName: 'Zoe A', version: start + 1 });
    // Without expectedVersion: last write wins, as before.
    const blind = await querySubgraph<{ updateProfile: { displayName: string; version: number } }>(accounts.url, id, update, { input: { displayName: 'Zoe' } });
    expect(blind.data?.updateProfile).toEqual({ displayName: 'Zoe', version: start + 2 });
  });

  it('resolves 100 user references with a constant number of SQL queries', async () => {
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    const before = accounts.database.queries.count;
    const result = await querySubgraph<{ _entities: unknown[] }>(
      accounts.url,
      null,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id handle } } }`,
      { r: ids.map((id) => ({ __typename: 'User', id })) },
    );
    expect(result.data?._entities).toHaveLength(100);
    expect(accounts.database.queries.count - before).toBe(1);
  });

  it('refuses requests that the gateway did not sign', async () => {
    const forged = await querySubgraph(accounts.url, null, '{ me { id } }', undefined, 'a-different-secret-of-enough-length-000000');
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('serves the public signing keys as a JWKS', async () => {
    const response = await fetch(accounts.url.replace('/graphql', '/.well-known/jwks.json'));
    const jwks = (await response.json()) as { keys: { kty: string; crv: string; d?: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});
