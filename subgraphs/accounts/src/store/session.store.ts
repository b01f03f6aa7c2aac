import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@mega/subgraph-kit';
import { refreshTokens, type AccountsTables } from './tables.js';

/** How long a refresh token stays valid. @default 30 days */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Opaque refresh tokens; only their hashes are stored. */
export class SessionStore {
  constructor(private readonly db: Database<AccountsTables>) {}

  /** Starts a new session family and returns its first refresh token. */
  async issue(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
    await this.db.insert(refreshTokens).values({ tokenHash: hashToken(token), userId, familyId: randomUUID(), expiresAt });
    return { token, expiresAt };
  }
}
