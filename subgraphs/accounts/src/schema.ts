import { buildFederatedSchema } from '@mega/subgraph-kit';
import { SessionResolver } from './session/session.resolver.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/** The accounts subgraph schema; no side effects. */
export function buildSchema() {
  return buildFederatedSchema(
    { resolvers: [UserResolver, SessionResolver], orphanedTypes: [User] },
    { User: { __resolveReference: resolveUserReference } },
  );
}
