import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE, apiSchemaOf, composeRepositorySupergraph, composeSupergraph, CompositionFailedError } from '../compose.js';
import { DEFAULT_SUPERGRAPH_FILE } from '../config.js';
import { accountsSdl } from './support/harness.js';
import { probeSdl } from './support/probe-subgraph.js';

describe('supergraph composition', () => {
  it('composes subgraph schemas into a supergraph that names each subgraph and its URL', async () => {
    const supergraph = composeSupergraph([
      { name: 'accounts', url: 'http://127.0.0.1:4001/graphql', sdl: await accountsSdl() },
      { name: 'probe', url: 'http://127.0.0.1:4999/graphql', sdl: probeSdl() },
    ]);
    expect(supergraph).toContain('@join__graph(name: "accounts", url: "http://127.0.0.1:4001/graphql")');
    expect(supergraph).toContain('@join__graph(name: "probe", url: "http://127.0.0.1:4999/graphql")');
    expect(supergraph).toMatch(/type User\s+@join__type\(graph: ACCOUNTS, key: "id"\)\s+@join__type\(graph: PROBE, key: "id"\)/);
  });

  it('fails with the composition errors when subgraphs disagree', () => {
    const clash = (type: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"]) type Query { thing: ${type} }`;
    const compose = () =>
      composeSupergraph([
        { name: 'one', url: 'http://127.0.0.1:1/graphql', sdl: clash('String') },
        { name: 'two', url: 'http://127.0.0.1:2/graphql', sdl: clash('Int') },
      ]);
    expect(compose).toThrow(CompositionFailedError);
    expect(compose).toThrow(/Query\.thing/);
  });

  it('keeps the committed gateway/supergraph.graphql in step with the subgraphs\' schema.graphql (run `pnpm compose`)', async () => {
    expect(await readFile(DEFAULT_SUPERGRAPH_FILE, 'utf8')).toBe(await composeRepositorySupergraph());
  });

  it('keeps the committed gateway/api-schema.graphql (the remotes\' codegen input) in step with the supergraph, without federation internals', async () => {
    const supergraph = await readFile(DEFAULT_SUPERGRAPH_FILE, 'utf8');
    const apiSchema = await readFile(API_SCHEMA_FILE, 'utf8');
    expect(apiSchema).toBe(apiSchemaOf(supergraph));
    expect(apiSchema).toContain('sendMessage(input: SendMessageInput!): Message!');
    expect(apiSchema).not.toMatch(/join__|link__|_entities|_service/);
  });
});
