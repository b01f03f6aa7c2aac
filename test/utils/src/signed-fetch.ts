import { randomUUID } from 'node:crypto';
import { signIdentity } from '@mega/subgraph-kit/identity';

/** The secret in-process tests share between their gateway and subgraphs. */
export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdef0123456789';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

/** POSTs a GraphQL operation and returns status, data and errors. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string> | ((body: string) => Record<string, string>) = {},
): Promise<GraphQLResponse<TData>> {
  const payload = JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(typeof headers === 'function' ? headers(payload) : headers) },
    body: payload,
  });
  const text = await response.text();
  let json: { data?: TData | null; errors?: GraphQLResponse['errors'] } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`Not a JSON response (${response.status}): ${text.slice(0, 300)}`);
  }
  return { status: response.status, headers: response.headers, ...json };
}

/** Calls a subgraph directly, as the gateway would on behalf of `userId` (null: anonymous). */
export function querySubgraph<TData = Record<string, unknown>>(
  url: string,
  userId: string | null,
  query: string,
  variables?: Record<string, unknown>,
  secret = TEST_GATEWAY_SECRET,
): Promise<GraphQLResponse<TData>> {
  return postGraphQL<TData>(url, { query, ...(variables ? { variables } : {}) }, (body) =>
    signIdentity(secret, { userId, requestId: randomUUID(), clientIp: '127.0.0.1' }, { method: 'POST', path: new URL(url).pathname, body }),
  );
}
