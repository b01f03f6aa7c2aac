import { DEMO_CONVERSATIONS, DEMO_USERS, demoId, type Logger } from '@mega/subgraph-kit';
import type { CommsServices } from './context.js';

type DemoMember = keyof typeof DEMO_USERS;
type DemoConversationSlug = (typeof DEMO_CONVERSATIONS)[number]['slug'];

/** A demo message: who says it, and what it points at (commerce's product ids, media's product-image ids). */
interface DemoMessage {
  from: DemoMember;
  body: string;
  products?: string[];
  productImages?: string[];
}

const DEMO_MESSAGES: Record<DemoConversationSlug, DemoMessage[]> = {
  'alice-bob': [
    { from: 'alice', body: 'Hey Bob! Are you still looking for new headphones?' },
    { from: 'bob', body: 'Yes, mine broke on the train yesterday.' },
    { from: 'alice', body: 'These are on sale in the Mega Shop:', products: ['wireless-headphones'] },
    { from: 'bob', body: 'Nice, the colour is great too.', productImages: ['wireless-headphones'] },
    { from: 'bob', body: 'Ordering them tonight. Thanks!' },
  ],
  'weekend-trip': [
    { from: 'carol', body: 'Weekend trip: mountains or the lake?' },
    { from: 'alice', body: 'Mountains! I finally have a proper bag for it.', products: ['city-backpack'] },
    { from: 'bob', body: 'Lake, please. I will bring the coffee.', products: ['espresso-beans', 'travel-mug'] },
    { from: 'carol', body: 'Mountains on Saturday, lake on Sunday then.' },
    { from: 'alice', body: 'Deal. Leaving at 8?' },
    { from: 'bob', body: '8 is fine.' },
  ],
  'carol-dave': [
    { from: 'dave', body: 'Morning yoga tomorrow?' },
    { from: 'carol', body: 'Sure, I got a new mat.', products: ['yoga-mat'] },
    { from: 'dave', body: 'See you at 7 in the park.' },
  ],
};

/** How far back the demo messages start, so that they read like a recent chat. */
const DEMO_HISTORY_MS = 2 * 60 * 60 * 1000;

/**
 * Creates the demo conversations and their messages when there are no conversations yet.
 * Ids are stable (`demoId`), so the other subgraphs' demo data lines up with them.
 */
export async function seedComms(services: CommsServices, logger: Logger): Promise<void> {
  if ((await services.conversations.count()) > 0) return;
  let messageCount = 0;
  for (const demo of DEMO_CONVERSATIONS) {
    const memberIds = demo.members.map((member) => DEMO_USERS[member].id);
    const conversationId = await services.conversations.start({
      id: demoId(`conversation:${demo.slug}`),
      creatorId: memberIds[0]!,
      memberIds,
      title: demo.title,
    });
    const script = DEMO_MESSAGES[demo.slug];
    for (const [index, message] of script.entries()) {
      await services.messages.append({
        id: demoId(`message:${demo.slug}:${index + 1}`),
        conversationId,
        senderId: DEMO_USERS[message.from].id,
        body: message.body,
        productIds: (message.products ?? []).map((slug) => demoId(`product:${slug}`)),
        mediaIds: (message.productImages ?? []).map((slug) => demoId(`media:product-image:${slug}`)),
        sentAt: new Date(Date.now() - DEMO_HISTORY_MS + index * 7 * 60 * 1000),
      });
      messageCount += 1;
    }
  }
  logger.info({ conversations: DEMO_CONVERSATIONS.length, messages: messageCount }, 'seeded demo conversations');
}
