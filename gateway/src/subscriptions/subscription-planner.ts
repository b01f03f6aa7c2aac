import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import { buildOperationContext } from '@apollo/gateway';
import { BREAK, getOperationAST, Kind, parse, print, visit, type DocumentNode, type GraphQLSchema } from 'graphql';

/** How a subscription runs: the `primary` fetch is opened on one subgraph; `rest` completes each of its events. */
export interface SubscriptionPlan {
  /** Unique among the plans of this process (part of the key of shared upstream subscriptions). */
  readonly id: number;
  /** What `executeQueryPlan` needs of the client's operation, built once for all its events. */
  readonly operationContext: ReturnType<typeof buildOperationContext>;
  /** The fetch opened as a subscription on its subgraph (`primary.serviceName`, `primary.operation`). */
  readonly primary: FetchNode;
  /**
   * What each event runs through `executeQueryPlan`: the primary fetch (answered by the event)
   * followed by the fetches of fields owned by other subgraphs.
   */
  readonly perEvent: QueryPlan;
  /**
   * True when the subgraph's event already is the client's result: the plan is the primary fetch
   * alone and it selects exactly what the client selected (no fragments, directives or fields the
   * planner added). Such events skip `executeQueryPlan`.
   */
  readonly direct: boolean;
}

/** The printed selection set of a document's one operation; undefined when it has fragments or directives. */
function plainSelection(document: DocumentNode, operationName: string | undefined): string | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation || document.definitions.length !== 1) return undefined;
  let plain = true;
  visit(operation, {
    enter(node) {
      if (node.kind === Kind.DIRECTIVE || node.kind === Kind.FRAGMENT_SPREAD || node.kind === Kind.INLINE_FRAGMENT) {
        plain = false;
        return BREAK;
      }
      return undefined;
    },
  });
  return plain ? print(operation.selectionSet) : undefined;
}

let nextPlanId = 1;

/** The key a subscription's plan is cached under: the document's text and the operation name the request gave. */
export function subscriptionPlanKey(query: string, operationName: string | undefined): string {
  return `${operationName ?? ''}\n${query}`;
}

/** Plans cached per planner (one supergraph) before the oldest are dropped. @default 1000 */
export const DEFAULT_PLAN_CACHE_SIZE = 1000;

/**
 * The supergraph as the subscription executor needs it, built from the same SDL that
 * @apollo/gateway loaded (its `onSchemaLoadOrUpdate`): @apollo/query-planner's `QueryPlanner`,
 * the API schema in both forms and the supergraph schema for `executeQueryPlan`, the subgraphs'
 * URLs, and a cache of subscription plans. A new supergraph means a new `SubscriptionPlanner`.
 */
export class SubscriptionPlanner {
  /** The API schema (graphql-js), to validate client operations against. */
  readonly schema: GraphQLSchema;
  /** The API schema (federation-internals), for `executeQueryPlan`. */
  readonly apiSchema: Schema;
  /** The supergraph schema (graphql-js), for `executeQueryPlan`. */
  readonly supergraphSchema: GraphQLSchema;
  /** Subgraph name -> URL written in the supergraph. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  private readonly planner: QueryPlanner;
  private readonly plans = new Map<string, SubscriptionPlan>();

  constructor(
    readonly supergraphSdl: string,
    private readonly cacheSize = DEFAULT_PLAN_CACHE_SIZE,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, url]));
    this.planner = new QueryPlanner(supergraph);
  }

  /**
   * The query plan of a validated query or mutation, as @apollo/gateway builds it for the same
   * supergraph (same planner, default options): what the plan warm-up stores in the gateway's cache.
   */
  queryPlan(document: DocumentNode, operationName: string | undefined): QueryPlan {
    return this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName }));
  }

  /**
   * The plan of a validated subscription operation, from the cache when `key` (the document's text
   * and operation name) was planned before.
   * @throws when the planner cannot plan it (not a subscription, or an unexpected plan shape)
   */
  plan(key: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const cached = this.plans.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    if (node?.kind !== 'Subscription') throw new Error('The query planner did not plan this operation as a subscription.');
    const steps: PlanNode[] = [node.primary, ...(node.rest ? [node.rest] : [])];
    const client = plainSelection(document, operationName);
    const plan: SubscriptionPlan = {
      id: nextPlanId++,
      direct: !node.rest && !node.primary.outputRewrites?.length && client !== undefined && client === plainSelection(parse(node.primary.operation), node.primary.operationName),
      operationContext: buildOperationContext({ schema: this.schema, operationDocument: document, operationName }),
      primary: node.primary,
      perEvent: { kind: 'QueryPlan', node: steps.length === 1 ? node.primary : { kind: 'Sequence', nodes: steps } },
    };
    if (this.plans.size >= this.cacheSize) this.plans.delete(this.plans.keys().next().value as string);
    this.plans.set(key, plan);
    return plan;
  }
}
