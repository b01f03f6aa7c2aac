import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import type { MiniAppContext, MiniAppProps } from '@mega/mini-app-sdk';
import { addMediaTypePolicies } from './media-cache';
import { MediaLibrary } from './media-library';
import { MediaPicker } from './media-picker';
import { parseMediaRoute, useShellPath, viewerPath } from './media-route';
import { MediaViewer } from './media-viewer';
import { UploadList } from './upload-list';
import { UploadPanel } from './upload-panel';
import { useUploads, type Uploads } from './use-uploads';
import './media.css';

/** The library (`/media`) and the viewer (`/media/<id>`) on the shell's navigation. */
function MediaPages({ context, uploads }: { context: MiniAppContext<ApolloClient>; uploads: Uploads }) {
  const { navigation, notifications, app } = context;
  const route = parseMediaRoute(useShellPath(navigation), app.route);
  const heading = useRef<HTMLHeadingElement>(null);
  // The asset whose viewer was open last: its tile gets the focus back in the library.
  const lastViewed = useRef<string | undefined>(undefined);
  if (route.page === 'viewer') lastViewed.current = route.assetId;
  const focusHeading = useCallback(() => heading.current?.focus(), []);

  return (
    <section className="media" aria-labelledby="media-heading">
      <h1 id="media-heading" ref={heading} tabIndex={-1}>
        {app.title}
      </h1>
      {route.page === 'library' && <UploadPanel onFiles={(files) => uploads.start(files)} />}
      <UploadList uploads={uploads} />
      {route.page === 'viewer' ? (
        <MediaViewer
          key={route.assetId}
          assetId={route.assetId}
          libraryHref={app.route}
          onBack={() => navigation.navigate(app.route)}
          onRenamed={(title) => notifications.notify({ kind: 'success', message: `Renamed to “${title}”.` })}
          onDeleted={(title) => {
            notifications.notify({ kind: 'success', message: `Deleted “${title}”.` });
            navigation.navigate(app.route);
          }}
        />
      ) : (
        <MediaLibrary
          hrefOf={(id) => viewerPath(app.route, id)}
          onOpen={(id) => navigation.navigate(viewerPath(app.route, id))}
          focusAssetId={lastViewed.current}
          onFocusLost={focusHeading}
        />
      )}
    </section>
  );
}

/**
 * The media mini-app: the signed-in user's library, a viewer per asset with rename and delete,
 * and uploads; shown for a `pick-media` intent (in the shell's dialog), a picker instead. It uses
 * the shell's one client through its ApolloProvider: a mini-app never makes its own.
 */
export default function App({ context, intent }: MiniAppProps<ApolloClient>) {
  addMediaTypePolicies(useApolloClient().cache);
  const { notifications, session } = context;
  const userId = useSyncExternalStore(
    useCallback((listener: () => void) => session.subscribe(listener), [session]),
    () => session.user?.id ?? null,
  );
  const uploads = useUploads(
    useCallback((message: string) => notifications.notify({ kind: 'success', message }), [notifications]),
    userId,
  );
  if (intent?.type === 'pick-media') {
    const kinds = intent.request.kinds;
    return (
      <MediaPicker
        intent={intent}
        upload={
          <>
            <UploadPanel kinds={kinds} onFiles={(files) => uploads.start(files, kinds)} />
            <UploadList uploads={uploads} />
          </>
        }
      />
    );
  }
  return <MediaPages context={context} uploads={uploads} />;
}
