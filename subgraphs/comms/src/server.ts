import { fileURLToPath } from 'node:url';
import { launchSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, membershipLoader, type CommsContext, type CommsServices } from './context.js';
import { createCommsEvents } from './events.js';
import { buildSchema } from './schema.js';
import { seedComms } from './seed.js';
import { ConversationStore } from './store/conversation.store.js';
import { MessageStore } from './store/message.store.js';
import { tables, type CommsTables } from './store/tables.js';
import { TypingLimiter } from './typing/typing.limiter.js';

export const commsSubgraph: SubgraphDefinition<CommsTables, CommsServices, CommsContext> = {
  service: 'comms',
  tables,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  schema: (services) => buildSchema(services.events),
  services: async (db, _logger, options) => {
    const conversations = new ConversationStore(db);
    return {
      conversations,
      messages: new MessageStore(db),
      events: await createCommsEvents(options.redisUrl),
      typingLimiter: new TypingLimiter(),
      membership: membershipLoader(conversations),
    };
  },
  dispose: (services) => services.events.close(),
  context: createContext,
  seed: seedComms,
};

/** Starts the comms subgraph; the handle's `stop()` drains and closes everything. */
export function startComms(options: SubgraphStartOptions) {
  return launchSubgraph(commsSubgraph, options);
}
