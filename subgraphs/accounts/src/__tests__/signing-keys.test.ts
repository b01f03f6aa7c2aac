import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createLogger, openDatabase, type DatabaseHandle } from '@mega/subgraph-kit';
import { DATABASE_DRIVERS, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { createSigningKeyStore, JWKS_PATH, startAccounts } from '../server.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokenIssuer, SIGNING_KEY_RETIREMENT_MARGIN_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../session/tokens.js';
import { tables, type AccountsTables } from '../store/tables.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PUBLISHED_AFTER_REPLACEMENT_MS = (ACCESS_TOKEN_TTL_SECONDS + SIGNING_KEY_RETIREMENT_MARGIN_SECONDS) * 1000;
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

async function open(database: TestDatabase): Promise<DatabaseHandle<AccountsTables>> {
  const handle = await openDatabase({ service: 'accounts', schema: tables, migrationsFolder, ...database.options });
  await handle.migrate();
  return handle;
}

describe.each(DATABASE_DRIVERS)('signing keys on $driver', ({ driver, create }) => {
  const databases: TestDatabase[] = [];
  const handles: DatabaseHandle<AccountsTables>[] = [];

  /** A fresh database and `instances` connections to it (separate pools on PostgreSQL, like separate processes). */
  async function fresh(instances = 1): Promise<DatabaseHandle<AccountsTables>[]> {
    const database = await create();
    databases.push(database);
    const opened: DatabaseHandle<AccountsTables>[] = [];
    for (let i = 0; i < (driver === 'postgres' ? instances : 1); i += 1) opened.push(await open(database));
    handles.push(...opened);
    return Array.from({ length: instances }, (_, i) => opened[Math.min(i, opened.length - 1)]!);
  }

  afterAll(async () => {
    for (const handle of handles) await handle.close();
    for (const database of databases) await database.drop();
  });

  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('creates the first key on first use and publishes the next one before it signs', async () => {
    const [handle] = await fresh();
    const keys = createSigningKeyStore(handle!.db);
    const current = await keys.current(t0);
    const published = await keys.published(t0);
    expect(published.map((key) => [key.generation, key.state])).toEqual([
      [2, 'next'],
      [1, 'current'],
    ]);
    expect(published[1]!.kid).toBe(current.kid);
    const jwks = await keys.publicKeys(t0);
    expect(jwks.map((jwk) => jwk.kid)).toEqual([published[0]!.kid, current.kid]);
    expect(jwks.every((jwk) => jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.d === undefined)).toBe(true);
  });

  it('rotates on demand: the already published next key signs, the replaced one stays published, a new next key appears', async () => {
    const [handle] = await fresh();
    const keys = createSigningKeyStore(handle!.db);
    const before = await keys.current(t0);
    const next = (await keys.published(t0))[0]!;

    const rotated = await keys.rotateSigningKey(at(1_000));
    expect(rotated.kid).toBe(next.kid);
    expect((await keys.current(at(2_000))).kid).toBe(next.kid);
    expect((await keys.published(at(2_000))).map((key) => [key.generation, key.state])).toEqual([
      [3, 'next'],
      [2, 'current'],
      [1, 'previous'],
    ]);
    expect((await keys.publicKeys(at(2_000))).map((jwk) => jwk.kid)).toContain(before.kid);
  });

  it('keeps a replaced key published until every token it signed has expired, then retires and deletes it', async () => {
    const [handle] = await fresh();
    const keys = createSigningKeyStore(handle!.db);
    const issuer = new AccessTokenIssuer(keys);
    const rotation = at(60_000);
    const old = await issuer.issue(randomUUID(), at(59_999));
    await keys.rotateSigningKey(rotation);
    const newer = await issuer.issue(randomUUID(), at(60_001));
    expect(decodeProtectedHeader(newer.token).kid).not.toBe(old.kid);

    // Until the last moment the old token is valid, a verifier with the JWKS of that moment accepts it.
    const lastValid = new Date(old.expiresAt.getTime() - 1_000);
    const verify = async (token: string, moment: Date) =>
      jwtVerify(token, createLocalJWKSet({ keys: await keys.publicKeys(moment) }), { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, currentDate: moment });
    await expect(verify(old.token, lastValid)).resolves.toMatchObject({ protectedHeader: { kid: old.kid } });
    await expect(verify(newer.token, lastValid)).resolves.toBeDefined();

    const retirement = rotation.getTime() + PUBLISHED_AFTER_REPLACEMENT_MS;
    expect((await keys.publicKeys(new Date(retirement - 1))).map((jwk) => jwk.kid)).toContain(old.kid);
    expect((await keys.publicKeys(new Date(retirement))).map((jwk) => jwk.kid)).not.toContain(old.kid);

    await keys.rotateSigningKey(new Date(retirement));
    const rows = await handle!.db.select({ kid: tables.signingKeys.kid }).from(tables.signingKeys);
    expect(rows.map((row) => row.kid)).not.toContain(old.kid);
    expect(rows).toHaveLength(3);
  });

  it('rotates automatically once the current key has signed for the maximum age', async () => {
    const [handle] = await fresh();
    const keys = createSigningKeyStore(handle!.db, { signingKeyMaxAgeDays: 30 });
    const first = await keys.current(t0);
    const next = (await keys.published(t0))[0]!;
    expect((await keys.current(at(30 * DAY_MS - 1))).kid).toBe(first.kid);
    expect((await keys.current(at(30 * DAY_MS))).kid).toBe(next.kid);
    expect((await keys.current(at(30 * DAY_MS + 1))).kid).toBe(next.kid);
  });

  it('creates the first keys once when several instances start together', async () => {
    const opened = await fresh(4);
    const keys = await Promise.all(opened.map((handle) => createSigningKeyStore(handle.db).current(t0)));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(await opened[0]!.db.select().from(tables.signingKeys)).toHaveLength(2);
  });

  it('rotates once when several instances find the current key too old at the same moment', async () => {
    const opened = await fresh(4);
    const instances = opened.map((handle) => createSigningKeyStore(handle.db, { signingKeyMaxAgeDays: 1 }));
    await instances[0]!.current(t0);
    const keys = await Promise.all(instances.flatMap((store) => [store.current(at(DAY_MS)), store.current(at(DAY_MS))]));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(keys[0]!.generation).toBe(2);
    const rows = await opened[0]!.db.select().from(tables.signingKeys);
    expect(rows.map((row) => row.generation).sort()).toEqual([1, 2, 3]);
  });

  describe('JWKS route', () => {
    let accounts: Awaited<ReturnType<typeof startAccounts>>;
    let now = t0.getTime();

    beforeAll(async () => {
      const database = await create();
      databases.push(database);
      accounts = await startAccounts({
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        database: database.options,
        logger: createLogger('accounts', 'silent'),
        clock: () => new Date(now),
      });
    });
    afterAll(() => accounts?.stop());

    const jwks = async () => {
      const response = await fetch(new URL(JWKS_PATH, accounts.url));
      expect(response.status).toBe(200);
      return ((await response.json()) as { keys: { kid: string; d?: string }[] }).keys;
    };

    it('serves the next, current and previous public keys, never a private part', async () => {
      const initial = await jwks();
      expect(initial).toHaveLength(2);
      now += 1_000;
      await accounts.services.signingKeys.rotateSigningKey(new Date(now));
      const afterRotation = await jwks();
      expect(afterRotation).toHaveLength(3);
      expect(afterRotation.map((key) => key.kid)).toEqual(expect.arrayContaining(initial.map((key) => key.kid)));
      expect(afterRotation.every((key) => key.d === undefined)).toBe(true);
      now += PUBLISHED_AFTER_REPLACEMENT_MS;
      expect(await jwks()).toHaveLength(2);
    });
  });
});
