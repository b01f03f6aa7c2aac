import type { NavigationApi } from '@mega/mini-app-sdk';

/** The shell's routes on the browser history: one path for the whole page, each mini-app under its own route. */
export class Navigation implements NavigationApi {
  private current = window.location.pathname;
  private readonly listeners = new Set<() => void>();

  constructor() {
    window.addEventListener('popstate', () => this.set(window.location.pathname));
  }

  get path(): string {
    return this.current;
  }

  navigate(path: string): void {
    if (path === this.current) return;
    window.history.pushState(null, '', path);
    this.set(path);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(path: string): void {
    this.current = path;
    for (const listener of this.listeners) listener();
  }
}
