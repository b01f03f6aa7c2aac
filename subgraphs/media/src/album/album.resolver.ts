import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound, pageSize, requireViewer, runOnce, toConnection, type Connection } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import { decodeNumberIdCursor } from '../cursors.js';
import { canView, toMediaAsset } from '../media-asset/media-asset.mapper.js';
import { MediaAssetConnection, type MediaAsset } from '../media-asset/media-asset.type.js';
import { checkTitle } from '../media-asset/validation.js';
import type { AlbumRow } from '../store/album.store.js';
import { clientMutations } from '../store/tables.js';
import { Album, AlbumConnection } from './album.type.js';

function toAlbum(row: AlbumRow): Album {
  return { id: row.id, title: row.title, createdAt: row.createdAt };
}

/** The viewer's album `id`. @throws NOT_FOUND when there is none or it is someone else's */
async function ownAlbum(context: MediaContext, viewerId: string, id: string): Promise<AlbumRow> {
  const row = await context.albumById.load(id);
  if (!row || row.ownerId !== viewerId) throw notFound('Album');
  return row;
}

@Resolver(() => Album)
export class AlbumResolver {
  @Query(() => AlbumConnection, { nullable: true, description: "The signed-in user's albums, newest first." })
  async albums(
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: MediaContext,
  ): Promise<Connection<Album>> {
    const viewerId = requireViewer(context);
    const size = pageSize(first);
    const rows = await context.albums.pageByOwner(viewerId, { limit: size + 1, after: decodeNumberIdCursor(after) });
    return toConnection(rows.map(toAlbum), size, (album) => [album.createdAt.getTime(), album.id], after != null);
  }

  @Mutation(() => Album, { description: 'Creates an empty album. A retry with the same clientMutationId returns the same album.' })
  async createAlbum(
    @Arg('title', () => String, { description: '1 to 200 characters.' }) title: string,
    @Arg('clientMutationId', () => String, { nullable: true }) clientMutationId: string | null,
    @Ctx() context: MediaContext,
  ): Promise<Album> {
    const viewerId = requireViewer(context);
    const checked = checkTitle(title, 'title');
    const { albumId } = await runOnce(context.db, clientMutations, { userId: viewerId, clientMutationId, operation: 'createAlbum' }, async (tx) => {
      const row = await context.albums.create({ ownerId: viewerId, title: checked }, tx);
      return { albumId: row.id };
    });
    return toAlbum(await ownAlbum(context, viewerId, albumId));
  }

  @Mutation(() => Album, {
    description: 'Appends an asset the viewer may see to one of their albums; adding it again changes nothing. NOT_FOUND for an unknown album or asset.',
  })
  async addToAlbum(
    @Arg('albumId', () => ID) albumId: string,
    @Arg('assetId', () => ID) assetId: string,
    @Ctx() context: MediaContext,
  ): Promise<Album> {
    const viewerId = requireViewer(context);
    const [album, asset] = await Promise.all([ownAlbum(context, viewerId, albumId), context.assetById.load(assetId)]);
    if (!asset || !canView(asset, viewerId)) throw notFound('Media asset');
    await context.albums.addItem(album.id, asset.id);
    return toAlbum(album);
  }

  @FieldResolver(() => MediaAssetConnection, { description: "The album's media in the order they were added." })
  async assets(
    @Root() album: Album,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: MediaContext,
  ): Promise<Connection<MediaAsset>> {
    const size = pageSize(first);
    const rows = await context.albumAssetsPage({ limit: size + 1, after: decodeNumberIdCursor(after) }).load(album.id);
    const connection = toConnection(rows, size, (row) => [row.position, row.asset.id], after != null);
    return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toMediaAsset(edge.node.asset) })) };
  }
}
