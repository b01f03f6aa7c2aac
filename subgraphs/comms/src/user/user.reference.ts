import type { User } from './user.type.js';

/** Any user id is accepted: accounts decides whether the user exists. */
export function resolveUserReference(reference: { id: string }): User {
  return { id: reference.id };
}
