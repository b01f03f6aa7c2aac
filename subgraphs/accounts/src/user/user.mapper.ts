import type { UserRow } from '../store/user.store.js';
import type { User } from './user.type.js';

/** The GraphQL view of a user row; `email` and `version` only when the viewer is that user. */
export function toUser(row: UserRow, viewerId: string | null): User {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl,
    createdAt: row.createdAt,
    email: viewerId === row.id ? row.email : null,
    version: viewerId === row.id ? row.version : null,
  };
}
