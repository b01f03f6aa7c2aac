import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, ParseOptions, ValidationRule } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { GraphQLParams } from '../http/graphql-params.js';

/** One incoming request to /graphql, as plugins see it before Apollo Server runs it. */
export interface GatewayRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The operation's context; plugins fill it in (for example `userId`). */
  readonly context: GatewayContext;
  /** Adds a header to whatever response this request gets, edge errors included. */
  setResponseHeader(name: string, value: string): void;
}

/** An answer a plugin gives instead of running the request (a CORS preflight, say): a status and headers, no body. */
export interface GatewayEarlyResponse {
  status: number;
  headers?: Record<string, string>;
}

/**
 * One concern of the gateway (authentication, limits, persisted documents, ...). Every hook is
 * optional; the gateway calls them in the order the plugins are given.
 */
export interface GatewayPlugin {
  /** Names the plugin in logs. */
  readonly name: string;
  /** Headers added to every response of the gateway, on every route (secure headers). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /**
   * Runs for each request to /graphql before its body is read.
   * Throw a `GatewayHttpError` to answer the request instead of running it; return a
   * `GatewayEarlyResponse` to answer it with an empty body (the later plugins do not run).
   */
  onRequest?(request: GatewayRequest): void | GatewayEarlyResponse | Promise<void | GatewayEarlyResponse>;
  /**
   * Runs for each GraphQL request after every `onRequest` (so `context.userId` is known) and after
   * its body was read: may read and rewrite `params` in place (for example put a persisted
   * document's text in `query`). Throw a `GatewayHttpError` to refuse the request.
   */
  onParams?(request: GatewayRequest, params: GraphQLParams): void | Promise<void>;
  /** Validation rules Apollo Server runs on every operation, after graphql-js's own (operation limits). */
  readonly validationRules?: readonly ValidationRule[];
  /** Options for parsing every operation (graphql-js `maxTokens`, ...); merged over the other plugins'. */
  readonly parseOptions?: ParseOptions;
  /**
   * Rewrites an error on its way to the client (after Apollo Server formatted it, and after the
   * previous plugins' `formatError`). `error` is the original error.
   */
  formatError?(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Hooks into Apollo Server's request pipeline. */
  apollo?: ApolloServerPlugin<GatewayContext>;
  /** Runs in `start()` before the gateway listens (connect, load files); a rejection fails the start. */
  start?(): Promise<void>;
  /** Runs in `stop()` after requests in flight have finished (disconnect, stop watching). */
  stop?(): Promise<void>;
}
