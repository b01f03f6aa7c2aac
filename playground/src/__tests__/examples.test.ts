import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleDomains } from '../examples';

const API_SCHEMA = buildSchema(readFileSync(new URL('../../../gateway/api-schema.graphql', import.meta.url), 'utf8'));

describe('the playground examples', () => {
  const domains = exampleDomains({ conversation: 'c-1', product: 'p-1', mediaAsset: 'm-1' });

  it('cover every domain with a query and a mutation, and a subscription where the API has one', () => {
    expect(domains.map((domain) => domain.domain)).toEqual(['accounts', 'comms', 'media', 'commerce']);
    for (const domain of domains) {
      const kinds = domain.operations.map((operation) => operation.kind);
      expect(kinds, domain.domain).toContain('query');
      expect(kinds, domain.domain).toContain('mutation');
      if (domain.domain !== 'accounts') expect(kinds, domain.domain).toContain('subscription');
    }
  });

  it('are valid against the API schema, with variables in JSON', () => {
    for (const operation of domains.flatMap((domain) => domain.operations)) {
      expect(validate(API_SCHEMA, parse(operation.query)).map((error) => error.message), operation.title).toEqual([]);
      expect(() => JSON.parse(operation.variables) as unknown, operation.title).not.toThrow();
    }
  });
});
