import { useId, useState, type FormEvent } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { TITLE_MAX_LENGTH } from './media-format';
import { RENAME_MEDIA_ASSET } from './operations';

/** What the server says on a CONFLICT of `updateMediaAsset(expectedVersion:)`. */
interface MediaConflict {
  currentVersion: number;
  current: { title: string; visibility: MediaAssetFieldsFragment['visibility'] };
}

function mediaConflict(error: unknown): MediaConflict | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const extensions = error.errors[0]?.extensions;
  return extensions?.code === 'CONFLICT' && typeof extensions.currentVersion === 'number' ? (extensions as unknown as MediaConflict) : null;
}

/**
 * Renames an asset (`updateMediaAsset`) on the version it was shown at. The answer updates
 * `MediaAsset:<id>` in the shell's cache, so the new title shows wherever the asset is shown, in
 * other mini-apps too. When it was changed elsewhere meanwhile (CONFLICT), the server's title wins:
 * it is shown, and the user is told which title of theirs was not saved (docs/mini-apps.md, Conflicts).
 */
export function MediaTitleForm({ asset, onRenamed }: { asset: Pick<MediaAssetFieldsFragment, 'id' | 'title' | 'version'>; onRenamed: (title: string) => void }) {
  const client = useApolloClient();
  const [draft, setDraft] = useState(asset.title);
  const [conflict, setConflict] = useState<string | null>(null);
  const [rename, { loading, error: failure, reset: resetMutation }] = useMutation(RENAME_MEDIA_ASSET);
  const error = failure && !mediaConflict(failure) ? failure : undefined;
  const inputId = useId();
  const errorId = useId();
  const title = draft.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title || title === asset.title) return;
    setConflict(null);
    try {
      const { data } = await rename({ variables: { id: asset.id, title, expectedVersion: asset.version } });
      if (data) onRenamed(data.updateMediaAsset.title);
    } catch (caught) {
      // Others are shown from the hook's `error`.
      const stale = mediaConflict(caught);
      if (!stale) return;
      // The server wins: its title (and version) everywhere the asset is shown, the user told what was not saved.
      client.cache.modify({
        id: client.cache.identify({ __typename: 'MediaAsset', id: asset.id }),
        fields: { title: () => stale.current.title, visibility: () => stale.current.visibility, version: () => stale.currentVersion },
      });
      setDraft(stale.current.title);
      setConflict(`This title was changed on another device meanwhile, to “${stale.current.title}”: yours, “${title}”, was not saved. Save it again to replace that one.`);
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
            if (error) resetMutation();
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
      {conflict && (
        <p role="alert" className="media-error">
          {conflict}
        </p>
      )}
    </form>
  );
}
