import { useState, type FormEvent } from 'react';
import { closePlaygroundSession, openPlaygroundSession, type DemoLogin } from './playground-config';
import { logIn, type PlaygroundUser } from './sign-in';

interface SignInBarProps {
  /** Offered in a select (empty in production). */
  demoLogins: DemoLogin[];
  /** The persisted sign-in document's id (config.json). */
  signInDocumentId: string;
  user: PlaygroundUser | undefined;
  onChange(user: PlaygroundUser | undefined): void;
}

/**
 * The sign-in helper: a demo login or an email and password, signed in through the API's `logIn`;
 * the access token then goes with every operation (the `Authorization` header, and the
 * WebSocket's `connectionParams`), and the gateway opens the playground session.
 */
export function SignInBar({ demoLogins, signInDocumentId, user, onChange }: SignInBarProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const chooseDemo = (value: string) => {
    const demo = demoLogins.find((login) => login.email === value);
    setEmail(demo?.email ?? '');
    setPassword(demo?.password ?? '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const signedIn = await logIn(email, password, signInDocumentId);
      await openPlaygroundSession(signedIn.accessToken);
      onChange(signedIn);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await closePlaygroundSession().catch(() => undefined);
    onChange(undefined);
  };

  if (user) {
    return (
      <header className="playground-bar">
        <strong>Mega App playground</strong>
        <span role="status">Signed in as {user.displayName}</span>
        <span className="playground-hint">Every operation sends its access token (Authorization: Bearer …).</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
    );
  }
  return (
    <header className="playground-bar">
      <strong>Mega App playground</strong>
      <form aria-label="Sign in" onSubmit={(event) => void submit(event)}>
        {demoLogins.length > 0 && (
          <label>
            Demo user{' '}
            <select value={demoLogins.some((login) => login.email === email) ? email : ''} onChange={(event) => chooseDemo(event.target.value)}>
              <option value="">Choose…</option>
              {demoLogins.map((login) => (
                <option key={login.email} value={login.email}>
                  {login.displayName}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Email <input type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} required />
        </label>
        <label>
          Password <input type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem && <span role="alert">{problem}</span>}
    </header>
  );
}
