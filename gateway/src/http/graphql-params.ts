import { GatewayErrorCode, GatewayHttpError } from '../errors.js';

/**
 * The parameters of a GraphQL-over-HTTP request that plugins may read and rewrite before Apollo
 * Server runs it (`variables` are left to Apollo Server). Read from the POST body or from the GET
 * query string; written back the same way.
 */
export interface GraphQLParams {
  /** The document text. */
  query?: string | undefined;
  /** A persisted document's id (GraphQL over HTTP, persisted documents: `sha256:<hex>` or a bare id). */
  documentId?: string | undefined;
  operationName?: string | undefined;
  /** Request extensions, e.g. `{ persistedQuery: { version: 1, sha256Hash } }`. */
  extensions?: Record<string, unknown> | undefined;
}

function badRequest(message: string): GatewayHttpError {
  return new GatewayHttpError(400, GatewayErrorCode.BAD_REQUEST, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`\`${name}\` must be a string.`);
  return value;
}

function optionalRecord(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest(`\`${name}\` must be a JSON object.`);
  return value;
}

/**
 * The parameters of a POST body.
 * @throws GatewayHttpError 400 `BAD_REQUEST` for a batch (a JSON array: batching is off), a body
 * that is not a JSON object, or a parameter of the wrong type
 */
export function graphQLParamsFromBody(body: unknown): GraphQLParams {
  if (Array.isArray(body)) throw badRequest('Batched requests (a JSON array of operations) are not accepted; send one operation per request.');
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object with `query` or `documentId`.');
  return {
    query: optionalString(body.query, 'query'),
    documentId: optionalString(body.documentId, 'documentId'),
    operationName: optionalString(body.operationName, 'operationName'),
    extensions: optionalRecord(body.extensions, 'extensions'),
  };
}

function singleParam(search: URLSearchParams, name: string): string | undefined {
  const values = search.getAll(name);
  if (values.length > 1) throw badRequest(`\`${name}\` must be given at most once.`);
  return values[0];
}

/**
 * The parameters of a GET query string (`extensions` is JSON there).
 * @throws GatewayHttpError 400 `BAD_REQUEST` for a repeated parameter or `extensions` that is not a JSON object
 */
export function graphQLParamsFromSearch(search: URLSearchParams): GraphQLParams {
  const extensions = singleParam(search, 'extensions');
  let parsedExtensions: unknown;
  if (extensions !== undefined) {
    try {
      parsedExtensions = JSON.parse(extensions);
    } catch {
      throw badRequest('`extensions` must be JSON.');
    }
  }
  return {
    query: singleParam(search, 'query'),
    documentId: singleParam(search, 'documentId'),
    operationName: singleParam(search, 'operationName'),
    extensions: optionalRecord(parsedExtensions, 'extensions'),
  };
}

/** `body` with `params` written over it (a parameter that is now undefined is removed). */
export function bodyWithGraphQLParams(body: Record<string, unknown>, params: GraphQLParams): Record<string, unknown> {
  const result: Record<string, unknown> = { ...body };
  for (const key of ['query', 'documentId', 'operationName', 'extensions'] as const) {
    if (params[key] === undefined) delete result[key];
    else result[key] = params[key];
  }
  return result;
}

/** The query string (with `?`) of `search` with `params` written over it. */
export function searchWithGraphQLParams(search: URLSearchParams, params: GraphQLParams): string {
  const result = new URLSearchParams(search);
  for (const key of ['query', 'documentId', 'operationName', 'extensions'] as const) {
    const value = params[key];
    if (value === undefined) result.delete(key);
    else result.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const text = result.toString();
  return text ? `?${text}` : '';
}
