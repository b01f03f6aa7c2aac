import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import { describe, expect, it } from 'vitest';
import { querySubgraph, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import type { BaseContext } from '../context.js';
import { createLogger } from '../logger.js';
import { startSubgraphServer } from '../server.js';
import { signIdentity } from '../identity.js';

/** A subgraph whose `slow` field answers only when the test releases it. */
function slowSubgraph() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const inFlight = new Promise<void>((resolve) => (started = resolve));
  const schema = buildSubgraphSchema({
    typeDefs: gql`
      type Query {
        slow: String
        viewer: String
        boom: String
      }
    `,
    resolvers: {
      Query: {
        slow: async () => {
          started();
          await released;
          return 'done';
        },
        viewer: (_: unknown, __: unknown, context: unknown) => (context as BaseContext).identity.userId,
        boom: () => {
          throw new Error('secret detail from the database');
        },
      },
    },
  });
  return { schema, release, inFlight };
}

describe('subgraph server', () => {
  const logger = createLogger('kit-test', 'silent');

  it('finishes in-flight requests on stop() and refuses new connections afterwards', async () => {
    const { schema, release, inFlight } = slowSubgraph();
    const server = await startSubgraphServer({ service: 'test', schema, port: 0, gatewaySecret: TEST_GATEWAY_SECRET, context: (identity) => ({ identity }), logger });
    const pending = querySubgraph<{ slow: string }>(server.url, null, '{ slow }');
    await inFlight;
    const stopped = server.stop();
    release();
    const result = await pending;
    expect(result.status).toBe(200);
    expect(result.data?.slow).toBe('done');
    await stopped;
    await expect(fetch(server.url.replace('/graphql', '/healthz'))).rejects.toThrow();
  });

  it('passes the identity signed by the gateway to resolvers and refuses stale, altered and replayed signatures', async () => {
    const { schema } = slowSubgraph();
    const server = await startSubgraphServer({ service: 'test', schema, port: 0, gatewaySecret: TEST_GATEWAY_SECRET, context: (identity) => ({ identity }), logger });
    try {
      const userId = randomUUID();
      expect((await querySubgraph<{ viewer: string }>(server.url, userId, '{ viewer }')).data?.viewer).toBe(userId);
      const body = '{"query":"{ viewer }"}';
      const request = { method: 'POST', path: '/graphql', body };
      const identity = { userId, requestId: 'r', clientIp: '127.0.0.1' };
      const send = (headers: Record<string, string>, sent = body) =>
        fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent });
      expect((await send(signIdentity(TEST_GATEWAY_SECRET, identity, request, Date.now() - 5 * 60_000))).status).toBe(401);
      // The body is part of the signature: changing it (here, the query) makes it a forgery.
      const signed = signIdentity(TEST_GATEWAY_SECRET, identity, request);
      expect((await send(signed, '{"query":"{ boom }"}')).status).toBe(401);
      // A signature is accepted once.
      expect((await send(signed)).status).toBe(200);
      const replay = await send(signed);
      expect(replay.status).toBe(401);
      expect(await replay.text()).toContain('replayed');
    } finally {
      await server.stop();
    }
  });

  it('accepts the previous gateway secret alongside the current one while the secret is rotated', async () => {
    const { schema } = slowSubgraph();
    const previous = 'the-previous-gateway-secret-being-rotated-out';
    const server = await startSubgraphServer({
      service: 'test',
      schema,
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      previousGatewaySecret: previous,
      context: (identity) => ({ identity }),
      logger,
    });
    try {
      const userId = randomUUID();
      expect((await querySubgraph<{ viewer: string }>(server.url, userId, '{ viewer }', undefined, previous)).data?.viewer).toBe(userId);
      expect((await querySubgraph<{ viewer: string }>(server.url, userId, '{ viewer }')).data?.viewer).toBe(userId);
      expect((await querySubgraph(server.url, userId, '{ viewer }', undefined, 'some-other-secret-that-is-long-enough-00')).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('masks unexpected resolver errors as INTERNAL_SERVER_ERROR without their message', async () => {
    const { schema } = slowSubgraph();
    const server = await startSubgraphServer({ service: 'test', schema, port: 0, gatewaySecret: TEST_GATEWAY_SECRET, context: (identity) => ({ identity }), logger });
    try {
      const result = await querySubgraph(server.url, null, '{ boom }');
      expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(result)).not.toContain('secret detail');
    } finally {
      await server.stop();
    }
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const { schema } = slowSubgraph();
    const server = await startSubgraphServer({
      service: 'test',
      schema,
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      context: (identity) => ({ identity }),
      logger,
      maxBodyBytes: 1024,
    });
    try {
      const post = (body: string) =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: 'r', clientIp: '' }, { method: 'POST', path: '/graphql', body }) },
          body,
        });
      expect((await post('{"query":')).status).toBe(400);
      expect((await post(JSON.stringify({ query: `{ viewer } # ${'x'.repeat(2048)}` }))).status).toBe(413);
    } finally {
      await server.stop();
    }
  });
});
