import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  context,
  defaultTextMapGetter,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { isObjectType, responsePathAsArray, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** The span around each request a subgraph serves on /graphql (kind SERVER; its parent is the gateway's `gateway.fetch`). */
export const SUBGRAPH_REQUEST_SPAN = 'subgraph.request';
/** Prefix of a resolver's span name: `resolve Query.me`, `resolve User.conversations`. */
export const RESOLVE_SPAN_PREFIX = 'resolve ';
/** The OTLP/HTTP path appended to OTEL_EXPORTER_OTLP_ENDPOINT (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is). */
export const OTLP_TRACES_PATH = '/v1/traces';

/** OTEL_TRACES_SAMPLER values understood (the OpenTelemetry specification's, minus jaeger_remote and xray). */
export const TRACES_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/** How one gateway or subgraph makes and exports its spans. Absent: no tracing at all (no provider, no wrapping). */
export interface TracingOptions {
  /** Where finished spans go: `tracingOptionsFromConfig` gives an OTLP/HTTP (JSON) exporter; tests pass an `InMemorySpanExporter`. */
  exporter: SpanExporter;
  /** `service.name` of every span of the process. @default its own name: `gateway`, `accounts`, `comms`, ... */
  serviceName?: string | undefined;
  /** Which traces are recorded. @default ParentBased(AlwaysOn): every trace the gateway starts, and what the caller sampled */
  sampler?: Sampler | undefined;
  /** Export in batches (every 5 s, or 512 spans); false exports each span as it ends (tests). @default true */
  batch?: boolean | undefined;
}

/** The OTEL_* variables as read by `parseTracingSettings`. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON). */
  url: string;
  /** OTEL_EXPORTER_OTLP_HEADERS (or _TRACES_HEADERS): sent with every export, e.g. an API key. */
  headers: Record<string, string>;
  /** OTEL_SERVICE_NAME; undefined: the process's own name. */
  serviceName: string | undefined;
  /** OTEL_TRACES_SAMPLER. @default 'parentbased_always_on' */
  sampler: TracesSampler;
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the ratio samplers. @default 1 */
  ratio: number;
}

/** The variables `parseTracingSettings` reads. */
export interface TracingEnvironment {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_HEADERS?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_HEADERS?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_TRACES_SAMPLER?: string | undefined;
  OTEL_TRACES_SAMPLER_ARG?: string | undefined;
  OTEL_SDK_DISABLED?: string | undefined;
}

function parseHeaders(name: string, value: string | undefined, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const separator = entry.indexOf('=');
    if (separator <= 0) {
      problems.push(`  ${name}: "${entry.slice(0, 40)}" is not key=value`);
      continue;
    }
    try {
      headers[decodeURIComponent(entry.slice(0, separator).trim())] = decodeURIComponent(entry.slice(separator + 1).trim());
    } catch {
      problems.push(`  ${name}: an entry is not URL-encoded`);
    }
  }
  return headers;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * The OTEL_* variables as a `TracingConfig`: tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * (the full URL) or OTEL_EXPORTER_OTLP_ENDPOINT (a base URL, `/v1/traces` appended) is set, unless
 * OTEL_SDK_DISABLED=true. The gateway and every subgraph read the same variables.
 * @returns the config (undefined: tracing off), and a line per problem naming the variable (empty when valid)
 */
export function parseTracingSettings(env: TracingEnvironment): { config: TracingConfig | undefined; problems: string[] } {
  const problems: string[] = [];
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (env.OTEL_SDK_DISABLED === 'true' || (!tracesEndpoint && !endpoint)) return { config: undefined, problems };
  if (tracesEndpoint && !isHttpUrl(tracesEndpoint)) problems.push('  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http(s) URL');
  if (!tracesEndpoint && endpoint && !isHttpUrl(endpoint)) problems.push('  OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL');
  const url = tracesEndpoint ?? `${endpoint!.replace(/\/+$/, '')}${OTLP_TRACES_PATH}`;
  const headers = {
    ...parseHeaders('OTEL_EXPORTER_OTLP_HEADERS', env.OTEL_EXPORTER_OTLP_HEADERS, problems),
    ...parseHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, problems),
  };
  const sampler = (env.OTEL_TRACES_SAMPLER || 'parentbased_always_on') as TracesSampler;
  if (!TRACES_SAMPLERS.includes(sampler)) problems.push(`  OTEL_TRACES_SAMPLER: must be one of ${TRACES_SAMPLERS.join(', ')}`);
  const ratio = env.OTEL_TRACES_SAMPLER_ARG ? Number(env.OTEL_TRACES_SAMPLER_ARG) : 1;
  if (!(ratio >= 0 && ratio <= 1)) problems.push('  OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1');
  return { config: { url, headers, serviceName: env.OTEL_SERVICE_NAME || undefined, sampler, ratio }, problems };
}

/** The sampler an OTEL_TRACES_SAMPLER value names. */
export function samplerFor(name: TracesSampler, ratio = 1): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** Tracing options from the environment's settings: an OTLP/HTTP exporter (JSON) to `config.url`, batched. */
export function tracingOptionsFromConfig(config: TracingConfig): TracingOptions {
  return {
    exporter: new OTLPTraceExporter({ url: config.url, headers: config.headers }),
    serviceName: config.serviceName,
    sampler: samplerFor(config.sampler, config.ratio),
  };
}

/**
 * `@opentelemetry/api`'s CommonJS instance. `@apollo/gateway` (CommonJS) took its tracer from it
 * when it loaded, bound to that instance's own proxy provider; the ES module instance shares the
 * global registry but not that proxy, so the gateway's provider is registered through this one.
 * A bundle (esbuild, `pnpm start`) has `require` and bundles the same copy `@apollo/gateway` gets;
 * unbundled ES modules (tsx, vitest) load it from node_modules as `@apollo/gateway` does.
 */
const commonJsTraceApi = (
  typeof require === 'function'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS instance, bundled with @apollo/gateway's
      (require('@opentelemetry/api') as { trace: typeof trace })
    : (createRequire(import.meta.url)('@opentelemetry/api') as { trace: typeof trace })
).trace;

/** The provider of the traced gateway running in this process; undefined: none (spans are no-ops). */
let globalProvider: TracerProvider | undefined;
const noTracerProvider = new ProxyTracerProvider();

/**
 * What the global provider hands out: a tracer that follows `globalProvider`. `@opentelemetry/api`'s
 * proxy keeps the first tracer it is given for good, so a gateway started after another one stopped
 * (tests) still gets `@apollo/gateway`'s spans, and a stopped one's are no-ops again.
 */
class GlobalProviderTracer implements Tracer {
  private provider: TracerProvider | undefined;
  private tracer: Tracer | undefined;

  constructor(
    private readonly name: string,
    private readonly version: string | undefined,
    private readonly options: TracerOptions | undefined,
  ) {}

  private current(): Tracer {
    const provider = globalProvider ?? noTracerProvider;
    if (provider !== this.provider || !this.tracer) {
      this.provider = provider;
      this.tracer = provider.getTracer(this.name, this.version, this.options);
    }
    return this.tracer;
  }

  startSpan(...args: Parameters<Tracer['startSpan']>): Span {
    return this.current().startSpan(...args);
  }

  startActiveSpan = ((...args: unknown[]) => (this.current().startActiveSpan as (...rest: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'];
}

const globalProviderFollower: TracerProvider = {
  getTracer: (name, version, options) => new GlobalProviderTracer(name, version, options),
};

let contextUsers = 0;
let ownContextManager: AsyncLocalStorageContextManager | undefined;

/**
 * Spans find their parent through `@opentelemetry/api`'s global context manager: registered by the
 * first tracing process part (gateway or subgraph) that starts in this process, removed when the last stops.
 */
function acquireContextManager(): void {
  contextUsers += 1;
  if (contextUsers > 1) return;
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) ownContextManager = manager;
  else manager.disable(); // someone else's (an OpenTelemetry SDK set up by the operator): use it
}

function releaseContextManager(): void {
  contextUsers -= 1;
  if (contextUsers > 0 || !ownContextManager) return;
  context.disable();
  ownContextManager = undefined;
}

/** One process part's tracer and the provider behind it. */
export interface Tracing {
  tracer: Tracer;
  /** Exports the spans still buffered, then stops; with `global`, unregisters the provider. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * A tracer provider of its own for `service` (its `service.name` on every span). With `global` it
 * becomes `@opentelemetry/api`'s global provider (the gateway: `@apollo/gateway` makes its spans
 * through the global tracer); subgraphs keep theirs to themselves, so several in one process (the
 * tests) each export under their own name.
 * @throws with `global`, when another global provider is registered already
 */
export function createTracing(service: string, options: TracingOptions, { global = false }: { global?: boolean } = {}): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? service }),
    sampler: options.sampler ?? samplerFor('parentbased_always_on'),
    spanProcessors: [options.batch === false ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter)],
  });
  if (global) {
    if (globalProvider || !commonJsTraceApi.setGlobalTracerProvider(globalProviderFollower)) {
      throw new Error('A global OpenTelemetry tracer provider is registered already: one traced gateway per process at a time.');
    }
    globalProvider = provider;
  }
  acquireContextManager();
  let stopped: Promise<void> | undefined;
  return {
    tracer: provider.getTracer(`@mega/${service}`),
    shutdown() {
      stopped ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          if (global) {
            globalProvider = undefined;
            commonJsTraceApi.disable();
          }
          releaseContextManager();
        }
      })();
      return stopped;
    },
  };
}

const propagator = new W3CTraceContextPropagator();

/** Adds `traceparent` (and `tracestate`) for the active span, if any, through `setHeader`. */
export function injectTraceContext(setHeader: (name: string, value: string) => void): void {
  propagator.inject(context.active(), undefined, { set: (_carrier, name, value) => setHeader(name, value) });
}

/** Marks a span failed with the error's name only: messages may quote user data. */
export function failSpan(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
}

/**
 * Runs `handle` in a SERVER span `subgraph.request` whose parent is the caller's `traceparent` (the
 * gateway's `gateway.fetch` span); no header: a new trace. Only the method, path and status are
 * recorded, never a header.
 */
export async function withRequestSpan<T>(
  tracer: Tracer,
  request: { method?: string | undefined; headers: IncomingHttpHeaders },
  path: string,
  handle: () => Promise<T>,
  status: () => number,
): Promise<T> {
  const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: request.method ?? 'GET', [ATTR_URL_PATH]: path };
  return tracer.startActiveSpan(SUBGRAPH_REQUEST_SPAN, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      return await handle();
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status());
      span.end();
    }
  });
}

/** Names the operation on the request's span (`graphql.operation.name`, `graphql.operation.type`). */
export function tracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation }) {
          const span = trace.getSpan(context.active());
          if (!span?.isRecording()) return;
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
          if (operation) span.setAttribute('graphql.operation.type', operation.operation);
        },
      };
    },
  };
}

/** Whether the active context has a span being recorded: resolver and SQL spans are made only under one. */
function inRecordedTrace(): boolean {
  return trace.getSpan(context.active())?.isRecording() ?? false;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

const resolverFieldsOf = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
const tracedSchemas = new WeakSet<GraphQLSchema>();

/**
 * Records which fields of `schema` have resolvers of their own (`Type.field`), for `traceResolvers`;
 * `buildFederatedSchema` calls it. Fields that only read a property of their parent are left out.
 */
export function setResolverFields(schema: GraphQLSchema, fields: ReadonlySet<string>): void {
  resolverFieldsOf.set(schema, fields);
}

/**
 * Wraps, in place and once per schema, the resolvers of the fields `setResolverFields` recorded (and
 * every Query and Mutation field): each call made within a recorded trace gets a span `resolve
 * Type.field`, active while it runs so its SQL spans are its children. Outside a recorded trace the
 * wrapper only checks the active span.
 */
export function traceResolvers(schema: GraphQLSchema, tracer: Tracer): void {
  if (tracedSchemas.has(schema)) return;
  tracedSchemas.add(schema);
  const ownResolvers = resolverFieldsOf.get(schema) ?? new Set<string>();
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const resolve = field.resolve;
      if (!resolve || !(roots.has(type) || ownResolvers.has(coordinate))) continue;
      const name = `${RESOLVE_SPAN_PREFIX}${coordinate}`;
      const traced: GraphQLFieldResolver<unknown, unknown> = (source, args, contextValue, info) => {
        if (!inRecordedTrace()) return resolve(source, args, contextValue, info);
        const attributes = { 'graphql.field.name': field.name, 'graphql.parent.type': type.name, 'graphql.field.path': responsePathAsArray(info.path).join('.') };
        return tracer.startActiveSpan(name, { attributes }, (span) => {
          let result: unknown;
          try {
            result = resolve(source, args, contextValue, info);
          } catch (error) {
            failSpan(span, error);
            span.end();
            throw error;
          }
          if (!isPromiseLike(result)) {
            span.end();
            return result;
          }
          return Promise.resolve(result).then(
            (value) => {
              span.end();
              return value;
            },
            (error: unknown) => {
              failSpan(span, error);
              span.end();
              throw error;
            },
          );
        });
      };
      field.resolve = traced;
    }
  }
}

/** The first word of a statement, upper-cased: the span's name and `db.operation.name` (`SELECT`, `INSERT`, ...). */
function operationOf(statement: string): string {
  const match = /^\s*([a-zA-Z]+)/.exec(statement);
  return match ? match[1]!.toUpperCase() : 'SQL';
}

/**
 * Runs one SQL statement in a CLIENT span within a recorded trace (else just runs it): `db.query.text`
 * is the statement with its `$1` placeholders, never the parameters (user data, secrets).
 */
export function traceQuery<T>(tracer: Tracer, statement: string, run: () => Promise<T>): Promise<T> {
  if (!inRecordedTrace()) return run();
  const operation = operationOf(statement);
  const attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL, [ATTR_DB_QUERY_TEXT]: statement, [ATTR_DB_OPERATION_NAME]: operation };
  return tracer.startActiveSpan(operation, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await run();
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
