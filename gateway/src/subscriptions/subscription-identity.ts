import { signIdentity } from '@mega/subgraph-kit/identity';

/** The path every signature of the WebSocket protocol names. */
export const SUBSCRIPTION_PATH = '/graphql';

/**
 * The headers of the upgrade request to a subgraph (step 1 of the signed WebSocket protocol): they
 * authenticate the gateway, not a user (`userId: null`, `clientIp: ''`), signed over `GET`, the
 * path and an empty body. Each `subscribe` then carries the user's identity (`signSubscription`
 * from `@mega/subgraph-kit/identity`, step 2).
 */
export function signUpgrade(secret: string, requestId: string, path = SUBSCRIPTION_PATH): Record<string, string> {
  return signIdentity(secret, { userId: null, requestId, clientIp: '' }, { method: 'GET', path, body: '' });
}
