import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { editableProfile, MY_PROFILE, PROFILE_FIELDS, saveProfile, type EditableProfile, type ProfileFields } from './profile-update';
import { SessionError, type Session } from './session';

/** How the user is told about each field. */
const FIELD_NAMES: Record<keyof ProfileFields, string> = { displayName: 'name', avatarUrl: 'avatar URL' };

type Drafts = Record<keyof ProfileFields, string>;
const draftsOf = (profile: EditableProfile): Drafts => ({ displayName: profile.displayName, avatarUrl: profile.avatarUrl ?? '' });

/** The fields whose draft differs from the loaded profile, as `updateProfile` takes them (an empty avatar URL removes it). */
function changesOf(profile: EditableProfile, drafts: Drafts): Partial<ProfileFields> {
  const changes: Partial<ProfileFields> = {};
  if (drafts.displayName !== profile.displayName) changes.displayName = drafts.displayName;
  const avatarUrl = drafts.avatarUrl.trim() || null;
  if (avatarUrl !== profile.avatarUrl) changes.avatarUrl = avatarUrl;
  return changes;
}

/** “your name “X” and your avatar URL “Y” were not saved” */
function notSavedText(notSaved: Partial<ProfileFields>): string {
  const values = PROFILE_FIELDS.filter((field) => notSaved[field] !== undefined).map((field) => `your ${FIELD_NAMES[field]} “${notSaved[field] ?? ''}”`);
  return `${values.join(' and ')} ${values.length > 1 ? 'were' : 'was'} not saved`;
}

type Feedback = { kind: 'saved' | 'conflict' | 'error'; message: string; field?: keyof ProfileFields } | null;

/**
 * The signed-in user's profile editor (the shell's `/profile`, loaded on demand): display name and
 * avatar URL, saved on the version they were loaded at; a change made on another device meanwhile
 * is merged when it touched other fields, otherwise the server's profile is shown and the user is
 * told what of theirs was not saved (profile-update.ts; docs/mini-apps.md, Conflicts).
 */
export default function ProfilePage({ session }: { session: Session }) {
  const [profile, setProfile] = useState<EditableProfile | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [drafts, setDrafts] = useState<Drafts>({ displayName: '', avatarUrl: '' });
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { heading: useId(), displayName: useId(), avatarUrl: useId(), displayNameError: useId(), avatarUrlError: useId() };

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let current = true;
    setLoadError(null);
    session
      .callAsUser(MY_PROFILE, {})
      .then(({ me }) => {
        if (!me) throw new SessionError('UNAUTHENTICATED', 'You are not signed in.');
        const loaded = editableProfile(me);
        if (!current) return;
        setProfile(loaded);
        setDrafts(draftsOf(loaded));
      })
      .catch((error: unknown) => current && setLoadError(error instanceof SessionError && error.code === 'UNAVAILABLE' ? 'The gateway cannot be reached; check the connection and try again.' : error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [session, attempt]);

  const changes = profile ? changesOf(profile, drafts) : {};
  const unchanged = Object.keys(changes).length === 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!profile || unchanged) return;
    setBusy(true);
    setFeedback(null);
    try {
      const result = await saveProfile(session, profile, changes);
      setProfile(result.profile);
      setDrafts(draftsOf(result.profile));
      if (result.outcome === 'saved') {
        setFeedback({ kind: 'saved', message: result.merged ? 'Saved, together with the changes made on another device meanwhile.' : 'Saved.' });
      } else {
        setFeedback({ kind: 'conflict', message: `Your profile was changed on another device: ${notSavedText(result.notSaved)}. The form shows your profile as it is now; change it again to replace it.` });
      }
    } catch (error) {
      const argument = error instanceof SessionError ? error.extensions.argument : undefined;
      const field = PROFILE_FIELDS.find((name) => name === argument);
      const message = error instanceof SessionError && error.code === 'UNAVAILABLE' ? 'The gateway cannot be reached; nothing was saved. Try again when you are back online.' : error instanceof Error ? error.message : String(error);
      setFeedback({ kind: 'error', message, ...(field ? { field } : {}) });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: keyof ProfileFields) => (feedback?.kind === 'error' && feedback.field === field ? feedback.message : null);
  const input = (field: keyof ProfileFields, label: string, props: { type: string; maxLength: number; required?: boolean; autoComplete: string; placeholder?: string }) => {
    const error = fieldError(field);
    const errorId = ids[`${field}Error`];
    return (
      <div className="profile-field">
        <label htmlFor={ids[field]}>{label}</label>
        <input
          id={ids[field]}
          name={field}
          value={drafts[field]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDrafts({ ...drafts, [field]: event.target.value });
            if (feedback?.kind !== 'conflict') setFeedback(null);
          }}
          {...props}
        />
        {error && (
          <p id={errorId} role="alert" className="profile-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <section className="profile" aria-labelledby={ids.heading}>
      <h1 id={ids.heading} ref={heading} tabIndex={-1}>
        Your profile
      </h1>
      {loadError ? (
        <div role="alert">
          <p>Your profile could not be loaded: {loadError}</p>
          <button type="button" onClick={() => setAttempt(attempt + 1)}>
            Retry
          </button>
        </div>
      ) : !profile ? (
        <p className="profile-loading" aria-busy="true">
          Loading your profile…
        </p>
      ) : (
        <form className="profile-form" onSubmit={(event) => void submit(event)} aria-busy={busy} aria-label="Edit your profile">
          <p className="profile-handle">@{profile.handle}</p>
          {input('displayName', 'Display name', { type: 'text', maxLength: 80, required: true, autoComplete: 'name' })}
          {input('avatarUrl', 'Avatar URL', { type: 'url', maxLength: 2048, autoComplete: 'photo', placeholder: 'https://…' })}
          {feedback?.kind === 'conflict' && <p role="alert">{feedback.message}</p>}
          {feedback?.kind === 'error' && !feedback.field && <p role="alert">{feedback.message}</p>}
          <p role="status" className="profile-status">
            {feedback?.kind === 'saved' ? feedback.message : ''}
          </p>
          <button type="submit" disabled={busy || unchanged}>
            {busy ? 'Saving…' : 'Save profile'}
          </button>
        </form>
      )}
    </section>
  );
}
