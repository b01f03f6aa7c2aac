import type { MouseEvent } from 'react';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { isPending, KIND_LABEL, KIND_SYMBOL } from './media-format';

/** The id of an asset's tile link, to give it focus back when the viewer closes. */
export const tileLinkId = (assetId: string) => `media-tile-${assetId}`;

/**
 * The picture of an asset in a grid: the file itself for an image (the server's thumbnails are
 * tiny, and `loading="lazy"` fetches only the tiles on screen), the thumbnail for a video or a
 * sound when there is one.
 */
export function previewUrl(asset: Pick<MediaAssetFieldsFragment, 'kind' | 'url' | 'thumbnailUrl'>): string | null {
  return asset.kind === 'IMAGE' ? (asset.url ?? asset.thumbnailUrl) : asset.thumbnailUrl;
}

/** An asset's picture, or its kind's symbol with the title for screen readers; fills a square frame. */
export function MediaPreview({ asset }: { asset: MediaAssetFieldsFragment }) {
  const src = previewUrl(asset);
  return (
    <span className="media-frame">
      {src ? (
        <img src={src} alt={asset.title} loading="lazy" decoding="async" {...(asset.width && asset.height ? { width: asset.width, height: asset.height } : {})} />
      ) : (
        <>
          <span className="media-frame-symbol" aria-hidden="true">
            {KIND_SYMBOL[asset.kind]}
          </span>
          <span className="media-visually-hidden">{asset.title}</span>
        </>
      )}
    </span>
  );
}

/**
 * One asset of the library: its picture links to the viewer (the whole tile is the link's target
 * area), the caption gives the title, the kind and whether it is still PENDING.
 */
export function MediaTile({ asset, href, onOpen }: { asset: MediaAssetFieldsFragment; href: string; onOpen: () => void }) {
  const pending = isPending(asset);
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen();
  };
  return (
    <li className={`media-tile${pending ? ' media-tile-pending' : ''}`} data-asset-id={asset.id}>
      <a id={tileLinkId(asset.id)} className="media-tile-link" href={href} onClick={open}>
        <MediaPreview asset={asset} />
      </a>
      <p className="media-tile-caption">
        <span className="media-tile-title" title={asset.title}>
          {asset.title}
        </span>
        <span className="media-tile-meta">
          {KIND_LABEL[asset.kind]}
          {pending && <span className="media-badge">Pending</span>}
        </span>
      </p>
    </li>
  );
}

/** A tile's stand-in while its page loads: the same size, so nothing moves when it arrives. */
export function MediaTilePlaceholder() {
  return (
    <li className="media-tile media-tile-placeholder" aria-hidden="true">
      <span className="media-frame" />
      <p className="media-tile-caption">
        <span className="media-tile-title">&nbsp;</span>
        <span className="media-tile-meta">&nbsp;</span>
      </p>
    </li>
  );
}
