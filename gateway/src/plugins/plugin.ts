import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context.js';

/** One incoming request to /graphql, as plugins see it before Apollo Server runs it. */
export interface GatewayRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The operation's context; plugins fill it in (for example `userId`). */
  readonly context: GatewayContext;
  /** Adds a header to whatever response this request gets, edge errors included. */
  setResponseHeader(name: string, value: string): void;
}

/**
 * One concern of the gateway (authentication, error masking, ...). Every hook is optional; the
 * gateway calls them in the order the plugins are given.
 */
export interface GatewayPlugin {
  /** Names the plugin in logs. */
  readonly name: string;
  /**
   * Runs for each request to /graphql before its body is read.
   * Throw a `GatewayHttpError` to answer the request instead of running it.
   */
  onRequest?(request: GatewayRequest): void | Promise<void>;
  /**
   * Rewrites an error on its way to the client (after Apollo Server formatted it, and after the
   * previous plugins' `formatError`). `error` is the original error.
   */
  formatError?(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Hooks into Apollo Server's request pipeline. */
  apollo?: ApolloServerPlugin<GatewayContext>;
}
