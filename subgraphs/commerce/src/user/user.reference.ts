import type { User } from './user.type.js';

/** Any id is a User to commerce; accounts decides whether one exists. */
export function resolveUserReference(reference: { id: string }): User {
  return { id: reference.id };
}
