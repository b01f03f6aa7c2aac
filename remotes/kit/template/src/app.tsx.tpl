import { useQuery } from '@apollo/client/react';
import type { MiniAppProps } from '@mega/mini-app-sdk';
import { __CONST___VIEWER } from './operations';

/**
 * The __TITLE__ mini-app's root, rendered by the shell with its `MiniAppContext`. It queries through
 * the shell's one client (its ApolloProvider): a mini-app never makes its own.
 */
export default function App({ context }: MiniAppProps) {
  const { data, error, loading } = useQuery(__CONST___VIEWER);
  return (
    <section aria-labelledby="__NAME__-heading">
      <h1 id="__NAME__-heading">{context.app.title}</h1>
      {loading && !data && <p aria-busy="true">Loading…</p>}
      {error && !data && <p role="alert">{error.message}</p>}
      {data?.me && <p>Signed in as {data.me.displayName}.</p>}
      <button type="button" onClick={() => context.notifications.notify({ kind: 'info', message: `Hello from ${context.app.title}` })}>
        Say hello
      </button>
    </section>
  );
}
