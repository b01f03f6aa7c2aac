import { desc, eq, and, inArray, isNull } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '@mega/subgraph-kit';
import { signingKeys, type AccountsTables } from './tables.js';

export const SIGNING_ALGORITHM = 'EdDSA';

/** Age at which the current signing key is replaced automatically (`SIGNING_KEY_MAX_AGE_DAYS`). @default 30 days */
export const DEFAULT_SIGNING_KEY_MAX_AGE_DAYS = 30;

export interface SigningKey {
  kid: string;
  /** Counts rotations: the key that signs has the highest activated generation. */
  generation: number;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Where a key is in its life: published before it signs, signing, published after it signed. */
export type SigningKeyState = 'next' | 'current' | 'previous';

export interface SigningKeyStoreOptions {
  /** Replace the current key once it has signed for this long. */
  maxAgeMs: number;
  /**
   * How long a replaced key stays published: the lifetime of the tokens it signed plus a margin
   * (instances that read the key just before the rotation, clock differences, the verifier's tolerance).
   */
  publishedAfterReplacementMs: number;
}

type KeyRow = typeof signingKeys.$inferSelect;
type Tx = Parameters<Parameters<Database<AccountsTables>['transaction']>[0]>[0];

interface KeyRing {
  next: KeyRow | undefined;
  current: KeyRow | undefined;
  previous: KeyRow[];
  retired: KeyRow[];
}

/** Sorts rows (highest generation first) into the states of {@link SigningKeyState}, plus the retired ones. */
function keyRing(rows: KeyRow[], now: Date, publishedAfterReplacementMs: number): KeyRing {
  const active = rows.filter((row) => row.activatedAt !== null);
  const current = active[0];
  const pending = rows.filter((row) => row.activatedAt === null && (!current || row.generation > current.generation));
  const ring: KeyRing = { next: pending.at(-1), current, previous: [], retired: [] };
  for (let i = 1; i < active.length; i += 1) {
    const replacedAt = active[i - 1]!.activatedAt!.getTime();
    (now.getTime() < replacedAt + publishedAfterReplacementMs ? ring.previous : ring.retired).push(active[i]!);
  }
  return ring;
}

async function newKeyPair(): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const kid = crypto.randomUUID();
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

/**
 * The Ed25519 keys access tokens are signed with, kept in the database so that every instance and
 * restart shares them. At any time there is one current key (it signs), one next key (already in
 * the JWKS, so that verifiers know it before it signs anything) and the previous keys whose tokens
 * may still be valid. Rotation promotes the next key and publishes a new next one; it happens when
 * the current key is older than `maxAgeMs`, or on demand ({@link SigningKeyStore.rotateSigningKey}).
 * Several instances creating or rotating at the same moment do it once: a key is promoted by a
 * conditional update and new keys take a unique generation number.
 */
export class SigningKeyStore {
  private readonly privateKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly db: Database<AccountsTables>,
    private readonly options: SigningKeyStoreOptions,
  ) {}

  /**
   * The key that signs now; creates the first keys, and rotates when the current key is older than
   * `maxAgeMs`. Instances that find it too old at the same moment rotate once.
   */
  async current(now = new Date()): Promise<SigningKey> {
    let ring = await this.ring(now);
    if (ring.current && now.getTime() - ring.current.activatedAt!.getTime() >= this.options.maxAgeMs) {
      await this.promoteNext(ring, now);
      ring = await this.ring(now);
    }
    return this.toKey(ring.current!);
  }

  /**
   * Replaces the current key with the next one now (it was already published) and publishes a
   * new next key. Each call rotates once; calls from several instances that saw the same current
   * key rotate once together.
   * @returns the key that signs from now on
   */
  async rotateSigningKey(now = new Date()): Promise<SigningKey> {
    await this.promoteNext(await this.ring(now), now);
    return this.toKey((await this.ring(now)).current!);
  }

  /** The public keys for /.well-known/jwks.json: next, current and previous keys. */
  async publicKeys(now = new Date()): Promise<JWK[]> {
    const ring = await this.ring(now);
    return [ring.next, ring.current, ...ring.previous].flatMap((row) => (row ? [row.publicJwk as JWK] : []));
  }

  /** Every published key with its state, newest first (operations and tests). */
  async published(now = new Date()): Promise<{ kid: string; generation: number; state: SigningKeyState; activatedAt: Date | null }[]> {
    const ring = await this.ring(now);
    const describe = (row: KeyRow, state: SigningKeyState) => ({ kid: row.kid, generation: row.generation, state, activatedAt: row.activatedAt });
    return [
      ...(ring.next ? [describe(ring.next, 'next')] : []),
      ...(ring.current ? [describe(ring.current, 'current')] : []),
      ...ring.previous.map((row) => describe(row, 'previous')),
    ];
  }

  /** The key ring, after creating what is missing (the first key, a next key). */
  private async ring(now: Date): Promise<KeyRing> {
    let ring = keyRing(await this.rows(this.db), now, this.options.publishedAfterReplacementMs);
    if (ring.current && ring.next) return ring;
    if (!ring.current) {
      const [first, second] = await Promise.all([newKeyPair(), newKeyPair()]);
      await this.db
        .insert(signingKeys)
        .values([
          { ...first, generation: 1, activatedAt: now },
          { ...second, generation: 2, activatedAt: null },
        ])
        .onConflictDoNothing({ target: signingKeys.generation });
    } else {
      await this.db
        .insert(signingKeys)
        .values({ ...(await newKeyPair()), generation: ring.current.generation + 1, activatedAt: null })
        .onConflictDoNothing({ target: signingKeys.generation });
    }
    ring = keyRing(await this.rows(this.db), now, this.options.publishedAfterReplacementMs);
    return ring;
  }

  /** Activates the next key unless another instance did it first; publishes a new next key and deletes retired ones. */
  private async promoteNext(ring: KeyRing, now: Date): Promise<void> {
    const next = ring.next;
    if (!next) return;
    const afterNext = await newKeyPair();
    await this.db.transaction(async (tx) => {
      const promoted = await tx
        .update(signingKeys)
        .set({ activatedAt: now })
        .where(and(eq(signingKeys.generation, next.generation), isNull(signingKeys.activatedAt)))
        .returning({ kid: signingKeys.kid });
      if (promoted.length === 0) return; // another instance rotated first
      await tx
        .insert(signingKeys)
        .values({ ...afterNext, generation: next.generation + 1, activatedAt: null })
        .onConflictDoNothing({ target: signingKeys.generation });
      const retired = keyRing(await this.rows(tx), now, this.options.publishedAfterReplacementMs).retired.map((row) => row.kid);
      // A retired key signed only tokens that have expired: its private half is of no further use.
      if (retired.length > 0) await tx.delete(signingKeys).where(inArray(signingKeys.kid, retired));
    });
  }

  private rows(db: Database<AccountsTables> | Tx): Promise<KeyRow[]> {
    return db.select().from(signingKeys).orderBy(desc(signingKeys.generation));
  }

  private async toKey(row: KeyRow): Promise<SigningKey> {
    let privateKey = this.privateKeys.get(row.kid);
    if (!privateKey) {
      privateKey = importJWK(row.privateJwk as JWK, SIGNING_ALGORITHM) as Promise<CryptoKey>;
      this.privateKeys.set(row.kid, privateKey);
    }
    return { kid: row.kid, generation: row.generation, privateKey: await privateKey, publicJwk: row.publicJwk as JWK };
  }
}
