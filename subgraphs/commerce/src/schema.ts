import { buildFederatedSchema } from '@mega/subgraph-kit';
import type { PubSub } from 'type-graphql';
import { CartResolver } from './cart/cart.resolver.js';
import { MediaAsset } from './media/media-asset.type.js';
import { resolveOrderReference } from './order/order.reference.js';
import { OrderItemResolver, OrderResolver } from './order/order.resolver.js';
import { OrderSubscriptionResolver } from './order/order.subscription.js';
import { resolveProductReference } from './product/product.reference.js';
import { ProductResolver } from './product/product.resolver.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/**
 * The commerce subgraph schema; no side effects.
 * @param events the instance's event bus (servers); omitted, the schema serves its SDL only
 */
export function buildSchema(events?: PubSub) {
  return buildFederatedSchema(
    { resolvers: [ProductResolver, CartResolver, OrderResolver, OrderSubscriptionResolver, OrderItemResolver, UserResolver], pubSub: events, orphanedTypes: [User, MediaAsset] },
    {
      Product: { __resolveReference: resolveProductReference },
      Order: { __resolveReference: resolveOrderReference },
      User: { __resolveReference: resolveUserReference },
    },
  );
}
