import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { buildSchema as accountsSchema } from '@mega/accounts';
import { buildSchema as commerceSchema } from '@mega/commerce';
import { buildSchema as commsSchema } from '@mega/comms';
import { composeRepositorySupergraph } from '@mega/gateway';
import { buildSchema as mediaSchema } from '@mega/media';
import { REPO_ROOT } from '@mega/test-utils';

const SUBGRAPHS = { accounts: accountsSchema, comms: commsSchema, media: mediaSchema, commerce: commerceSchema };

describe('committed schemas are in step with the code (run `pnpm compose` after a schema change)', () => {
  it.each(Object.entries(SUBGRAPHS))("keeps subgraphs/%s/schema.graphql equal to the schema its code builds", async (name, build) => {
    const committed = await readFile(path.join(REPO_ROOT, 'subgraphs', name, 'schema.graphql'), 'utf8');
    expect(committed).toBe(`${printSubgraphSchema(await build()).trim()}\n`);
  });

  it('keeps gateway/supergraph.graphql equal to the composition of the subgraph schemas', async () => {
    const committed = await readFile(path.join(REPO_ROOT, 'gateway', 'supergraph.graphql'), 'utf8');
    expect(committed).toBe(await composeRepositorySupergraph());
  });
});
