import { useSyncExternalStore } from 'react';
import type { NavigationApi } from '@mega/mini-app-sdk';

/** The media app's pages: `<route>` is the library, `<route>/<asset id>` the viewer of one asset. */
export type MediaRoute = { page: 'library' } | { page: 'viewer'; assetId: string };

/** The page a shell path shows; a path that is not one of ours shows the library. */
export function parseMediaRoute(path: string, route: string): MediaRoute {
  const match = /^\/([^/]+)\/?$/.exec(path.slice(route.length));
  return match ? { page: 'viewer', assetId: decodeURIComponent(match[1]!) } : { page: 'library' };
}

/** The shell path of an asset's viewer. */
export function viewerPath(route: string, assetId: string): string {
  return `${route}/${encodeURIComponent(assetId)}`;
}

/** The shell's current path, following navigate, back and forward. */
export function useShellPath(navigation: NavigationApi): string {
  return useSyncExternalStore(
    (listener) => navigation.subscribe(listener),
    () => navigation.path,
  );
}
