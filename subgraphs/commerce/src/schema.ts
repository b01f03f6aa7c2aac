import { buildFederatedSchema } from '@mega/subgraph-kit';
import { CartResolver } from './cart/cart.resolver.js';
import { MediaAsset } from './media/media-asset.type.js';
import { resolveOrderReference } from './order/order.reference.js';
import { OrderItemResolver, OrderResolver } from './order/order.resolver.js';
import { resolveProductReference } from './product/product.reference.js';
import { ProductResolver } from './product/product.resolver.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/** The commerce subgraph schema; no side effects. */
export function buildSchema() {
  return buildFederatedSchema(
    { resolvers: [ProductResolver, CartResolver, OrderResolver, OrderItemResolver, UserResolver], orphanedTypes: [User, MediaAsset] },
    {
      Product: { __resolveReference: resolveProductReference },
      Order: { __resolveReference: resolveOrderReference },
      User: { __resolveReference: resolveUserReference },
    },
  );
}
