import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound, requireViewer, type Connection } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import { User } from '../user/user.type.js';
import { mediaConnection } from './media-asset.connection.js';
import { UpdateMediaAssetInput } from './media-asset.input.js';
import { fileUrl } from './media-asset.links.js';
import { resolveMediaAssetReference } from './media-asset.reference.js';
import { toMediaAsset } from './media-asset.mapper.js';
import { MediaAsset, MediaAssetConnection, type Visibility } from './media-asset.type.js';
import { checkTitle } from './validation.js';

@Resolver(() => MediaAsset)
export class MediaAssetResolver {
  @Query(() => MediaAsset, { nullable: true, description: 'An asset by id; null when there is none or the viewer may not see it.' })
  mediaAsset(@Arg('id', () => ID) id: string, @Ctx() context: MediaContext): Promise<MediaAsset | null> {
    return resolveMediaAssetReference({ id }, context);
  }

  @Query(() => MediaAssetConnection, { nullable: true, description: "The signed-in user's media, newest first, including PRIVATE and unfinished assets." })
  myMedia(
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: MediaContext,
  ): Promise<Connection<MediaAsset>> {
    return mediaConnection(context, requireViewer(context), first, after);
  }

  @Mutation(() => MediaAsset, { description: "Changes the title or visibility of one of the signed-in user's assets. NOT_FOUND for anyone else's. With expectedVersion, CONFLICT (extensions.currentVersion, and the current title and visibility in extensions.current) when it has changed since (another device)." })
  async updateMediaAsset(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMediaAssetInput) input: UpdateMediaAssetInput,
    @Arg('expectedVersion', () => Int, { nullable: true, description: 'The MediaAsset.version the change was made on; omitted: last write wins.' }) expectedVersion: number | null,
    @Ctx() context: MediaContext,
  ): Promise<MediaAsset> {
    const viewerId = requireViewer(context);
    const patch: { title?: string; visibility?: Visibility } = {};
    if (input.title != null) patch.title = checkTitle(input.title, 'title');
    if (input.visibility != null) patch.visibility = input.visibility;
    const row = await context.assets.update(id, viewerId, patch, expectedVersion ?? null);
    if (!row) throw notFound('Media asset');
    context.assetById.clear(id);
    return toMediaAsset(row);
  }

  @Mutation(() => ID, { description: "Deletes one of the signed-in user's assets and its files (a PENDING one: its upload too). NOT_FOUND for anyone else's." })
  async deleteMediaAsset(@Arg('id', () => ID) id: string, @Ctx() context: MediaContext): Promise<string> {
    const viewerId = requireViewer(context);
    const row = await context.assets.delete(id, viewerId);
    if (!row) throw notFound('Media asset');
    context.assetById.clear(id);
    const keys = [row.storageKey, row.thumbnailKey].filter((key) => key !== null);
    // The row is gone, so nobody can reach the files any more; a failed delete leaves an orphan, not an error.
    await Promise.all([
      ...keys.map((key) => context.files.delete(key).catch((error: unknown) => context.logger.error({ err: error, key }, 'could not delete a media file'))),
      context.uploads.discard(row.id).catch((error: unknown) => context.logger.error({ err: error, assetId: row.id }, 'could not delete a partial upload')),
    ]);
    return row.id;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Link to the file; null until the upload finishes. Signed and valid for about an hour for PRIVATE assets.',
  })
  url(@Root() asset: MediaAsset, @Ctx() context: MediaContext): string | null {
    return fileUrl(asset, 'original', context);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Link to a small PNG preview, when there is one; signed like `url`.' })
  thumbnailUrl(@Root() asset: MediaAsset, @Ctx() context: MediaContext): string | null {
    return fileUrl(asset, 'thumbnail', context);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null only while the accounts subgraph is unreachable.' })
  owner(@Root() asset: MediaAsset): User {
    return { id: asset.ownerId };
  }
}
