import { Component, lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import type { AnyPendingIntent, MiniAppContext, MiniAppEntry } from '@mega/mini-app-sdk';
import { loadMiniApp } from './mini-app-loader';

interface BoundaryProps {
  app: MiniAppEntry;
  onRetry: () => void;
  children: ReactNode;
}

/** Keeps a failing mini-app inside its slot: the shell and the other mini-apps go on. */
class MiniAppBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="slot-error">
        <p>{this.props.app.title} could not be loaded.</p>
        <p className="detail">{error.message}</p>
        <button
          type="button"
          onClick={() => {
            this.setState({ error: null });
            this.props.onRetry();
          }}
        >
          Retry
        </button>
      </div>
    );
  }
}

/** One mini-app, loaded at run time, with a stable placeholder while it loads and a retry when it fails. */
export function MiniAppSlot({ app, context, intent }: { app: MiniAppEntry; context: MiniAppContext<unknown>; intent?: AnyPendingIntent | undefined }) {
  const [attempt, setAttempt] = useState(0);
  const App = useMemo(() => lazy(async () => ({ default: await loadMiniApp(app, { retry: attempt > 0 }) })), [app, attempt]);
  return (
    <MiniAppBoundary key={attempt} app={app} onRetry={() => setAttempt((n) => n + 1)}>
      <Suspense fallback={<div className="slot-loading" aria-busy="true">Loading {app.title}…</div>}>
        <App context={context} {...(intent ? { intent } : {})} />
      </Suspense>
    </MiniAppBoundary>
  );
}
