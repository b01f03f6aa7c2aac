import { createEventBus, type EventBus } from '@mega/subgraph-kit';

/** An asset that became READY, published after the commit. */
export interface MediaAssetReadyEvent {
  id: string;
  ownerId: string;
}

/** The media topics; each is published per asset id. */
export type MediaEvents = {
  mediaAssetReady: MediaAssetReadyEvent;
};

export type MediaEventBus = EventBus<MediaEvents>;

/** The media event bus: in process, or over Redis shared by every media instance. */
export function createMediaEvents(redisUrl: string | undefined): Promise<MediaEventBus> {
  return createEventBus<MediaEvents>({ redisUrl, keyPrefix: 'mega:media:' });
}
