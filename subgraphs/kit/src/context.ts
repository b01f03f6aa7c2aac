import { unauthenticated } from './errors.js';
import type { Identity } from './identity.js';

/** What every resolver of every subgraph receives; subgraphs extend it with their stores and loaders. */
export interface BaseContext {
  /** Who is asking, as signed by the gateway. */
  identity: Identity;
}

/**
 * The signed-in user's id.
 * @throws UNAUTHENTICATED for anonymous requests
 */
export function requireViewer(context: BaseContext): string {
  const { userId } = context.identity;
  if (!userId) throw unauthenticated();
  return userId;
}
