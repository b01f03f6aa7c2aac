import { buildFederatedSchema } from '@mega/subgraph-kit';
import { AlbumResolver } from './album/album.resolver.js';
import { resolveMediaAssetReference } from './media-asset/media-asset.reference.js';
import { MediaAssetResolver } from './media-asset/media-asset.resolver.js';
import { MediaAsset } from './media-asset/media-asset.type.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserMediaResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/** The media subgraph schema; no side effects. */
export function buildSchema() {
  return buildFederatedSchema(
    { resolvers: [MediaAssetResolver, UserMediaResolver, AlbumResolver], orphanedTypes: [MediaAsset, User] },
    {
      MediaAsset: { __resolveReference: resolveMediaAssetReference },
      User: { __resolveReference: resolveUserReference },
    },
  );
}
