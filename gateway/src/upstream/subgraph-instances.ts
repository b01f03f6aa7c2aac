import type { Logger } from '../logger.js';

/** How often an instance marked down is asked for its /readyz until it answers 200. @default 2000 ms */
export const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 2_000;
/** How long one /readyz check may take. @default 1000 ms */
export const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/** Requests in a row that an instance let time out before it is marked down (a hung process answers nothing). */
export const CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN = 3;

export interface SubgraphInstancesOptions {
  /** The subgraph's name, for the logs. */
  name: string;
  /** Its instances' GraphQL URLs (`http://host:port/graphql`), at least one. */
  urls: readonly string[];
  /** @default DEFAULT_HEALTH_CHECK_INTERVAL_MS */
  healthCheckIntervalMs?: number | undefined;
  /**
   * Asks one instance whether it is ready (its /readyz).
   * @returns true when it answered 200 within `HEALTH_CHECK_TIMEOUT_MS`
   */
  isReady(readyzUrl: string): Promise<boolean>;
  logger: Logger;
}

/**
 * The instances of one subgraph behind the gateway and their health. Requests go round-robin
 * over the instances that are up. Health is passive first: a connection error or an unavailable
 * status marks an instance down (`markDown`), and so do {@link CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN}
 * timeouts in a row (`timedOut`; any answer resets the count, `answered`); then active: while it is down its /readyz is polled
 * every `healthCheckIntervalMs`, and the first 200 brings it back. With one URL there is nothing to
 * choose from: it is always picked and never polled.
 */
export class SubgraphInstances {
  readonly urls: readonly string[];
  private readonly down = new Map<string, ReturnType<typeof setInterval>>();
  /** Timeouts in a row per instance, since its last answer. */
  private readonly timeouts = new Map<string, number>();
  private next = 0;
  private closed = false;

  constructor(private readonly options: SubgraphInstancesOptions) {
    if (options.urls.length === 0) throw new Error(`Subgraph "${options.name}" has no URL.`);
    this.urls = [...new Set(options.urls)];
  }

  /** More than one instance: failover and health checks apply. */
  get balanced(): boolean {
    return this.urls.length > 1;
  }

  /** Whether `url` is not marked down. */
  isUp(url: string): boolean {
    return !this.down.has(url);
  }

  /** The first instance that is up (else the first): for what one instance answers as well as any (the token keys). */
  preferred(): string {
    return this.urls.find((url) => this.isUp(url)) ?? this.urls[0]!;
  }

  /**
   * The next instance round-robin among those that are up and not in `exclude`; when every
   * remaining one is down, the next of those (a down mark is a guess, a request may still pass).
   * @returns undefined when every instance is in `exclude`
   */
  pick(exclude: ReadonlySet<string> = new Set()): string | undefined {
    const candidates = this.urls.filter((url) => !exclude.has(url));
    if (candidates.length === 0) return undefined;
    const up = candidates.filter((url) => this.isUp(url));
    const from = up.length > 0 ? up : candidates;
    const url = from[this.next % from.length]!;
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    return url;
  }

  /** `url` answered (any status): its run of timeouts is over. */
  answered(url: string): void {
    if (this.timeouts.size > 0) this.timeouts.delete(url);
  }

  /** A request to `url` timed out; the {@link CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN}th in a row marks it down. */
  timedOut(url: string): void {
    if (!this.balanced) return;
    const count = (this.timeouts.get(url) ?? 0) + 1;
    if (count < CONSECUTIVE_TIMEOUTS_TO_MARK_DOWN) return void this.timeouts.set(url, count);
    this.timeouts.delete(url);
    this.markDown(url, `${count} timeouts in a row`);
  }

  /** Takes `url` out of rotation and polls its /readyz until it is ready again. No-op with one instance. */
  markDown(url: string, reason: string): void {
    if (!this.balanced || this.closed || this.down.has(url) || !this.urls.includes(url)) return;
    this.options.logger.warn({ serviceName: this.options.name, url, reason }, 'subgraph instance marked down');
    const readyzUrl = new URL('/readyz', url).toString();
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.options
        .isReady(readyzUrl)
        .catch(() => false)
        .then((ready) => {
          checking = false;
          if (ready && this.down.get(url) === timer) this.markUp(url);
        });
    }, this.options.healthCheckIntervalMs ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS);
    timer.unref();
    this.down.set(url, timer);
  }

  private markUp(url: string): void {
    clearInterval(this.down.get(url));
    this.down.delete(url);
    this.options.logger.info({ serviceName: this.options.name, url }, 'subgraph instance back in rotation');
  }

  /** Stops the health checks. */
  close(): void {
    this.closed = true;
    for (const timer of this.down.values()) clearInterval(timer);
    this.down.clear();
  }
}
