/**
 * In-flight deduplication of subgraph queries: while a query is on its way to a subgraph, an
 * identical one (same subgraph URL, same body, same user and client address) does not go out
 * again but waits for the same answer. Under load many clients ask the same thing at the same
 * moment (the home screen, a popular product): the subgraph answers once.
 *
 * Only queries are shared (entity fetches included), never mutations or anything unreadable.
 * Nothing is kept once the answer has arrived: this is not a cache, a later request asks again.
 * The subgraph sees the first request's id (its logs); every waiter gets its own copy of the body,
 * parsed on its own, since the gateway merges fetched entities into its result objects.
 */

import type { UpstreamResponse } from './connection-pool.js';

/** The part of a fetch `Response` that `RemoteGraphQLDataSource` reads, its body already in. */
export interface ReadUpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: null;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

type FetchedResponse = Pick<UpstreamResponse, 'ok' | 'status' | 'statusText' | 'url' | 'headers' | 'text'>;

/** A response whose body was read whole; each `json()` parses it anew. */
class BufferedResponse implements ReadUpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body = null;
  constructor(
    from: FetchedResponse,
    private readonly content: string,
  ) {
    this.ok = from.ok;
    this.status = from.status;
    this.statusText = from.statusText;
    this.url = from.url;
    this.headers = from.headers;
  }
  text(): Promise<string> {
    return Promise.resolve(this.content);
  }
  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.content));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

/** The body of a query (as `RemoteGraphQLDataSource` serializes it, `query` first): `query ...` or `{ ... }`. */
const QUERY_BODY = /^\{"query":"(?:\\[nrt]|\s)*(?:query\b|\{)/;

/** Whether a subgraph request body is a query and may be shared. */
export function isShareableQuery(body: string | undefined): boolean {
  return body !== undefined && QUERY_BODY.test(body);
}

export class InFlightFetches {
  private readonly pending = new Map<string, Promise<{ from: FetchedResponse; content: string }>>();

  /** How many distinct requests are in flight (tests, metrics). */
  get size(): number {
    return this.pending.size;
  }

  /**
   * `send()` unless an identical query is in flight already; either way resolves to a response
   * whose body is read.
   * @param identity who asks (user id and client address): only the same identity shares an answer
   */
  fetch(url: string, body: string | undefined, identity: string, send: () => Promise<FetchedResponse>): Promise<ReadUpstreamResponse> {
    if (!isShareableQuery(body)) return readWhole(send());
    const key = `${url}\n${identity}\n${body}`;
    let shared = this.pending.get(key);
    if (!shared) {
      shared = send().then(read);
      this.pending.set(key, shared);
      const forget = () => this.pending.delete(key);
      shared.then(forget, forget);
    }
    return shared.then(({ from, content }) => new BufferedResponse(from, content));
  }
}

/** The response with its body read whole (for a request that is not shared). */
export async function readWhole(response: Promise<FetchedResponse>): Promise<ReadUpstreamResponse> {
  const { from, content } = await read(await response);
  return new BufferedResponse(from, content);
}

async function read(from: FetchedResponse): Promise<{ from: FetchedResponse; content: string }> {
  return { from, content: await from.text() };
}
