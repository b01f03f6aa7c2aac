import type { ComponentType } from 'react';
import { loadRemote, registerRemotes } from '@module-federation/runtime';
import { MINI_APP_EXPOSE, type MiniAppEntry, type MiniAppProps } from '@mega/mini-app-sdk';

/** How long a mini-app's manifest and code may take before its slot shows the error and a retry. */
export const MINI_APP_TIMEOUT_MS = 15_000;

const registered = new Map<string, string>();

/**
 * The root component of a mini-app, fetched at run time from its manifest. `retry` (after a
 * failure) registers the remote again, dropping what failed, so that it is fetched anew.
 */
export async function loadMiniApp(app: MiniAppEntry, { retry = false }: { retry?: boolean } = {}): Promise<ComponentType<MiniAppProps>> {
  if (retry || registered.get(app.id) !== app.manifestUrl) {
    registerRemotes([{ name: app.id, entry: app.manifestUrl }], { force: registered.has(app.id) });
    registered.set(app.id, app.manifestUrl);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${app.title} did not load within ${MINI_APP_TIMEOUT_MS / 1000} s.`)), MINI_APP_TIMEOUT_MS);
  });
  try {
    const module = await Promise.race([loadRemote<{ default: ComponentType<MiniAppProps> }>(`${app.id}/${MINI_APP_EXPOSE.slice(2)}`), timeout]);
    if (!module?.default) throw new Error(`${app.title} has no root component.`);
    return module.default;
  } finally {
    clearTimeout(timer);
  }
}
