import { startAccounts } from '@mega/accounts';
import { startCommerce } from '@mega/commerce';
import { startComms } from '@mega/comms';
import { createGateway, type GatewayOptions } from '@mega/gateway';
import { startMedia } from '@mega/media';
import { createLogger, type Logger, type SubgraphStartOptions, type SubgraphTlsOptions } from '@mega/subgraph-kit';
import type { TracingOptions } from '@mega/subgraph-kit/tracing';
import { createPgliteDatabase, createPostgresDatabase, type TestDatabase } from './databases.js';
import { TEST_GATEWAY_SECRET } from './signed-fetch.js';

type Started<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

export interface Federation {
  /** The gateway's /graphql. */
  gatewayUrl: string;
  accounts: Started<typeof startAccounts>;
  comms: Started<typeof startComms>;
  media: Started<typeof startMedia>;
  commerce: Started<typeof startCommerce>;
  /**
   * Starts another gateway over the same subgraphs with these options (over the harness's own);
   * `stop()` stops it too.
   * @returns its /graphql URL
   */
  startGateway(options?: Partial<GatewayOptions>): Promise<string>;
  /**
   * Stops a gateway `startGateway` started (its HTTP server and WebSocket connections), e.g. to
   * start another on the same port (`startGateway({ port })`) as a gateway that comes back.
   */
  stopGateway(url: string): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface FederationOptions {
  /** Storage of every subgraph. @default 'pglite' (in memory) */
  driver?: 'pglite' | 'postgres';
  /** Seed the demo world. @default false */
  seed?: boolean;
  /** Fulfilment step of commerce; 0 turns the worker off. @default 0 */
  fulfilmentStepMs?: number;
  /** More gateway options (TLS, limits, ...), over the harness's own; `cors.origins` also go to media (uploads, files). @default none */
  gateway?: Partial<GatewayOptions>;
  /** Every subgraph serves HTTPS and requires a client certificate (mutual TLS). @default plain HTTP */
  subgraphTls?: SubgraphTlsOptions;
  /** The logger of each process by its name (`gateway`, `accounts`, ...), e.g. to read what they log. @default JSON lines on stdout at LOG_LEVEL */
  logger?: (service: string) => Logger;
  /** Tracing of each process by its name (`gateway`, `accounts`, ...): each its own provider and `service.name`. @default off */
  tracing?: (service: string) => TracingOptions;
}

/**
 * All four subgraphs and the gateway in this process on free ports, each subgraph on a fresh
 * database: the in-process federation tier of the tests.
 */
export async function startFederation(options: FederationOptions = {}): Promise<Federation> {
  const databases: TestDatabase[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    const common = async (service: string): Promise<SubgraphStartOptions> => {
      const database = options.driver === 'postgres' ? await createPostgresDatabase() : createPgliteDatabase();
      databases.push(database);
      stoppers.push(() => database.drop());
      return {
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        database: database.options,
        seedDemoData: options.seed ?? false,
        ...(options.logger ? { logger: options.logger(service) } : {}),
        ...(options.tracing ? { tracing: options.tracing(service) } : {}),
        ...(options.subgraphTls ? { tls: options.subgraphTls } : {}),
      };
    };
    const [accounts, comms, media, commerce] = await Promise.all([
      common('accounts').then(startAccounts),
      common('comms').then(startComms),
      // Pages the gateway lets in (CORS) may upload to media too, as CORS_ORIGINS does for real processes.
      common('media').then((o) => startMedia({ ...o, corsOrigins: options.gateway?.cors?.origins })),
      common('commerce').then((o) => startCommerce({ ...o, fulfilmentStepMs: options.fulfilmentStepMs ?? 0 })),
    ]);
    for (const running of [accounts, comms, media, commerce]) stoppers.push(() => running.stop());
    const gateways = new Map<string, () => Promise<void>>();
    const startGateway = async (gatewayOptions: Partial<GatewayOptions> = {}) => {
      const gateway = createGateway({
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        subgraphUrls: { accounts: accounts.url, comms: comms.url, media: media.url, commerce: commerce.url },
        logger: options.logger?.('gateway') ?? createLogger('gateway', process.env.LOG_LEVEL ?? 'warn'),
        ...gatewayOptions,
      });
      stoppers.push(() => gateway.stop());
      const { url } = await gateway.start();
      gateways.set(url, () => gateway.stop());
      return url;
    };
    const stopGateway = async (url: string) => {
      const stopIt = gateways.get(url);
      if (!stopIt) throw new Error(`No gateway of this federation at ${url}`);
      gateways.delete(url);
      await stopIt();
    };
    const url = await startGateway({ ...(options.tracing ? { tracing: options.tracing('gateway') } : {}), ...options.gateway });
    return { gatewayUrl: url, accounts, comms, media, commerce, startGateway, stopGateway, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
