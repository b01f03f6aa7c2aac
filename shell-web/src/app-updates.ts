/// <reference types="vite/client" />
import { Workbox } from 'workbox-window';
import { CHECK_FOR_UPDATES_MESSAGE, MINI_APP_UPDATE_MESSAGE } from './sw-messages';

/** How often an open page looks for a new shell or mini-app version, besides when it comes back online or into view. */
export const UPDATE_CHECK_INTERVAL_MS = 15 * 60_000;

/** What is new and waiting: a new shell (its service worker installed and waiting) and/or mini-apps (by id) stored by the worker. */
export interface AvailableUpdate {
  shell: boolean;
  miniApps: string[];
}

/**
 * The shell's service worker (`/sw.js`, ./sw.ts) seen from the page: registers it, looks for
 * updates now and then, and offers what it found. A new version is never swapped into a running
 * page: the user accepts, and the page reloads on it whole (a new shell's worker takes over first).
 */
export class AppUpdates {
  readonly #listeners = new Set<() => void>();
  #available: AvailableUpdate | null = null;
  readonly #workbox: Workbox;

  private constructor(scriptUrl: string) {
    this.#workbox = new Workbox(scriptUrl, { scope: '/' });
    this.#workbox.addEventListener('waiting', () => this.#offer({ shell: true }));
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: unknown; id?: unknown }>) => {
      if (event.data?.type === MINI_APP_UPDATE_MESSAGE && typeof event.data.id === 'string') this.#offer({ miniApp: event.data.id });
    });
  }

  /**
   * Registers the worker (production builds only; `vite` dev never has one) and checks for updates
   * when the page comes back online or into view, and every {@link UPDATE_CHECK_INTERVAL_MS}.
   * `enabled: false` (config.json `serviceWorker: false`) unregisters any worker instead: the
   * switch to take a broken worker out of every browser.
   */
  static start({ enabled, scriptUrl = '/sw.js' }: { enabled: boolean; scriptUrl?: string }): AppUpdates | undefined {
    if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return undefined;
    if (!enabled) {
      void navigator.serviceWorker.getRegistrations().then((registrations) => Promise.all(registrations.map((registration) => registration.unregister())));
      return undefined;
    }
    const updates = new AppUpdates(scriptUrl);
    void updates.#workbox.register().catch((error: unknown) => console.warn('The service worker could not be registered; the app works online only.', error));
    const check = () => updates.check();
    window.addEventListener('online', check);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
    setInterval(check, UPDATE_CHECK_INTERVAL_MS);
    return updates;
  }

  /** The update waiting for the user, or null. */
  get available(): AvailableUpdate | null {
    return this.#available;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Asks for a new shell worker and has the worker refresh the registry and the mini-apps it keeps. */
  check(): void {
    void this.#workbox.update().catch(() => undefined);
    navigator.serviceWorker.controller?.postMessage({ type: CHECK_FOR_UPDATES_MESSAGE });
  }

  /** Runs the new version: a waiting shell worker takes over first; then the page reloads, every mini-app from its newest version. */
  accept(): void {
    if (this.#available?.shell) {
      this.#workbox.addEventListener('controlling', () => window.location.reload());
      this.#workbox.messageSkipWaiting();
    } else window.location.reload();
  }

  #offer({ shell = false, miniApp }: { shell?: boolean; miniApp?: string }): void {
    const current = this.#available ?? { shell: false, miniApps: [] };
    this.#available = { shell: current.shell || shell, miniApps: miniApp && !current.miniApps.includes(miniApp) ? [...current.miniApps, miniApp] : current.miniApps };
    for (const listener of this.#listeners) listener();
  }
}
