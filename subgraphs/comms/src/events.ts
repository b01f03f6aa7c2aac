import { createEventBus, type EventBus } from '@mega/subgraph-kit';
import type { MessageRow } from './store/message.store.js';

/** A message as published after its transaction committed: the whole row, with `sentAt` as an ISO string (JSON over Redis). */
export type MessageAddedEvent = Omit<MessageRow, 'sentAt'> & { sentAt: string };

/** Someone is typing in a conversation. */
export interface TypingPublished {
  conversationId: string;
  userId: string;
  /** ISO instant. */
  at: string;
}

/** The comms topics; each is published per conversation id. */
export type CommsEvents = {
  messageAdded: MessageAddedEvent;
  typing: TypingPublished;
};

export type CommsEventBus = EventBus<CommsEvents>;

/** The comms event bus: in process, or over Redis shared by every comms instance. */
export function createCommsEvents(redisUrl: string | undefined): Promise<CommsEventBus> {
  return createEventBus<CommsEvents>({ redisUrl, keyPrefix: 'mega:comms:' });
}

/** Announces a committed message to every subscriber of its conversation, on every instance. */
export function publishMessageAdded(events: CommsEventBus, row: MessageRow): void {
  events.publish('messageAdded', row.conversationId, { ...row, sentAt: row.sentAt.toISOString() });
}

/** Every subscriber of a conversation gets the same event object from the bus: its row is made once. */
const rows = new WeakMap<MessageAddedEvent, MessageRow>();

/** The row of a published message. */
export function messageRowOf(event: MessageAddedEvent): MessageRow {
  let row = rows.get(event);
  if (!row) rows.set(event, (row = { ...event, sentAt: new Date(event.sentAt) }));
  return row;
}
