import DataLoader from 'dataloader';
import { isUuid, requireViewer, unauthenticated, type BaseContext, type Identity } from '@mega/subgraph-kit';
import type { CommsEventBus } from './events.js';
import type { ConversationStore, MemberConversationRow } from './store/conversation.store.js';
import type { MessageRange, MessageRow, MessageStore } from './store/message.store.js';
import type { TypingLimiter } from './typing/typing.limiter.js';

/** Long-lived parts shared by all requests. */
export interface CommsServices {
  conversations: ConversationStore;
  messages: MessageStore;
  /** Message and typing events, shared by every comms instance when Redis is configured. */
  events: CommsEventBus;
  typingLimiter: TypingLimiter;
  /**
   * Whether a user is (still) a member, checked for every subscription event. Not cached; the
   * checks of all subscribers reached by one event go out as one query.
   */
  membership: DataLoader<{ conversationId: string; userId: string }, boolean, string>;
}

/** The membership check of {@link CommsServices.membership}. */
export function membershipLoader(conversations: ConversationStore): CommsServices['membership'] {
  return new DataLoader((pairs) => conversations.areMembers(pairs), { cache: false });
}

/** Per-request batching: every loader runs one query per tick, whatever the number of keys. */
export interface CommsContext extends BaseContext, CommsServices {
  /** Conversations the viewer is a member of, with the viewer's read state; undefined otherwise (and for anonymous requests). */
  viewerConversation: DataLoader<string, MemberConversationRow | undefined>;
  /** Member ids per conversation. Only ask for conversations the viewer may see. */
  memberIds: DataLoader<string, string[]>;
  /** The newest message per conversation. Only ask for conversations the viewer may see. */
  lastMessage: DataLoader<string, MessageRow | undefined>;
  /** Messages by id, not yet checked for membership. */
  messageById: DataLoader<string, MessageRow | undefined>;
  /** Pages of messages. Only ask for conversations the viewer may see. */
  messagePage: DataLoader<MessageRange, MessageRow[], string>;
}

/**
 * The signed-in user's id.
 * @throws UNAUTHENTICATED for anonymous requests, and for user ids that are not accounts' uuids
 */
export function requireViewerId(context: BaseContext): string {
  const userId = requireViewer(context);
  if (!isUuid(userId)) throw unauthenticated('The signed-in user id is not valid.');
  return userId;
}

/**
 * A request's context. The loaders are made on first use: a subscription event gets a fresh
 * context per subscriber and reads none of them, so one event of a big conversation does not build
 * thousands of unused DataLoaders (a class, so that every context has the same shape).
 */
class RequestContext implements CommsContext {
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly events: CommsEventBus;
  readonly typingLimiter: TypingLimiter;
  readonly membership: CommsServices['membership'];
  private loaders: Partial<Pick<CommsContext, 'viewerConversation' | 'memberIds' | 'lastMessage' | 'messageById' | 'messagePage'>> = {};

  constructor(
    services: CommsServices,
    readonly identity: Identity,
  ) {
    this.conversations = services.conversations;
    this.messages = services.messages;
    this.events = services.events;
    this.typingLimiter = services.typingLimiter;
    this.membership = services.membership;
  }

  get viewerConversation(): CommsContext['viewerConversation'] {
    const viewerId = this.identity.userId;
    return (this.loaders.viewerConversation ??= new DataLoader(async (ids: readonly string[]) =>
      viewerId ? this.conversations.forMember(viewerId, ids) : ids.map(() => undefined),
    ));
  }

  get memberIds(): CommsContext['memberIds'] {
    return (this.loaders.memberIds ??= new DataLoader((ids: readonly string[]) => this.conversations.memberIds(ids)));
  }

  get lastMessage(): CommsContext['lastMessage'] {
    return (this.loaders.lastMessage ??= new DataLoader((ids: readonly string[]) => this.messages.latest(ids)));
  }

  get messageById(): CommsContext['messageById'] {
    return (this.loaders.messageById ??= new DataLoader((ids: readonly string[]) => this.messages.byIds(ids)));
  }

  get messagePage(): CommsContext['messagePage'] {
    return (this.loaders.messagePage ??= new DataLoader((ranges: readonly MessageRange[]) => this.messages.pages(ranges), {
      cacheKeyFn: (range) => JSON.stringify([range.conversationId, range.afterSeq, range.beforeSeq, range.limit, range.newest]),
    }));
  }
}

export function createContext(services: CommsServices, identity: Identity): CommsContext {
  return new RequestContext(services, identity);
}
