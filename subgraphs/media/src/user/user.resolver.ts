import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Connection } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import { mediaConnection } from '../media-asset/media-asset.connection.js';
import { MediaAssetConnection, type MediaAsset } from '../media-asset/media-asset.type.js';
import { User } from './user.type.js';

@Resolver(() => User)
export class UserMediaResolver {
  @FieldResolver(() => MediaAssetConnection, {
    description: "The user's media, newest first: all of it for the user themself, only PUBLIC assets for anyone else.",
  })
  media(
    @Root() user: User,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: MediaContext,
  ): Promise<Connection<MediaAsset>> {
    return mediaConnection(context, user.id, first, after);
  }
}
