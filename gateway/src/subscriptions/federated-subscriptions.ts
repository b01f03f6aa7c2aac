import { randomUUID } from 'node:crypto';
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { GatewayErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { createEventQueue, type EventQueue } from './event-queue.js';
import { subscriptionPlanKey, type SubscriptionPlan, type SubscriptionPlanner } from './subscription-planner.js';
import type { UpstreamConnections } from './upstream-connections.js';

type RequestContext = Parameters<typeof executeQueryPlan>[2];

/** One client subscription, validated, with coerced variables. */
export interface FederatedSubscriptionRequest {
  /** The document's text (with `operationName`, the plan cache key and the sharing key). */
  query: string;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  context: GatewayContext;
}

export interface FederatedSubscriptionsOptions {
  /** The data source of a subgraph (the same signed one HTTP operations use), for the fetches of each event. */
  dataSource(serviceName: string): GraphQLDataSource | undefined;
  /** The URL a subgraph is called at (overrides applied); its WebSocket is the same URL with ws(s). */
  subgraphUrl(serviceName: string, planner: SubscriptionPlanner): string | undefined;
  upstream: UpstreamConnections;
  /** Share one upstream subscription among identical subscriptions (same user, document, variables). @default true */
  shareIdentical?: boolean;
  logger: Logger;
}

/** One upstream subscription and the client subscriptions fed by it. */
interface SharedUpstream {
  readonly key: string | undefined;
  readonly listeners: Set<EventQueue<ExecutionResult>>;
  /** Events are completed one after another, so that clients get them in the subgraph's order. */
  chain: Promise<void>;
  finished: boolean;
  stop(): void;
}

/** The error that ends a subscription when the supergraph changes; the client subscribes again. */
export function supergraphReloaded(): GraphQLError {
  return new GraphQLError('The supergraph was reloaded; subscribe again.', { extensions: { code: GatewayErrorCode.SUPERGRAPH_RELOADED } });
}

/** The error that ends a subscription whose subgraph went away. */
export function subscriptionSubgraphUnavailable(serviceName: string): GraphQLError {
  return new GraphQLError(`The ${serviceName} service is unavailable; the subscription ended. Subscribe again.`, {
    extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName },
  });
}

/**
 * Federated subscriptions: the query planner's `SubscriptionNode { primary, rest }` is run by
 * opening `primary` on its subgraph over graphql-ws and completing every event with
 * @apollo/gateway's `executeQueryPlan` on `primary` + `rest`, where the primary fetch is answered
 * by the event itself; so an event carries the fields of every subgraph the operation selects.
 *
 * Every subscription ends with a `complete`, never hangs: when the upstream completes; after a last
 * result whose error is SUPERGRAPH_RELOADED (`reload`), SUBGRAPH_UNAVAILABLE with `serviceName` (the
 * subgraph connection failed) or the subgraph's own errors (e.g. UNAUTHENTICATED, FORBIDDEN).
 */
export class FederatedSubscriptions {
  private current: SubscriptionPlanner | undefined;
  private readonly shared = new Map<string, SharedUpstream>();
  private readonly live = new Set<SharedUpstream>();

  constructor(private readonly options: FederatedSubscriptionsOptions) {}

  /** The planner of the current supergraph; undefined until the first is loaded. */
  get planner(): SubscriptionPlanner | undefined {
    return this.current;
  }

  /** Upstream subscriptions open now (identical client subscriptions share one). */
  get upstreamCount(): number {
    return this.live.size;
  }

  /**
   * Switches to a new supergraph: a new planner (and plan cache); every live subscription gets a
   * last SUPERGRAPH_RELOADED error and completes, and the subgraph connections are closed.
   */
  async reload(planner: SubscriptionPlanner): Promise<void> {
    const previous = this.current;
    this.current = planner;
    if (!previous) return;
    const ending = [...this.live];
    this.options.logger.info({ subscriptions: ending.length }, 'supergraph reloaded: completing live subscriptions');
    for (const upstream of ending) this.finish(upstream, [supergraphReloaded()]);
    // Closed at once (new subscriptions open new connections), while the last results are delivered.
    await Promise.all([this.options.upstream.close(), ...ending.map((upstream) => upstream.chain)]);
  }

  /** Ends every live subscription (the gateway stops): each gets `complete`. */
  async stop(): Promise<void> {
    const ending = [...this.live];
    for (const upstream of ending) this.finish(upstream, []);
    await Promise.all([this.options.upstream.close(), ...ending.map((upstream) => upstream.chain)]);
  }

  /**
   * Starts one client subscription.
   * @returns its results; `return()` on it ends it (and the upstream one when nobody else shares it)
   * @throws GraphQLError when there is no supergraph yet, or the subgraph has no URL
   */
  subscribe(request: FederatedSubscriptionRequest): AsyncIterableIterator<ExecutionResult> {
    const planner = this.current;
    if (!planner) throw new GraphQLError('The gateway is starting; subscribe again shortly.', { extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE } });
    const plan = planner.plan(subscriptionPlanKey(request.query, request.operationName), request.document, request.operationName);
    const key =
      (this.options.shareIdentical ?? true) && request.context.userId
        ? `${plan.id}\n${request.context.userId}\n${JSON.stringify(request.variables)}`
        : undefined;

    let upstream = key ? this.shared.get(key) : undefined;
    const queue = createEventQueue<ExecutionResult>(() => {
      if (!upstream) return;
      upstream.listeners.delete(queue);
      if (upstream.listeners.size === 0 && !upstream.finished) this.finish(upstream, []);
    });
    if (upstream && !upstream.finished) {
      upstream.listeners.add(queue);
      return queue;
    }
    upstream = this.open(planner, plan, request, key);
    upstream.listeners.add(queue);
    return queue;
  }

  private open(planner: SubscriptionPlanner, plan: SubscriptionPlan, request: FederatedSubscriptionRequest, key: string | undefined): SharedUpstream {
    const { primary } = plan;
    const serviceName = primary.serviceName;
    const firstUrl = this.options.subgraphUrl(serviceName, planner);
    if (!firstUrl) throw subscriptionSubgraphUnavailable(serviceName);
    const variables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) {
      if (request.variables[name] !== undefined) variables[name] = request.variables[name];
    }
    const upstream: SharedUpstream = { key, listeners: new Set(), chain: Promise.resolve(), finished: false, stop: () => undefined };
    if (key) this.shared.set(key, upstream);
    this.live.add(upstream);
    const identity = { userId: request.context.userId, requestId: randomUUID(), clientIp: request.context.clientIp };
    const payload = { query: primary.operation, variables, operationName: primary.operationName ?? null };
    // A subscription that never reached its subgraph (connection refused: an instance is down) is
    // opened once more, on the instance picked next; one that reached it ends, and the client
    // resubscribes from its cursor, so that no event is silently skipped.
    const start = (url: string, retried: boolean): void => {
      upstream.stop = this.options.upstream.subscribe(url, payload, identity, {
        next: (event) => {
          upstream.chain = upstream.chain.then(async () => {
            if (upstream.finished) return;
            const result = await this.completeEvent(planner, plan, request, event);
            for (const listener of upstream.listeners) listener.push(result);
          });
        },
        errors: (errors) => this.finish(upstream, errors.map((error) => subgraphError(error, serviceName))),
        unavailable: (_reason, neverSent) => {
          const next = neverSent && !retried && !upstream.finished ? this.options.subgraphUrl(serviceName, planner) : undefined;
          if (next && next !== url) return start(next, true);
          this.finish(upstream, [subscriptionSubgraphUnavailable(serviceName)]);
        },
        complete: () => this.finish(upstream, []),
      });
    };
    start(firstUrl, false);
    return upstream;
  }

  /** After the events already received: a last result with `errors` (when any), then `complete`, to every listener. */
  private finish(upstream: SharedUpstream, errors: readonly GraphQLError[]): void {
    if (upstream.finished) return;
    upstream.finished = true;
    if (upstream.key) this.shared.delete(upstream.key);
    upstream.stop();
    upstream.chain = upstream.chain.then(() => {
      this.live.delete(upstream);
      for (const listener of upstream.listeners) {
        if (errors.length > 0) listener.push({ errors });
        listener.end();
      }
    });
  }

  /** Runs the per-event plan: the primary fetch answered by `event`, the other subgraphs' fetches for real. */
  private async completeEvent(
    planner: SubscriptionPlanner,
    plan: SubscriptionPlan,
    request: FederatedSubscriptionRequest,
    event: { data?: unknown; errors?: readonly GraphQLFormattedError[] },
  ): Promise<ExecutionResult> {
    // The subgraph's result is the client's: nothing to fetch or reshape.
    if (plan.direct && !event.errors && event.data) return { data: event.data as Record<string, unknown> };
    const { primary } = plan;
    const serviceMap: ServiceMap = {};
    for (const name of planner.subgraphUrls.keys()) {
      const dataSource = this.options.dataSource(name);
      if (dataSource) serviceMap[name] = dataSource;
    }
    const owner = serviceMap[primary.serviceName];
    let answered = false;
    serviceMap[primary.serviceName] = {
      process: (options) => {
        if (!answered && options.request.query === primary.operation) {
          answered = true;
          return Promise.resolve({ data: (event.data ?? null) as Record<string, unknown> | null, ...(event.errors ? { errors: event.errors } : {}) });
        }
        if (!owner) return Promise.reject(subscriptionSubgraphUnavailable(primary.serviceName));
        return owner.process(options);
      },
    };
    const { operationContext } = plan;
    const requestContext = {
      request: { query: request.query, variables: request.variables, operationName: request.operationName },
      context: { ...request.context, requestId: randomUUID() },
      logger: this.options.logger,
      metrics: {},
      document: request.document,
      operationName: request.operationName ?? null,
      operation: operationContext.operation,
      schema: planner.schema,
    } as unknown as RequestContext;
    try {
      const result = await executeQueryPlan(plan.perEvent, serviceMap, requestContext, operationContext, planner.supergraphSchema, planner.apiSchema);
      return result as ExecutionResult;
    } catch (error) {
      this.options.logger.error({ err: error }, 'a subscription event could not be completed');
      return { errors: [new GraphQLError('Internal server error.', { extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } })] };
    }
  }
}

/** A subgraph's error (formatted JSON) as a GraphQLError tagged with the subgraph's name. */
function subgraphError(error: GraphQLFormattedError, serviceName: string): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, serviceName } });
}
