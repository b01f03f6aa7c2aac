import type { TracingOptions } from '@mega/subgraph-kit/tracing';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';
import { context, createContextKey, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Whether a span started now through `@opentelemetry/api`'s global tracer would be recorded. */
function globalTracerRecords(): boolean {
  const span = trace.getTracer('probe').startSpan('probe');
  const recording = span.isRecording();
  span.end();
  return recording;
}

const PROBE = createContextKey('probe');
/** Whether a global context manager is registered (the no-op one forgets every context). */
function contextManagerRegistered(): boolean {
  return context.with(context.active().setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
}

describe('gateway tracing: nothing registered unless configured, and removed again on stop', () => {
  let federation: Federation;
  beforeAll(async () => {
    federation = await startFederation();
  });
  afterAll(() => federation?.stop());

  it('with no tracing configured, serves without registering a tracer provider or a context manager', async () => {
    const response = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 1) { edges { cursor } } }' });
    expect(response.errors).toBeUndefined();
    expect(globalTracerRecords()).toBe(false);
    expect(contextManagerRegistered()).toBe(false);
  });

  it('a traced gateway records @apollo/gateway spans while it runs, exports them, and unregisters on stop', async () => {
    const exported: { name: string }[] = [];
    const exporter: TracingOptions['exporter'] = {
      export(spans, done) {
        exported.push(...spans);
        done({ code: 0 });
      },
      shutdown: async () => undefined,
    };
    const url = await federation.startGateway({ tracing: { exporter, batch: false } });
    expect(globalTracerRecords()).toBe(true);
    expect(contextManagerRegistered()).toBe(true);

    const response = await postGraphQL(url, { query: 'query Traced { products(first: 1) { edges { cursor } } }' });
    expect(response.errors).toBeUndefined();
    await federation.stopGateway(url); // flushes what is buffered
    expect(exported.map((span) => span.name)).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']));

    expect(globalTracerRecords()).toBe(false);
    expect(contextManagerRegistered()).toBe(false);
  });
});
