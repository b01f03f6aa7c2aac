import { and, eq, inArray, sql } from 'drizzle-orm';
import { conflict, isUuid, uniqueViolation, type Database } from '@mega/subgraph-kit';
import { users, type AccountsTables } from './tables.js';

export type UserRow = typeof users.$inferSelect;

/** Users and their credentials. Handles and emails are unique case-insensitively. */
export class UserStore {
  constructor(private readonly db: Database<AccountsTables>) {}

  /** @throws CONFLICT when the email or handle is taken */
  async create(input: { id?: string; email: string; handle: string; displayName: string; passwordHash: string; avatarUrl?: string | null }): Promise<UserRow> {
    try {
      const [row] = await this.db.insert(users).values(input).returning();
      return row!;
    } catch (error) {
      if (uniqueViolation(error)?.includes('users_email_key')) throw conflict('An account with this email already exists.', { argument: 'email' });
      if (uniqueViolation(error)?.includes('users_handle_key')) throw conflict('This handle is taken.', { argument: 'handle' });
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
    return row;
  }

  /** One query for any number of ids; rows come back in the order of `ids`, undefined where missing. */
  async byIds(ids: readonly string[]): Promise<(UserRow | undefined)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await this.db.select().from(users).where(inArray(users.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /**
   * Changes the profile and bumps its version.
   * @param expectedVersion the version the change was made on; null: whatever the current one is
   * @throws CONFLICT when the new handle is taken; CONFLICT with `extensions.currentVersion` and
   *   `extensions.current` (the profile as it is) when `expectedVersion` is stale
   */
  async updateProfile(id: string, patch: { displayName?: string; handle?: string; avatarUrl?: string | null }, expectedVersion: number | null = null): Promise<UserRow | undefined> {
    try {
      const [row] = await this.db
        .update(users)
        .set({ ...patch, version: sql`${users.version} + 1` })
        .where(expectedVersion === null ? eq(users.id, id) : and(eq(users.id, id), eq(users.version, expectedVersion)))
        .returning();
      if (!row && expectedVersion !== null) {
        const [current] = await this.byIds([id]);
        if (current) {
          throw conflict(`The profile changed: it is at version ${current.version}, not ${expectedVersion}.`, {
            argument: 'expectedVersion',
            currentVersion: current.version,
            current: { handle: current.handle, displayName: current.displayName, avatarUrl: current.avatarUrl },
          });
        }
      }
      return row;
    } catch (error) {
      if (uniqueViolation(error)?.includes('users_handle_key')) throw conflict('This handle is taken.', { argument: 'handle' });
      throw error;
    }
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(users);
    return row?.n ?? 0;
  }
}
