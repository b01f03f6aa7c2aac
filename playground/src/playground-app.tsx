import { lazy, Suspense, useEffect, useState } from 'react';
import { fetchPlaygroundConfig, type PlaygroundConfig } from './playground-config';
import { SignInBar } from './sign-in-bar';
import type { PlaygroundUser } from './sign-in';

/**
 * GraphiQL and Monaco are a chunk of their own, loaded only when the page may show them: at once
 * outside production, after an admin's sign-in in production (the gateway serves that chunk only
 * with the playground session cookie).
 */
const PlaygroundIde = lazy(() => import('./playground-ide'));

/** The page: the sign-in helper above the IDE. */
export function PlaygroundApp() {
  const [config, setConfig] = useState<PlaygroundConfig>();
  const [problem, setProblem] = useState<string>();
  const [user, setUser] = useState<PlaygroundUser>();

  useEffect(() => {
    fetchPlaygroundConfig().then(setConfig, (error: unknown) => setProblem((error as Error).message));
  }, []);

  if (problem) return <p role="alert">{problem}</p>;
  if (!config) return <p className="playground-loading">Loading…</p>;
  const mayShowIde = !config.adminsOnly || config.session || user !== undefined;
  return (
    <div className="playground">
      <SignInBar demoLogins={config.demoLogins} signInDocumentId={config.signInDocumentId} user={user} onChange={setUser} />
      {mayShowIde ? (
        <Suspense fallback={<p className="playground-loading">Loading the editor…</p>}>
          <PlaygroundIde user={user} demoIds={config.demoIds} />
        </Suspense>
      ) : (
        <p className="playground-notice">The playground is for administrators: sign in with an admin account.</p>
      )}
    </div>
  );
}
