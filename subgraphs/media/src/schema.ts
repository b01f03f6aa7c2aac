import { buildFederatedSchema } from '@mega/subgraph-kit';
import type { PubSub } from 'type-graphql';
import { AlbumResolver } from './album/album.resolver.js';
import { resolveMediaAssetReference } from './media-asset/media-asset.reference.js';
import { MediaAssetResolver } from './media-asset/media-asset.resolver.js';
import { MediaAssetSubscriptionResolver } from './media-asset/media-asset.subscription.js';
import { MediaAsset } from './media-asset/media-asset.type.js';
import { UploadResolver } from './upload/upload.resolver.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserMediaResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/**
 * The media subgraph schema; no side effects.
 * @param events the instance's event bus (servers); omitted, the schema serves its SDL only
 */
export function buildSchema(events?: PubSub) {
  return buildFederatedSchema(
    { resolvers: [MediaAssetResolver, MediaAssetSubscriptionResolver, UploadResolver, UserMediaResolver, AlbumResolver], pubSub: events, orphanedTypes: [MediaAsset, User] },
    {
      MediaAsset: { __resolveReference: resolveMediaAssetReference },
      User: { __resolveReference: resolveUserReference },
    },
  );
}
