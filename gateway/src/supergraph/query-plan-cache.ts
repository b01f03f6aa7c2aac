import { createHash } from 'node:crypto';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { QueryPlan, QueryPlanCache } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { Kind, parse, specifiedRules, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { DEFAULT_QUERY_PLAN_CACHE_MIB } from '../config.js';
import type { Logger } from '../logger.js';
import { subscriptionPlanKey, type SubscriptionPlanner } from '../subscriptions/subscription-planner.js';

/**
 * The LRU cache @apollo/gateway keeps its query plans in, given to it as `queryPlannerConfig.cache`
 * so that the warm-up can fill it (the cache the gateway makes itself is private) and lookups can be
 * counted. lru-cache, sized as the gateway's own (which wraps lru-cache too): by the plans' JSON length. The gateway clears it on every
 * supergraph change.
 */
export class QueryPlanStore implements QueryPlanCache {
  readonly #plans: LRUCache<string, QueryPlan>;

  /** @param onLookup told of each lookup by the gateway (not the warm-up's): found or not */
  constructor(
    mib = DEFAULT_QUERY_PLAN_CACHE_MIB,
    private readonly onLookup?: (hit: boolean) => void,
  ) {
    this.#plans = new LRUCache({ maxSize: mib * 2 ** 20, sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8') });
  }

  async get(key: string): Promise<QueryPlan | undefined> {
    const plan = this.#plans.get(key);
    this.onLookup?.(plan !== undefined);
    return plan;
  }

  /** Whether `key` has a plan, without counting a lookup or refreshing its place in the LRU order. */
  has(key: string): boolean {
    return this.#plans.has(key);
  }

  async set(key: string, plan: QueryPlan): Promise<void> {
    this.#plans.set(key, plan);
  }

  async delete(key: string): Promise<boolean> {
    return this.#plans.delete(key);
  }

  clear(): void {
    this.#plans.clear();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The key @apollo/gateway 2.x files a plan under (its `executor`): Apollo Server's `queryHash`
 * (SHA-256 of the query text, hex), hashed again with the operation name when the request names one.
 * A persisted document's request runs the manifest's text, so its hash is the text's.
 */
export function queryPlanKey(text: string, operationName: string | undefined): string {
  const queryHash = sha256(text);
  return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}

export interface QueryPlanWarmup {
  /** Documents that parsed and validated against the supergraph. */
  documents: number;
  /** Plans built and stored (query, mutation and subscription operations). */
  planned: number;
  /** Documents skipped: they do not parse, do not validate against this supergraph, or the planner refused them. */
  skipped: number;
  /** False when a newer supergraph replaced this one before the warm-up finished (it then stopped). */
  completed: boolean;
  milliseconds: number;
}

export interface WarmQueryPlansOptions {
  /** The supergraph's planner (the subscription executor's, built from the same SDL as the gateway's). */
  planner: SubscriptionPlanner;
  /** The gateway's plan cache (`queryPlannerConfig.cache`). */
  cache: QueryPlanStore;
  /** Document texts to plan: the persisted documents. */
  documents: Iterable<string>;
  /** True while `planner` is still the supergraph in force; checked before every document, so a reload stops a warm-up. */
  isCurrent: () => boolean;
  logger: Logger;
}

/**
 * Plans every operation of the persisted documents ahead of their first request and stores the
 * plans where @apollo/gateway looks for them, under the key of a request that names the operation
 * and, for a one-operation document, of one that does not. Subscriptions are planned into the
 * subscription planner's own cache. Yields to the event loop between documents, so requests keep
 * being served; stops when a newer supergraph arrives (`isCurrent`), so no plan of an older
 * supergraph enters the cache the gateway has just cleared for the new one.
 *
 * Why: building a plan costs milliseconds to tens of milliseconds of CPU per operation (it grows
 * with the selection and the number of subgraphs); without the warm-up each document's first
 * request after a start or a supergraph change pays it, all at once after a deploy.
 */
export async function warmQueryPlans(options: WarmQueryPlansOptions): Promise<QueryPlanWarmup> {
  const { planner, cache, isCurrent, logger } = options;
  const started = performance.now();
  const result: QueryPlanWarmup = { documents: 0, planned: 0, skipped: 0, completed: false, milliseconds: 0 };
  for (const text of options.documents) {
    await yieldToRequests();
    if (!isCurrent()) break;
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch {
      result.skipped++;
      continue;
    }
    if (validate(planner.schema, document, specifiedRules).length > 0) {
      result.skipped++; // a document written for another schema: its requests fail validation before planning
      continue;
    }
    result.documents++;
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    for (const operation of operations) {
      const name = operation.name?.value;
      // A request may omit operationName only when the document holds one operation.
      const names = operations.length === 1 ? [name, undefined] : [name];
      try {
        if (operation.operation === 'subscription') {
          for (const each of new Set(names)) planner.plan(subscriptionPlanKey(text, each), document, each);
        } else {
          const plan = planner.queryPlan(document, name);
          for (const each of new Set(names)) {
            const key = queryPlanKey(text, each);
            if (!cache.has(key)) await cache.set(key, plan);
          }
        }
        result.planned++;
      } catch (error) {
        result.skipped++;
        logger.warn({ err: error, operationName: name }, 'cannot plan a persisted operation ahead; it is planned at its first request');
      }
    }
  }
  result.completed = isCurrent();
  result.milliseconds = Math.round(performance.now() - started);
  return result;
}
