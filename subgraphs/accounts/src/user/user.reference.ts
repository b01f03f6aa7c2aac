import type { AccountsContext } from '../context.js';
import { toUser } from './user.mapper.js';
import type { User } from './user.type.js';

/** Resolves `User` representations from other subgraphs, batched into one query per request. */
export async function resolveUserReference(reference: { id: string }, context: AccountsContext): Promise<User | null> {
  const row = await context.userById.load(reference.id);
  return row ? toUser(row, context.identity.userId) : null;
}
