import { useRef } from 'react';
import { useSubscription } from '@apollo/client/react';
import { MEDIA_ASSET_READY } from './operations';
import type { UploadItem, Uploads } from './use-uploads';

const PHASE_TEXT: Readonly<Record<Exclude<UploadItem['phase'], 'failed' | 'paused'>, string>> = {
  starting: 'Preparing…',
  uploading: 'Uploading…',
  finishing: 'Checking the file…',
  ready: 'Ready',
  cancelled: 'Cancelled',
};

/** One upload: its name, an accessible progress bar with the percentage, what is happening, and what can be done. */
function UploadRow({ item, uploads }: { item: UploadItem; uploads: Uploads }) {
  // The upload endpoint answers the last PATCH once the asset is READY, so this arrives at once;
  // it carries the READY asset (url, dimensions) into the cache, where the library shows it.
  useSubscription(MEDIA_ASSET_READY, {
    variables: { id: item.assetId ?? '' },
    skip: item.phase !== 'finishing' || !item.assetId,
    onData: ({ data }) => {
      if (data.data) uploads.ready(item.key, data.data.mediaAssetReady.title);
    },
    onError: (error) => uploads.fail(item.key, `The file was sent, but it could not be confirmed: ${error.message}`),
  });
  const chooser = useRef<HTMLInputElement>(null);
  const percent = item.total > 0 ? Math.floor((item.sent / item.total) * 100) : 0;
  const active = item.phase === 'starting' || item.phase === 'uploading';
  if (item.phase === 'paused') {
    // Left unfinished by an earlier visit: the browser no longer has the file, the user gives it again.
    return (
      <li className="media-upload media-upload-paused">
        <span className="media-upload-name">{item.name}</span>
        <span className="media-upload-status" aria-live="polite">
          Paused: choose the file again to resume
        </span>
        {item.error && (
          <span role="alert" className="media-error media-upload-status">
            {item.error}
          </span>
        )}
        <span className="media-actions">
          <button type="button" onClick={() => chooser.current?.click()} aria-label={`Resume the upload of ${item.name}: choose the file again`}>
            Resume…
          </button>
          <button type="button" onClick={() => uploads.cancel(item.key)} aria-label={`Cancel the upload of ${item.name}`}>
            Cancel
          </button>
        </span>
        <input
          ref={chooser}
          type="file"
          hidden
          aria-label={`Choose ${item.name} again`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) uploads.resume(item.key, file);
          }}
        />
      </li>
    );
  }
  return (
    <li className={`media-upload media-upload-${item.phase}`}>
      <span className="media-upload-name">{item.name}</span>
      {item.phase !== 'cancelled' && (item.phase !== 'failed' || item.assetId) && (
        <span className="media-upload-bar">
          <progress value={percent} max={100} aria-label={`Upload of ${item.name}`} />
          <span className="media-upload-percent">{percent} %</span>
        </span>
      )}
      {item.phase === 'failed' ? (
        <span role="alert" className="media-error media-upload-status">
          {item.error}
        </span>
      ) : (
        <span className="media-upload-status" aria-live="polite">
          {PHASE_TEXT[item.phase]}
        </span>
      )}
      <span className="media-actions">
        {item.phase === 'failed' && item.resumable && (
          <button type="button" onClick={() => uploads.retry(item.key)} aria-label={`Retry the upload of ${item.name}`}>
            Retry
          </button>
        )}
        {(active || (item.phase === 'failed' && item.resumable)) && (
          <button type="button" onClick={() => uploads.cancel(item.key)} aria-label={`Cancel the upload of ${item.name}`}>
            Cancel
          </button>
        )}
        {!active && item.phase !== 'finishing' && !(item.phase === 'failed' && item.resumable) && (
          <button type="button" onClick={() => uploads.dismiss(item.key)} aria-label={`Dismiss ${item.name}`}>
            Dismiss
          </button>
        )}
      </span>
    </li>
  );
}

/** The uploads of this visit, newest last; nothing when there are none. */
export function UploadList({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0) return null;
  return (
    <ul className="media-uploads" aria-label="Uploads">
      {uploads.items.map((item) => (
        <UploadRow key={item.key} item={item} uploads={uploads} />
      ))}
    </ul>
  );
}
