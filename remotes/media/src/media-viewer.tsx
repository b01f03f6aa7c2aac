import { useEffect, useRef, type MouseEvent } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { DeleteMediaButton } from './delete-media-button';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { formatBytes, formatDate, formatDuration, isPending, KIND_LABEL } from './media-format';
import { MediaTitleForm } from './media-title-form';
import { MEDIA_ASSET, MEDIA_ASSET_READY } from './operations';

export interface MediaViewerProps {
  assetId: string;
  libraryHref: string;
  onBack: () => void;
  onDeleted: (title: string) => void;
  onRenamed: (title: string) => void;
}

/** The file itself: a large image, or a player for a video or a sound. */
function MediaStage({ asset }: { asset: MediaAssetFieldsFragment }) {
  if (!asset.url) {
    return (
      <p className="media-stage media-stage-pending" role="status">
        The file is still being uploaded; it shows here once it has arrived.
      </p>
    );
  }
  const size = asset.width && asset.height ? { width: asset.width, height: asset.height } : {};
  return (
    <div className="media-stage">
      {asset.kind === 'IMAGE' && <img src={asset.url} alt={asset.title} {...size} />}
      {asset.kind === 'VIDEO' && <video src={asset.url} controls preload="metadata" aria-label={asset.title} {...size} />}
      {asset.kind === 'AUDIO' && <audio src={asset.url} controls preload="metadata" aria-label={asset.title} />}
    </div>
  );
}

/** What is known about an asset, as a description list. */
function MediaFacts({ asset }: { asset: MediaAssetFieldsFragment }) {
  return (
    <dl className="media-facts">
      <dt>Kind</dt>
      <dd>
        {KIND_LABEL[asset.kind]} ({asset.mimeType})
      </dd>
      <dt>Size</dt>
      <dd>{formatBytes(asset.byteSize)}</dd>
      {asset.width != null && asset.height != null && (
        <>
          <dt>Dimensions</dt>
          <dd>
            {asset.width} × {asset.height} px
          </dd>
        </>
      )}
      {asset.durationMs != null && (
        <>
          <dt>Duration</dt>
          <dd>{formatDuration(asset.durationMs)}</dd>
        </>
      )}
      <dt>Added</dt>
      <dd>
        <time dateTime={asset.createdAt}>{formatDate(asset.createdAt)}</time>
      </dd>
      <dt>Status</dt>
      <dd>{isPending(asset) ? 'Pending: uploading' : 'Ready'}</dd>
    </dl>
  );
}

/**
 * One asset on its own route: the file (large image, video or audio player), its facts, rename
 * and delete. The heading takes the focus when an asset opens, so that screen readers announce it.
 * A PENDING asset turns READY in place (`mediaAssetReady`).
 */
export function MediaViewer({ assetId, libraryHref, onBack, onDeleted, onRenamed }: MediaViewerProps) {
  // The asset as saved at once, then as the server has it (renamed on another device, say).
  const { data, error, refetch } = useQuery(MEDIA_ASSET, { variables: { id: assetId }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const asset = data?.mediaAsset ?? null;
  const pending = asset ? isPending(asset) : false;
  useSubscription(MEDIA_ASSET_READY, { variables: { id: assetId }, skip: !pending });

  const heading = useRef<HTMLHeadingElement>(null);
  const found = data ? asset !== null : undefined;
  useEffect(() => {
    if (found !== undefined) heading.current?.focus();
  }, [assetId, found]);

  const back = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onBack();
  };
  const backLink = (
    <p className="media-back">
      <a href={libraryHref} onClick={back}>
        <span aria-hidden="true">← </span>All media
      </a>
    </p>
  );

  if (error && !data) {
    return (
      <article className="media-viewer">
        {backLink}
        <div role="alert" className="media-error">
          <p>This item could not be loaded: {error.message}</p>
          <button type="button" onClick={() => void refetch().catch(() => undefined)}>
            Try again
          </button>
        </div>
      </article>
    );
  }
  if (!data) {
    return (
      <article className="media-viewer" aria-busy="true">
        {backLink}
        <p role="status">Loading…</p>
      </article>
    );
  }
  if (!asset) {
    return (
      <article className="media-viewer">
        {backLink}
        <h2 ref={heading} tabIndex={-1}>
          Not found
        </h2>
        <p>This item is not in your media: it was deleted, or it is not yours.</p>
      </article>
    );
  }
  return (
    <article className="media-viewer" aria-labelledby="media-viewer-title">
      {backLink}
      <h2 id="media-viewer-title" ref={heading} tabIndex={-1}>
        {asset.title}
      </h2>
      <div className="media-viewer-layout">
        <MediaStage asset={asset} />
        <div className="media-viewer-side">
          <MediaFacts asset={asset} />
          <MediaTitleForm key={asset.id} asset={asset} onRenamed={onRenamed} />
          <DeleteMediaButton asset={asset} onDeleted={() => onDeleted(asset.title)} />
        </div>
      </div>
    </article>
  );
}
