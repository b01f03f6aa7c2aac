import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parseTracingSettings, tracingOptionsFromConfig } from '@mega/subgraph-kit/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, eventually, postGraphQL, startFederation, TEST_GATEWAY_SECRET, type Federation } from '@mega/test-utils';

/** One span as an OTLP/HTTP JSON export carries it, with its process's `service.name`. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

/** A small OTLP/HTTP receiver: keeps every span POSTed to /v1/traces (JSON, gzipped or not) and the headers of each export. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; exportHeaders: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const exportHeaders: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !req.headers['content-type']?.startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      exportHeaders.push(req.headers);
      const raw = Buffer.concat(chunks);
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as OtlpExport;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name, attributes: attributesOf(span.attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    exportHeaders,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The signed-in user (accounts), their conversations and messages (comms), and each sender's name (accounts again). */
const TRACED_QUERY = `query TracedConversations {
  me { displayName conversations(first: 2) { edges { node { messages(first: 2) { edges { node { body sender { displayName } } } } } } } }
}`;

describe.each(['pglite', 'postgres'] as const)('traces on %s: one trace from the gateway through the subgraphs, their resolvers and SQL, exported over OTLP/HTTP', (driver) => {
  let federation: Federation;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const { config, problems } = parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-otlp-key=collector%20key' });
    expect(problems).toEqual([]);
    // Each process its own exporter and provider, as in production; each span exported as it ends.
    federation = await startFederation({ driver, seed: true, tracing: () => ({ ...tracingOptionsFromConfig(config!), batch: false }) });
  });
  afterAll(async () => {
    await federation?.stop();
    await receiver?.close();
  });

  it('links the gateway request, plan and fetches to the subgraphs request, resolver and SQL spans, with no secret in any attribute', async () => {
    const login = await postGraphQL<{ logIn: { accessToken: string; refreshToken: string } }>(federation.gatewayUrl, {
      query: 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken refreshToken } }',
      variables: { email: DEMO_USERS.alice.email, password: DEMO_USERS.alice.password },
    });
    const { accessToken, refreshToken } = login.data!.logIn;
    const response = await postGraphQL(federation.gatewayUrl, { query: TRACED_QUERY }, { authorization: `Bearer ${accessToken}` });
    expect(response.errors).toBeUndefined();

    const request = await eventually(() => {
      const found = receiver.spans.find((span) => span.name === 'gateway.request' && span.attributes['graphql.operation.name'] === 'TracedConversations');
      expect(found).toBeDefined();
      return found!;
    });
    const inTrace = () => receiver.spans.filter((span) => span.traceId === request.traceId);
    // The trace is complete once both subgraphs' SQL and the sender lookups (accounts' _entities) are in.
    const spans = await eventually(() => {
      const trace = inTrace();
      const names = trace.map((span) => `${span.service} ${span.name}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'gateway gateway.request',
          'gateway gateway.plan',
          'gateway gateway.execute',
          'gateway gateway.fetch',
          'accounts subgraph.request',
          'accounts resolve Query.me',
          'accounts resolve Query._entities',
          'accounts SELECT',
          'comms subgraph.request',
          'comms resolve Query._entities',
          'comms resolve User.conversations',
          'comms resolve Conversation.messages',
          'comms SELECT',
        ]),
      );
      expect(trace.filter((span) => span.name === 'subgraph.request')).toHaveLength(trace.filter((span) => span.name === 'gateway.fetch').length);
      return trace;
    });
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: ExportedSpan) => byId.get(span.parentSpanId);

    // Only the gateway's request span is a root, and every other span hangs from it.
    expect(spans.filter((span) => !span.parentSpanId)).toEqual([request]);
    for (const span of spans) {
      let root = span;
      while (parentOf(root)) root = parentOf(root)!;
      expect(root, `${span.service} ${span.name}`).toBe(request);
    }
    expect(parentOf(spans.find((span) => span.name === 'gateway.plan')!)).toBe(request);
    for (const span of spans) {
      const parent = parentOf(span);
      if (span.name === 'subgraph.request') {
        // A subgraph's request span is the child of the gateway's fetch that called it.
        expect(parent?.name).toBe('gateway.fetch');
        expect(parent?.service).toBe('gateway');
      } else if (span.service !== 'gateway') {
        // Resolvers under the request or another resolver, SQL under either, all in the same subgraph.
        expect(parent?.service, `${span.service} ${span.name}`).toBe(span.service);
        expect(parent?.name === 'subgraph.request' || parent?.name.startsWith('resolve ')).toBe(true);
      }
      if (span.name === 'SELECT') {
        expect(span.attributes['db.system.name']).toBe('postgresql');
        expect(String(span.attributes['db.query.text'])).toMatch(/^select /i);
        expect(span.attributes['db.operation.name']).toBe('SELECT');
      }
    }
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['gateway', 'accounts', 'comms']));
    // Trivial fields (`User.displayName`, `Message.body`) get no span of their own.
    expect(spans.some((span) => /^resolve (User\.displayName|Message\.body)$/.test(span.name))).toBe(false);

    // Exports carry OTEL_EXPORTER_OTLP_HEADERS.
    expect(receiver.exportHeaders.every((headers) => headers['x-otlp-key'] === 'collector key')).toBe(true);

    // Nothing secret in any attribute of any span (the log-in's included): no SQL parameter, password, e-mail, token or secret.
    await eventually(() => expect(receiver.spans.some((span) => span.name === 'gateway.request' && span.attributes['graphql.operation.name'] === 'LogIn')).toBe(true));
    const everything = JSON.stringify(receiver.spans.map((span) => span.attributes));
    for (const secret of [DEMO_USERS.alice.password, DEMO_USERS.alice.email, accessToken, refreshToken, accessToken.split('.')[2]!, 'Bearer', TEST_GATEWAY_SECRET]) {
      expect(everything).not.toContain(secret);
    }
    expect(receiver.spans.some((span) => span.service === 'accounts' && /select .*email/i.test(String(span.attributes['db.query.text'])))).toBe(true);
  });
});
