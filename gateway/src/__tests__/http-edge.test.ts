import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../http/client-address.js';
import { bodyWithGraphQLParams, graphQLParamsFromBody, graphQLParamsFromSearch, searchWithGraphQLParams } from '../http/graphql-params.js';
import { responseMediaType } from '../http/media-types.js';

function request(remoteAddress: string, forwardedFor?: string | string[]): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('the HTTP edge', () => {
  describe('content negotiation (GraphQL over HTTP)', () => {
    it.each([
      [undefined, 'application/json'],
      ['', 'application/json'],
      ['*/*', 'application/json'],
      ['application/*', 'application/json'],
      ['application/json', 'application/json'],
      ['application/graphql-response+json', 'application/graphql-response+json'],
      ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
      ['application/json, application/graphql-response+json', 'application/json'],
      ['application/json;q=0.5, application/graphql-response+json', 'application/graphql-response+json'],
      ['text/html, */*;q=0.8', 'application/json'],
      ['application/graphql-response+json;q=0, */*', 'application/json'],
      ['text/html', null],
      ['application/xml, text/*', null],
      ['application/json;q=0', null],
    ])('answers Accept %j with %j', (accept, expected) => {
      expect(responseMediaType(accept)).toBe(expected);
    });
  });

  describe('client address', () => {
    it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
      expect(clientAddress(request('10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
    });

    it('is the entry the trusted proxies added, counted from the right', () => {
      expect(clientAddress(request('10.0.0.5', '6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
      expect(clientAddress(request('10.0.0.5', '6.6.6.6, 1.2.3.4, 10.0.0.9'), 2)).toBe('1.2.3.4');
      expect(clientAddress(request('10.0.0.5', ['6.6.6.6', '1.2.3.4']), 1)).toBe('1.2.3.4');
      expect(clientAddress(request('10.0.0.5', '2001:db8::1'), 1)).toBe('2001:db8::1');
    });

    it('falls back to the peer when the header is missing or not an address', () => {
      expect(clientAddress(request('10.0.0.5'), 1)).toBe('10.0.0.5');
      expect(clientAddress(request('10.0.0.5', 'not-an-ip'), 1)).toBe('10.0.0.5');
    });

    it('takes the leftmost entry when there are fewer entries than trusted proxies', () => {
      expect(clientAddress(request('10.0.0.5', '1.2.3.4'), 3)).toBe('1.2.3.4');
    });
  });

  describe('GraphQL parameters', () => {
    it('reads a POST body and writes rewritten parameters back, keeping variables', () => {
      const body = { documentId: 'sha256:abc', variables: { first: 1 }, extensions: { persistedQuery: { version: 1 } } };
      const params = graphQLParamsFromBody(body);
      expect(params).toEqual({ query: undefined, documentId: 'sha256:abc', operationName: undefined, extensions: body.extensions });
      expect(bodyWithGraphQLParams(body, { ...params, query: '{ a }', documentId: undefined, extensions: undefined })).toEqual({
        query: '{ a }',
        variables: { first: 1 },
      });
    });

    it('refuses a batch, a body that is not an object, and parameters of the wrong type with 400 BAD_REQUEST', () => {
      for (const body of [[{ query: '{ a }' }], 'text', null, { query: 1 }, { documentId: {} }, { extensions: 'x' }, { operationName: [] }]) {
        expect(() => graphQLParamsFromBody(body)).toThrow(expect.objectContaining({ status: 400, code: 'BAD_REQUEST' }));
      }
    });

    it('reads a GET query string with JSON extensions, and refuses repeated or malformed parameters', () => {
      const search = new URLSearchParams({ documentId: 'abc', extensions: '{"persistedQuery":{"version":1}}', variables: '{"a":1}' });
      expect(graphQLParamsFromSearch(search)).toMatchObject({ documentId: 'abc', extensions: { persistedQuery: { version: 1 } } });
      const rewritten = searchWithGraphQLParams(search, { query: '{ a }' });
      expect(rewritten.startsWith('?')).toBe(true);
      expect(Object.fromEntries(new URLSearchParams(rewritten))).toEqual({ variables: '{"a":1}', query: '{ a }' });
      expect(() => graphQLParamsFromSearch(new URLSearchParams('query=a&query=b'))).toThrow(expect.objectContaining({ status: 400 }));
      expect(() => graphQLParamsFromSearch(new URLSearchParams('extensions=nope'))).toThrow(expect.objectContaining({ status: 400 }));
    });
  });
});
