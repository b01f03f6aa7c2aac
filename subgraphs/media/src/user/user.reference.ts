import type { User } from './user.type.js';

/** Any user id is accepted: accounts owns users, this subgraph only adds fields to them. */
export function resolveUserReference(reference: { id: string }): User {
  return { id: reference.id };
}
