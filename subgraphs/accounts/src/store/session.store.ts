import { and, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Database } from '@mega/subgraph-kit';
import { hashRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from '../session/refresh-token.js';
import { refreshTokenFamilies, refreshTokens, type AccountsTables } from './tables.js';

/** How long a refresh token stays valid; each rotation issues a successor with a new lifetime. @default 30 days */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * How long after a refresh token was rotated it may be presented again, for a client whose
 * response was lost (or two tabs refreshing at once). A retry inside the window gets the *same*
 * successor refresh token again (and a new access token), and only while that successor has not
 * been used; it never creates a second token. Anything else that presents a rotated token revokes
 * the whole family. Counted from the first rotation; retries do not extend it. @default 30 seconds
 */
export const REFRESH_GRACE_WINDOW_MS = 30_000;

/** Why a family was revoked. */
export type RevokedReason = 'logout' | 'reuse';

/** What presenting a refresh token led to. */
export type RefreshOutcome =
  /** The token was current: it is now rotated and `token` is its successor. */
  | { kind: 'rotated'; userId: string; familyId: string; token: string; expiresAt: Date }
  /** A retry inside the grace window: `token` is the successor handed out before, again. */
  | { kind: 'replayed'; userId: string; familyId: string; token: string; expiresAt: Date }
  /** A rotated token outside the grace rule: the whole family has just been revoked. */
  | { kind: 'reused'; userId: string; familyId: string }
  /** Nothing was changed. */
  | { kind: 'refused'; reason: 'unknown' | 'expired' | 'revoked' };

type Tx = Parameters<Parameters<Database<AccountsTables>['transaction']>[0]>[0];
type TokenRow = typeof refreshTokens.$inferSelect;

/**
 * Opaque refresh tokens, rotated on every use; only their hashes are stored. A family is one
 * sign-in's chain of rotations. All changes to a family's tokens happen under a row lock on the
 * family, so concurrent refreshes, reuse detection and logout of one family are serialised.
 */
export class SessionStore {
  constructor(private readonly db: Database<AccountsTables>) {}

  /** Starts a new session family and returns its first refresh token. */
  async issue(userId: string, now = new Date()): Promise<{ token: string; familyId: string; expiresAt: Date }> {
    const token = newRefreshToken();
    const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
    const familyId = await this.db.transaction(async (tx) => {
      const [family] = await tx.insert(refreshTokenFamilies).values({ userId, createdAt: now }).returning({ id: refreshTokenFamilies.id });
      await tx.insert(refreshTokens).values({ tokenHash: hashRefreshToken(token), userId, familyId: family!.id, expiresAt, createdAt: now });
      return family!.id;
    });
    return { token, familyId, expiresAt };
  }

  /**
   * Exchanges a refresh token for its successor (see {@link RefreshOutcome}): rotates a current
   * token, replays the successor inside the grace window ({@link REFRESH_GRACE_WINDOW_MS}), and
   * revokes the family when a rotated token is presented outside it.
   */
  async refresh(token: string, now = new Date()): Promise<RefreshOutcome> {
    const tokenHash = hashRefreshToken(token);
    const successor = newRefreshToken();
    return this.db.transaction(async (tx) => {
      const family = await this.lockFamilyOf(tx, tokenHash);
      if (!family) return { kind: 'refused', reason: 'unknown' };
      if (family.revokedAt) return { kind: 'refused', reason: 'revoked' };
      // Read after the lock: every write to this family's tokens has committed or waits for us.
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
      if (!row || row.revokedAt) return { kind: 'refused', reason: 'revoked' };
      if (row.expiresAt.getTime() <= now.getTime()) return { kind: 'refused', reason: 'expired' };
      if (!row.rotatedAt) return this.rotate(tx, row, token, successor, now);
      const replay = await this.replay(tx, row, token, now);
      if (replay) return replay;
      await this.revoke(tx, row.familyId, 'reuse', now);
      return { kind: 'reused', userId: row.userId, familyId: row.familyId };
    });
  }

  /**
   * Revokes the family `token` belongs to (logout). Idempotent.
   * @returns the family's user and id, or undefined when the token is unknown
   */
  async revokeFamilyOf(token: string, reason: RevokedReason, now = new Date()): Promise<{ userId: string; familyId: string } | undefined> {
    return this.db.transaction(async (tx) => {
      const family = await this.lockFamilyOf(tx, hashRefreshToken(token));
      if (!family) return undefined;
      if (!family.revokedAt) await this.revoke(tx, family.id, reason, now);
      return { userId: family.userId, familyId: family.id };
    });
  }

  /** The tokens of a family, oldest first (tests and support tooling). */
  async familyTokens(familyId: string): Promise<TokenRow[]> {
    return this.db.select().from(refreshTokens).where(eq(refreshTokens.familyId, familyId)).orderBy(refreshTokens.createdAt, refreshTokens.tokenHash);
  }

  private async lockFamilyOf(tx: Tx, tokenHash: string) {
    const familyOfToken = tx.select({ id: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
    const [family] = await tx
      .select({ id: refreshTokenFamilies.id, userId: refreshTokenFamilies.userId, revokedAt: refreshTokenFamilies.revokedAt })
      .from(refreshTokenFamilies)
      .where(inArray(refreshTokenFamilies.id, familyOfToken))
      .for('update');
    return family;
  }

  private async rotate(tx: Tx, row: TokenRow, presented: string, successor: string, now: Date): Promise<RefreshOutcome> {
    const successorHash = hashRefreshToken(successor);
    const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
    await tx.insert(refreshTokens).values({ tokenHash: successorHash, userId: row.userId, familyId: row.familyId, expiresAt, createdAt: now });
    await tx
      .update(refreshTokens)
      .set({ rotatedAt: now, successorHash, successorSealed: sealSuccessor(presented, successor) })
      .where(eq(refreshTokens.tokenHash, row.tokenHash));
    // The predecessor of the token just used can no longer be replayed (its successor is used): drop its sealed copy.
    await tx
      .update(refreshTokens)
      .set({ successorSealed: null })
      .where(and(eq(refreshTokens.familyId, row.familyId), ne(refreshTokens.tokenHash, row.tokenHash), isNotNull(refreshTokens.successorSealed)));
    return { kind: 'rotated', userId: row.userId, familyId: row.familyId, token: successor, expiresAt };
  }

  /** The grace rule: the same successor again, if the window is open and the successor is unused. */
  private async replay(tx: Tx, row: TokenRow, presented: string, now: Date): Promise<RefreshOutcome | undefined> {
    if (!row.rotatedAt || now.getTime() - row.rotatedAt.getTime() >= REFRESH_GRACE_WINDOW_MS) return undefined;
    if (!row.successorHash || !row.successorSealed) return undefined;
    const [next] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, row.successorHash));
    if (!next || next.rotatedAt || next.revokedAt || next.expiresAt.getTime() <= now.getTime()) return undefined;
    const token = openSuccessor(presented, row.successorSealed);
    if (!token || hashRefreshToken(token) !== next.tokenHash) return undefined;
    return { kind: 'replayed', userId: row.userId, familyId: row.familyId, token, expiresAt: next.expiresAt };
  }

  private async revoke(tx: Tx, familyId: string, reason: RevokedReason, now: Date): Promise<void> {
    await tx.update(refreshTokenFamilies).set({ revokedAt: now, revokedReason: reason }).where(and(eq(refreshTokenFamilies.id, familyId), isNull(refreshTokenFamilies.revokedAt)));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now, successorSealed: null })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }
}
