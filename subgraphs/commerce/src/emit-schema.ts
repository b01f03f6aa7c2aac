import { fileURLToPath } from 'node:url';
import { emitSubgraphSchema } from '@mega/subgraph-kit';
import { buildSchema } from './schema.js';

await emitSubgraphSchema(await buildSchema(), fileURLToPath(new URL('../schema.graphql', import.meta.url)));
