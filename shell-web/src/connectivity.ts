import type { ConnectivityApi, ConnectivityStatus } from '@mega/mini-app-sdk';

/**
 * Whether the app can reach the gateway: `offline` when the browser says so or the gateway's HTTP
 * endpoint cannot be reached, `reconnecting` while the subscriptions' WebSocket is trying to come
 * back, `online` otherwise. The shell shows it; mini-apps with the `connectivity` capability read it.
 */
export class Connectivity implements ConnectivityApi {
  private browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
  private gatewayReachable = true;
  private socketDown = false;
  private readonly listeners = new Set<() => void>();
  private pending = 0;

  constructor(target: Pick<Window, 'addEventListener'> | undefined = typeof window === 'undefined' ? undefined : window) {
    target?.addEventListener('online', () => this.update(() => (this.browserOnline = true)));
    target?.addEventListener('offline', () => this.update(() => (this.browserOnline = false)));
  }

  get status(): ConnectivityStatus {
    if (!this.browserOnline || !this.gatewayReachable) return 'offline';
    return this.socketDown ? 'reconnecting' : 'online';
  }

  /** Actions waiting in the outbox to be sent (failed ones not counted). */
  get pendingActions(): number {
    return this.pending;
  }

  /** The outbox says how many of its items wait. */
  setPendingActions(count: number): void {
    if (count === this.pending) return;
    this.pending = count;
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  gatewayAnswered(): void {
    this.update(() => (this.gatewayReachable = true));
  }

  gatewayUnreachable(): void {
    this.update(() => (this.gatewayReachable = false));
  }

  socketConnected(): void {
    this.update(() => {
      this.socketDown = false;
      this.gatewayReachable = true;
    });
  }

  /** @param normally closed on purpose (no subscription left), not lost */
  socketClosed(normally: boolean): void {
    this.update(() => (this.socketDown = !normally));
  }

  private update(change: () => void): void {
    const before = this.status;
    change();
    if (this.status !== before) for (const listener of this.listeners) listener();
  }
}
