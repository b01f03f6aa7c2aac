import { useId, useRef } from 'react';
import { useMutation } from '@apollo/client/react';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { evictMediaAsset } from './media-cache';
import { DELETE_MEDIA_ASSET } from './operations';

/**
 * Deletes an asset (`deleteMediaAsset`) after the user confirms in a modal dialog, then evicts it
 * from the shell's cache, so it disappears from every list that showed it, in other mini-apps too.
 */
export function DeleteMediaButton({ asset, onDeleted }: { asset: Pick<MediaAssetFieldsFragment, 'id' | 'title'>; onDeleted: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const [remove, { loading, error, reset }] = useMutation(DELETE_MEDIA_ASSET, {
    update: (cache, { data }) => {
      if (data) evictMediaAsset(cache, data.deleteMediaAsset);
    },
  });
  const confirm = async () => {
    try {
      await remove({ variables: { id: asset.id } });
      dialog.current?.close();
      onDeleted();
    } catch {
      // Shown from the hook's `error`, in the dialog.
    }
  };
  return (
    <>
      <button
        type="button"
        className="media-danger"
        onClick={() => {
          reset();
          dialog.current?.showModal();
        }}
      >
        Delete…
      </button>
      <dialog ref={dialog} className="media-dialog" aria-labelledby={titleId} aria-describedby={textId}>
        <h2 id={titleId}>Delete “{asset.title}”?</h2>
        <p id={textId}>The file is deleted for good, also where it was shared.</p>
        {error && (
          <p role="alert" className="media-error">
            It could not be deleted: {error.message}
          </p>
        )}
        <div className="media-actions">
          <button type="button" className="media-danger-solid" onClick={() => void confirm()} disabled={loading}>
            {loading ? 'Deleting…' : 'Delete'}
          </button>
          <button type="button" autoFocus onClick={() => dialog.current?.close()} disabled={loading}>
            Keep it
          </button>
        </div>
      </dialog>
    </>
  );
}
