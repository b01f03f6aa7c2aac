import { fileURLToPath } from 'node:url';
import { launchSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, type CommsContext, type CommsServices } from './context.js';
import { buildSchema } from './schema.js';
import { seedComms } from './seed.js';
import { ConversationStore } from './store/conversation.store.js';
import { MessageStore } from './store/message.store.js';
import { tables, type CommsTables } from './store/tables.js';

export const commsSubgraph: SubgraphDefinition<CommsTables, CommsServices, CommsContext> = {
  service: 'comms',
  tables,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  schema: buildSchema,
  services: (db) => ({ conversations: new ConversationStore(db), messages: new MessageStore(db) }),
  context: createContext,
  seed: seedComms,
};

/** Starts the comms subgraph; the handle's `stop()` drains and closes everything. */
export function startComms(options: SubgraphStartOptions) {
  return launchSubgraph(commsSubgraph, options);
}
