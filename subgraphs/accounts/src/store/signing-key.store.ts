import { desc } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '@mega/subgraph-kit';
import { signingKeys, type AccountsTables } from './tables.js';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** The Ed25519 keys access tokens are signed with, kept in the database so every instance and restart shares them. */
export class SigningKeyStore {
  constructor(private readonly db: Database<AccountsTables>) {}

  /** The newest key, created on first use. */
  async current(): Promise<SigningKey> {
    const [row] = await this.db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt)).limit(1);
    if (row) return this.toKey(row.kid, row.privateJwk as JWK, row.publicJwk as JWK);
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const kid = crypto.randomUUID();
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    // Two instances starting together may both create a key; both are published, the newest signs.
    await this.db.insert(signingKeys).values({ kid, privateJwk, publicJwk });
    return { kid, privateKey: privateKey, publicJwk };
  }

  /** The public keys for /.well-known/jwks.json. */
  async publicKeys(): Promise<JWK[]> {
    const rows = await this.db.select({ publicJwk: signingKeys.publicJwk }).from(signingKeys).orderBy(desc(signingKeys.createdAt));
    return rows.map((row) => row.publicJwk as JWK);
  }

  private async toKey(kid: string, privateJwk: JWK, publicJwk: JWK): Promise<SigningKey> {
    const privateKey = (await importJWK(privateJwk, SIGNING_ALGORITHM)) as CryptoKey;
    return { kid, privateKey, publicJwk };
  }
}
