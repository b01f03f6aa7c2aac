import { readFile } from 'node:fs/promises';
import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUPERGRAPH_FILE } from '../config.js';
import { DocumentCache } from '@mega/subgraph-kit/document-cache';
import { SubscriptionPlanner } from '../subscriptions/subscription-planner.js';

describe('subscription document cache', () => {
  it('parses and validates each text once and hands every subscriber the same document and text', () => {
    const cache = new DocumentCache(10);
    let loads = 0;
    const load = () => {
      loads += 1;
      return { document: parse('subscription { a }'), errors: [] };
    };
    const first = cache.get(`subscription { a }`, load);
    const second = cache.get(['subscription', '{ a }'].join(' '), load); // an equal text, another string
    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(second.document).toBe(first.document);
  });

  it('drops the least recently used text first, and keeps nothing when loading throws', () => {
    const cache = new DocumentCache(2);
    const loads: string[] = [];
    const get = (query: string) => cache.get(query, () => (loads.push(query), { document: parse(query), errors: [] }));
    get('{ a }');
    get('{ b }');
    get('{ a }'); // a is now the most recently used
    get('{ c }'); // drops b
    get('{ a }');
    get('{ b }');
    expect(loads).toEqual(['{ a }', '{ b }', '{ c }', '{ b }']);
    expect(() => cache.get('{', () => ({ document: parse('{'), errors: [] }))).toThrow();
    expect(cache.size).toBe(2);
  });
});

describe('subscription plans', () => {
  let planner: SubscriptionPlanner;
  const plan = (query: string) => planner.plan(query, parse(query), undefined);

  beforeAll(async () => {
    planner = new SubscriptionPlanner(await readFile(DEFAULT_SUPERGRAPH_FILE, 'utf8'));
  });

  it('passes events straight through when the owning subgraph selects exactly what the client did', () => {
    const direct = plan('subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { id seq body sentAt } }');
    expect(direct.direct).toBe(true);
    expect(direct.primary.serviceName).toBe('comms');
  });

  it('completes events through the query plan when other subgraphs, fragments or directives are involved', () => {
    expect(plan('subscription($id: ID!) { messageAdded(conversationId: $id) { id sender { displayName } } }').direct).toBe(false);
    expect(plan('subscription($id: ID!, $b: Boolean!) { messageAdded(conversationId: $id) { id body @include(if: $b) } }').direct).toBe(false);
    expect(plan('subscription($id: ID!) { messageAdded(conversationId: $id) { ...M } } fragment M on Message { id }').direct).toBe(false);
    // Abstract types make the planner add __typename, which the client did not ask for.
    expect(plan('subscription($id: ID!) { messageAdded(conversationId: $id) { attachments { ... on Product { id } } } }').direct).toBe(false);
  });

  it('builds one plan, with its operation context, per document text', () => {
    const query = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }';
    const first = planner.plan(query, parse(query), undefined);
    expect(planner.plan(query, parse(query), undefined)).toBe(first);
    expect(first.operationContext.operation.operation).toBe('subscription');
  });
});
