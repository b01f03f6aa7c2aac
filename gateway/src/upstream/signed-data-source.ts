import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IdentityHeader, identityHeaders, signIdentity } from '@mega/subgraph-kit/identity';
import { injectTraceContext } from '@mega/subgraph-kit/tracing';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { subgraphRequestFailed, subgraphUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SubgraphFetchFailure, SubgraphFetchMetrics } from '../plugins/metrics.js';
import type { ConnectionPool, UpstreamResponse } from './connection-pool.js';
import { InFlightFetches, readWhole } from './in-flight-fetches.js';
import { mayResend } from './resend-safety.js';
import type { SubgraphInstances } from './subgraph-instances.js';

export interface SignedDataSourceOptions {
  /** The subgraph's name in the supergraph (`accounts`, `comms`, ...). */
  name: string;
  url: string;
  /** Several instances of the subgraph to spread requests over (`url` is then unused); @default `url` only */
  instances?: SubgraphInstances | undefined;
  /** Secret shared with the subgraphs (GATEWAY_SECRET). */
  gatewaySecret: string;
  pool: ConnectionPool;
  /** How long one request to this subgraph may take, body included. */
  timeoutMs: number;
  logger: Logger;
  /** Told the duration of every fetch and the reason of every failure. @default none */
  metrics?: SubgraphFetchMetrics | undefined;
  /** Send W3C `traceparent` of the active span (`gateway.fetch`) so the subgraph's spans join the trace. @default false */
  propagateTraceContext?: boolean | undefined;
  /**
   * Identical queries in flight at the same moment (same body, same user and client address)
   * share one request to the subgraph (`InFlightFetches`); never mutations. @default true
   */
  shareInFlightQueries?: boolean | undefined;
}

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetchInit = { method?: string; headers?: Record<string, string>; body?: string };
type Send = (url: string, init: FetchInit) => Promise<UpstreamResponse>;

/** Statuses by which an instance says it cannot serve now (a proxy's or its own, e.g. while it stops). */
const FAILOVER_STATUSES = new Set([502, 503, 504]);
/** Network errors that happen before a request is written: nothing reached the subgraph. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Network errors on an established connection: the request may have reached the subgraph. */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * One request to a subgraph with several instances: to the next instance that is up; when that
 * instance refuses the connection, drops it, or answers 502/503/504, it is marked down and the
 * request goes once to another instance, but only when that cannot do anything twice: when
 * nothing was sent (connection refused), or the request is a query, or a mutation whose every
 * field carries a `clientMutationId` (the subgraph answers a repeat with the stored first result,
 * see `mayResend`). A mutation without one that may have reached a subgraph is never sent again:
 * its failure goes to the client, who knows whether to retry. Timeouts are not retried (a slow
 * subgraph must not get the load twice); several in a row mark the instance down (`timedOut`).
 */
async function sendToInstances(instances: SubgraphInstances, send: Send, init: FetchInit): ReturnType<Send> {
  const tried = new Set<string>();
  let target = instances.pick()!;
  for (;;) {
    tried.add(target);
    const another = (resendable: boolean) => (tried.size < 2 && resendable ? instances.pick(tried) : undefined);
    let response: Awaited<ReturnType<Send>>;
    try {
      response = await send(target, init);
    } catch (error) {
      if ((error as Error | undefined)?.name === 'TimeoutError') instances.timedOut(target);
      const code = networkErrorCode(error);
      if (!code || (!NOT_SENT_CODES.has(code) && !MAYBE_SENT_CODES.has(code))) throw error;
      instances.markDown(target, code);
      const next = another(NOT_SENT_CODES.has(code) || mayResend(init.body));
      if (!next) throw error;
      target = next;
      continue;
    }
    instances.answered(target);
    if (!FAILOVER_STATUSES.has(response.status)) return response;
    instances.markDown(target, `HTTP ${response.status}`);
    const next = another(mayResend(init.body));
    if (!next) return response;
    await response.discard();
    target = next;
  }
}

/** The socket error's code: on the error itself (undici's request API), or in `cause` (its `fetch failed`). */
function networkErrorCode(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** HTTP statuses that mean "not there right now" rather than "refused this request". */
function isUnavailableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * The connection from the gateway to one subgraph: every request carries the caller's identity
 * signed with the gateway secret (`@mega/subgraph-kit/identity`), goes through the shared
 * keep-alive pool, and is cut after `timeoutMs`. A subgraph that cannot be reached, times out or
 * answers 5xx yields `SUBGRAPH_UNAVAILABLE`; any other refusal an `INTERNAL_SERVER_ERROR`; both with
 * `extensions.serviceName`. Nothing is cached, so a subgraph that comes back is used again at once.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly logger: Logger;
  private readonly metrics: SubgraphFetchMetrics | undefined;
  private readonly propagateTraceContext: boolean;

  constructor(options: SignedDataSourceOptions) {
    super({ url: options.url });
    this.name = options.name;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.propagateTraceContext = options.propagateTraceContext ?? false;
    const { pool, timeoutMs, gatewaySecret, instances } = options;
    // Signing happens here, on the exact bytes sent: willSendRequest only sees the request before
    // Apollo serializes it.
    const send = (url: string, init: FetchInit) => {
      const headers = { ...init.headers };
      const signed = signIdentity(
        gatewaySecret,
        {
          userId: headers[IdentityHeader.user] || null,
          requestId: headers[IdentityHeader.requestId] ?? randomUUID(),
          clientIp: headers[IdentityHeader.clientIp] ?? '',
        },
        { method: init.method ?? 'POST', path: new URL(url).pathname + new URL(url).search, body: init.body ?? '' },
      );
      return pool.request(url, { ...init, headers: { ...headers, ...signed } }, timeoutMs);
    };
    const sendOnce = (url: string, init: FetchInit) => (instances?.balanced ? sendToInstances(instances, send, init) : send(url, init));
    const inFlight = options.shareInFlightQueries === false ? undefined : new InFlightFetches();
    this.fetcher = ((url: string, init: FetchInit = {}) => {
      if (!inFlight) return readWhole(sendOnce(url, init));
      const identity = `${init.headers?.[IdentityHeader.user] ?? ''}\n${init.headers?.[IdentityHeader.clientIp] ?? ''}`;
      return inFlight.fetch(url, init.body, identity, () => sendOnce(url, init));
    }) as unknown as Fetcher;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const started = performance.now();
    try {
      return await super.process(options);
    } finally {
      this.metrics?.observe(this.name, (performance.now() - started) / 1000);
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loads come with an empty context: they are anonymous.
    const { userId, requestId, clientIp } = context as Partial<GatewayContext>;
    const headers = identityHeaders({ userId: userId ?? null, requestId: requestId ?? randomUUID(), clientIp: clientIp ?? '' });
    for (const [name, value] of Object.entries(headers)) request.http!.headers.set(name, value);
    // Called within @apollo/gateway's `gateway.fetch` span: it becomes the parent of the subgraph's `subgraph.request`.
    if (this.propagateTraceContext) injectTraceContext((name, value) => request.http!.headers.set(name, value));
  }

  override didEncounterError(
    error: Error,
    _request: unknown,
    response?: { status: number; ok: boolean },
    context?: GatewayContext,
  ): void {
    const requestId = context?.requestId;
    this.metrics?.fail(this.name, failureReason(error, response));
    if (response && !response.ok) {
      if (isUnavailableStatus(response.status)) {
        this.logger.warn({ serviceName: this.name, status: response.status, requestId }, 'subgraph unavailable');
        throw subgraphUnavailable(this.name, error);
      }
      const body = error instanceof GraphQLError ? error.extensions.response : undefined;
      this.logger.error({ serviceName: this.name, status: response.status, body, requestId }, 'subgraph refused a gateway request');
      throw subgraphRequestFailed(this.name, response.status);
    }
    if (!response || error.name === 'TimeoutError' || error.name === 'AbortError') {
      this.logger.warn({ serviceName: this.name, reason: describeNetworkError(error), requestId }, 'subgraph unavailable');
      throw subgraphUnavailable(this.name, error);
    }
    this.logger.error({ serviceName: this.name, err: error, requestId }, 'unreadable subgraph response');
    throw subgraphRequestFailed(this.name, response.status);
  }
}

/** The `reason` label of a failed fetch. */
function failureReason(error: Error, response: { status: number; ok: boolean } | undefined): SubgraphFetchFailure {
  if (response && !response.ok) return response.status >= 500 ? 'http_5xx' : 'http_4xx';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  return response ? 'bad_response' : 'network';
}

/** `ECONNREFUSED`, `TimeoutError`, ... for the logs (undici's `fetch` hides the code in `cause`). */
function describeNetworkError(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return networkErrorCode(error) ?? cause?.message ?? error.name;
}
