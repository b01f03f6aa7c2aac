import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { TITLE_MAX_LENGTH } from './media-format';
import { RENAME_MEDIA_ASSET } from './operations';

/**
 * Renames an asset (`updateMediaAsset`). The answer updates `MediaAsset:<id>` in the shell's
 * cache, so the new title shows wherever the asset is shown, in other mini-apps too.
 */
export function MediaTitleForm({ asset, onRenamed }: { asset: Pick<MediaAssetFieldsFragment, 'id' | 'title'>; onRenamed: (title: string) => void }) {
  const [draft, setDraft] = useState(asset.title);
  const [rename, { loading, error, reset }] = useMutation(RENAME_MEDIA_ASSET);
  const inputId = useId();
  const errorId = useId();
  const title = draft.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title || title === asset.title) return;
    try {
      const { data } = await rename({ variables: { id: asset.id, title } });
      if (data) onRenamed(data.updateMediaAsset.title);
    } catch {
      // Shown from the hook's `error`.
    }
  };
  return (
    <form className="media-title-form" onSubmit={(event) => void submit(event)} aria-label="Rename">
      <label htmlFor={inputId}>Title</label>
      <div className="media-inline">
        <input
          id={inputId}
          value={draft}
          required
          maxLength={TITLE_MAX_LENGTH}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            if (error) reset();
          }}
        />
        <button type="submit" className="primary" disabled={loading || !title || title === asset.title}>
          {loading ? 'Saving…' : 'Save title'}
        </button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="media-error">
          The title could not be changed: {error.message}
        </p>
      )}
    </form>
  );
}
