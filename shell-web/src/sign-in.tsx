import { useState, type FormEvent } from 'react';
import type { Session } from './session';

/** Sign in, or sign up: the shell's only screen until someone is signed in. */
export function SignIn({ session }: { session: Session }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-in') await session.logIn(field('email'), field('password'));
      else await session.signUp({ email: field('email'), password: field('password'), handle: field('handle'), displayName: field('displayName') });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>{mode === 'sign-in' ? 'Sign in to Mega App' : 'Create your Mega App account'}</h1>
      <form onSubmit={(event) => void submit(event)} aria-busy={busy}>
        {mode === 'sign-up' && (
          <>
            <label>
              Display name <input name="displayName" required maxLength={60} autoComplete="name" />
            </label>
            <label>
              Handle <input name="handle" required pattern="[a-z0-9_]{3,30}" autoComplete="username" />
            </label>
          </>
        )}
        <label>
          Email <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password <input name="password" type="password" required minLength={mode === 'sign-up' ? 8 : 1} autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'} />
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          {mode === 'sign-in' ? 'Sign in' : 'Sign up'}
        </button>
      </form>
      <button type="button" onClick={() => setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in')}>
        {mode === 'sign-in' ? 'New here? Create an account' : 'Have an account? Sign in'}
      </button>
    </main>
  );
}
