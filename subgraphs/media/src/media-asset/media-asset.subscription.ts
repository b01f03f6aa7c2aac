import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { endingWith, isUuid, notFound, requireViewer, type EventStream } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import type { MediaAssetReadyEvent } from '../events.js';
import type { MediaAssetRow } from '../store/media-asset.store.js';
import { toMediaAsset } from './media-asset.mapper.js';
import { MediaAsset } from './media-asset.type.js';

/** The owner's asset as stored now. @throws NOT_FOUND for anyone but its owner, and once it is deleted */
async function ownAsset(context: MediaContext, id: string, viewerId: string): Promise<MediaAssetRow> {
  const [row] = await context.assets.byIds([id]);
  if (!row || row.ownerId !== viewerId) throw notFound('Media asset');
  return row;
}

async function* whenReady(context: MediaContext, viewerId: string, id: string, stream: EventStream<MediaAssetReadyEvent>): AsyncGenerator<MediaAsset> {
  // Read after the listener is live: an asset that becomes READY later arrives as an event.
  const current = await ownAsset(context, id, viewerId);
  if (current.status === 'READY') {
    yield toMediaAsset(current);
    return;
  }
  for await (const _event of stream) {
    const row = await ownAsset(context, id, viewerId);
    if (row.status !== 'READY') continue;
    yield toMediaAsset(row);
    return;
  }
}

@Resolver(() => MediaAsset)
export class MediaAssetSubscriptionResolver {
  @Subscription(() => MediaAsset, {
    description:
      "One event when the owner's asset is READY (at once when it already is), then completes. NOT_FOUND for anyone but the owner.",
    subscribe: async ({ args, context }) => {
      const media = context as MediaContext;
      const viewerId = requireViewer(media);
      const { id } = args as { id: string };
      if (!isUuid(id)) throw notFound('Media asset');
      const assetId = id.toLowerCase();
      await ownAsset(media, assetId, viewerId);
      const stream = await media.events.listen('mediaAssetReady', assetId);
      return endingWith(whenReady(media, viewerId, assetId, stream), stream);
    },
  })
  mediaAssetReady(@Root() asset: MediaAsset, @Arg('id', () => ID) _id: string): MediaAsset {
    return asset;
  }
}
