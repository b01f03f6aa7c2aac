import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { demoId } from '@mega/subgraph-kit/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../app.js';
import {
  accessTokenFor,
  DEMO_USERS,
  eventually,
  type Federation,
  postGraphQL,
  queryAs,
  startFederation,
  subscribeThroughGateway,
  type GraphQLResponse,
} from '@mega/test-utils';

/**
 * The playground in production: the gateway runs only persisted documents and refuses
 * introspection, except for the playground's admins (ADMIN_USER_IDS), recognised by their verified
 * access token while the playground is on. Everyone else, and admins when it is off, get the
 * refusals as before.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const PRODUCTS = 'query Products { products(first: 1) { edges { node { id title } } } }';
/** Introspection, persisted: it passes the persisted-documents rules, so what refuses it is the introspection rule. */
const SCHEMA_NAME = 'query SchemaName { __schema { queryType { name } } }';
const AD_HOC = '{ products(first: 1) { edges { node { id description } } } }';
const SIGN_IN =
  'mutation PlaygroundLogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken user { id displayName } } }';

/** POSTs any GraphQL-over-HTTP body (`documentId` without `query`, ...). */
const send = <T = Record<string, unknown>>(url: string, body: Record<string, unknown>, token?: string, headers: Record<string, string> = {}) =>
  postGraphQL<T>(url, body as { query: string }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });

/** An error as a client sees it, without the per-request id. */
const refusal = (response: GraphQLResponse) => ({
  status: response.status,
  errors: response.errors?.map(({ extensions, ...error }) => ({ ...error, extensions: { ...extensions, requestId: undefined } as Record<string, unknown> })),
});

describe('the playground\'s admins in production', () => {
  let federation: Federation;
  let manifests: string;
  let playgroundBuild: string;
  /** Production with the playground on (Alice is the admin), and with it off. */
  let enabled: string;
  let disabled: string;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    manifests = await mkdtemp(path.join(tmpdir(), 'mega-admin-documents-'));
    playgroundBuild = await mkdtemp(path.join(tmpdir(), 'mega-admin-playground-'));
    await writeFile(path.join(playgroundBuild, 'index.html'), '<!doctype html><title>playground</title>');
    await writeFile(
      path.join(manifests, 'persisted-documents.json'),
      JSON.stringify({ [sha256(PRODUCTS)]: PRODUCTS, [sha256(SCHEMA_NAME)]: SCHEMA_NAME }),
    );
    federation = await startFederation({ seed: true });
    const production: Partial<GatewayOptions> = { introspection: false, persistedDocuments: { dir: manifests, requirePersistedDocuments: true } };
    [enabled, disabled] = await Promise.all([
      federation.startGateway({ ...production, playground: { dir: playgroundBuild, adminsOnly: true, adminUserIds: [DEMO_USERS.alice.id] } }),
      federation.startGateway({ ...production, playground: false }),
    ]);
    // Tokens from the development gateway (any gateway's tokens are valid on every one).
    [admin, user] = await Promise.all([accessTokenFor(federation.gatewayUrl, DEMO_USERS.alice), accessTokenFor(federation.gatewayUrl, DEMO_USERS.bob)]);
  });
  afterAll(async () => {
    await federation?.stop();
    await Promise.all([manifests, playgroundBuild].map((dir) => dir && rm(dir, { recursive: true, force: true })));
  });

  it('lets an admin\'s token introspect the whole schema (GraphiQL\'s query) and run an operation that is not persisted', async () => {
    const schema = await send<{ __schema: { queryType: { name: string }; types: unknown[] } }>(enabled, { query: getIntrospectionQuery({ inputValueDeprecation: true }) }, admin);
    expect(schema.errors).toBeUndefined();
    expect(schema.data?.__schema.queryType.name).toBe('Query');
    expect(schema.data?.__schema.types.length).toBeGreaterThan(20);
    const adHoc = await send<{ products: { edges: { node: { description: string } }[] } }>(enabled, { query: AD_HOC }, admin);
    expect(adHoc.errors).toBeUndefined();
    expect(adHoc.data?.products.edges[0]?.node.description).toEqual(expect.any(String));
  });

  it('refuses everyone else exactly as before: PERSISTED_QUERY_REQUIRED for a raw query, Apollo Server\'s refusal for introspection', async () => {
    const before = {
      raw: refusal(await send(disabled, { query: AD_HOC }, user)),
      introspection: refusal(await send(disabled, { documentId: `sha256:${sha256(SCHEMA_NAME)}` }, user)),
    };
    expect(before.raw.status).toBe(400);
    expect(before.raw.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    expect(before.introspection.status).toBe(400);
    expect(before.introspection.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(before.introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/);

    for (const token of [user, undefined]) {
      expect(refusal(await send(enabled, { query: AD_HOC }, token))).toEqual(before.raw);
      expect(refusal(await send(enabled, { documentId: `sha256:${sha256(SCHEMA_NAME)}` }, token))).toEqual(before.introspection);
      // Introspection sent raw meets the persisted-documents rule first, as before.
      expect(refusal(await send(enabled, { query: SCHEMA_NAME }, token))).toEqual(refusal(await send(disabled, { query: SCHEMA_NAME }, token)));
    }
    // Persisted documents still run for them.
    expect((await send(enabled, { documentId: `sha256:${sha256(PRODUCTS)}` }, user)).errors).toBeUndefined();
  });

  it('gives admins the same refusals when the playground is off', async () => {
    const raw = await send(disabled, { query: AD_HOC }, admin);
    expect(raw.status).toBe(400);
    expect(raw.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    const introspection = await send(disabled, { documentId: `sha256:${sha256(SCHEMA_NAME)}` }, admin);
    expect(refusal(introspection)).toEqual(refusal(await send(disabled, { documentId: `sha256:${sha256(SCHEMA_NAME)}` }, user)));
  });

  it('lets an admin subscribe over the WebSocket with a document that is not persisted, and refuses the others as before', async () => {
    const conversationId = demoId('conversation:alice-bob');
    const request = { query: 'subscription($id: ID!) { messageAdded(conversationId: $id) { body } }', variables: { id: conversationId } };
    const refused = subscribeThroughGateway(enabled, user, request);
    try {
      const outcome = (await refused.ended) as { extensions?: { code?: string } }[];
      expect(outcome[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    } finally {
      await refused.client.dispose();
    }
    const live = subscribeThroughGateway<{ messageAdded: { body: string } }>(enabled, admin, request);
    try {
      let sent = 0;
      // Live once a message sent after it started arrives: Bob sends until one does.
      await eventually(async () => {
        await queryAs(federation.gatewayUrl, user, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', {
          input: { conversationId, body: `to the admin ${++sent}` },
        });
        await eventually(() => expect(live.results.some((result) => result.data?.messageAdded.body.startsWith('to the admin'))).toBe(true), 1_000);
      });
      expect(live.outcome).toBeUndefined();
    } finally {
      await live.client.dispose();
    }
  });

  it('decides on the verified token only: the playground cookie, forged headers or a bad token grant nothing', async () => {
    const session = await fetch(new URL('/playground/session', enabled), { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const forged = { cookie, 'x-user-id': DEMO_USERS.alice.id, 'x-mega-user-id': DEMO_USERS.alice.id };
    const raw = await send(enabled, { query: AD_HOC }, undefined, forged);
    expect(raw.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    const introspection = await send(enabled, { documentId: `sha256:${sha256(SCHEMA_NAME)}` }, user, forged);
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badToken = await send(enabled, { query: AD_HOC }, `${admin.slice(0, -4)}AAAA`);
    expect(badToken.status).toBe(401);
    expect(badToken.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps every other protection for admins: operation limits and authorization', async () => {
    const deep = await send(enabled, { query: `{ me { ${'conversations(first: 1) { edges { node { members { '.repeat(4)}id${' } } } }'.repeat(4)} } }` }, admin);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' });
    const aliases = await send(enabled, { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} me { ${Array.from({ length: 20 }, (_, i) => `h${i}: handle`).join(' ')} } }` }, admin);
    expect(aliases.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' });
    // Carol and Dave's conversation is theirs: an admin is not a member.
    const others = await send(enabled, { query: `{ conversation(id: "${demoId('conversation:carol-dave')}") { id } }` }, admin);
    expect(others.data).toEqual({ conversation: null });
  });

  it('runs the playground\'s sign-in, sent by its id, anonymously while the playground is on, and not when it is off', async () => {
    const config = (await (await fetch(new URL('/playground/config.json', enabled))).json()) as { signInDocumentId: string };
    expect(config.signInDocumentId).toBe(`sha256:${sha256(SIGN_IN)}`);
    const variables = { email: DEMO_USERS.alice.email, password: DEMO_USERS.alice.password };
    const signedIn = await send<{ logIn: { accessToken: string; user: { id: string } } }>(enabled, { documentId: config.signInDocumentId, variables });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data?.logIn.user.id).toBe(DEMO_USERS.alice.id);
    const off = await send(disabled, { documentId: config.signInDocumentId, variables });
    expect(off.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
