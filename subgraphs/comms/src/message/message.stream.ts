import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { badUserInput, endingWith, isUuid, notFound, sharedEvent, type EventStream } from '@mega/subgraph-kit';
import { requireViewerId, type CommsContext } from '../context.js';
import { messageRowOf, type MessageAddedEvent } from '../events.js';
import type { MessageRow } from '../store/message.store.js';
import { toMessage } from './message.mapper.js';
import type { Message } from './message.type.js';

/** Stored messages read per query while catching up. */
const CATCH_UP_PAGE = 100;

/** Stored messages with `afterSeq < seq < beforeSeq` (no upper bound when null), ascending, in pages. */
async function stored(context: CommsContext, conversationId: string, afterSeq: number, beforeSeq: number | null): Promise<MessageRow[]> {
  const rows: MessageRow[] = [];
  for (let from = afterSeq; ; ) {
    const [page = []] = await context.messages.pages([{ conversationId, afterSeq: from, beforeSeq, limit: CATCH_UP_PAGE, newest: false }]);
    rows.push(...page);
    if (page.length < CATCH_UP_PAGE) return rows;
    from = page[page.length - 1]!.seq;
  }
}

/** Message fields whose value is the same for every member but the sender (clientMutationId is null for them). */
const READER_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'seq', 'body', 'sentAt', 'clientMutationId']);
/** Entity references, resolved by their own subgraph: the same for everyone as long as only their key is selected. */
const REFERENCE_FIELDS: ReadonlySet<string> = new Set(['sender', 'attachments']);
const KEY_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id']);
const NONE: ReadonlySet<string> = new Set();

function selectsOnly(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, fields: ReadonlySet<string>, references: ReadonlySet<string>): boolean {
  if (!set) return true;
  return set.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (references.has(name)) return selectsOnly(selection.selectionSet, info, KEY_FIELDS, NONE);
      return fields.has(name) && !selection.selectionSet;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsOnly(selection.selectionSet, info, fields, references);
    const fragment = info.fragments[selection.name.value];
    return fragment !== undefined && selectsOnly(fragment.selectionSet, info, fields, references);
  });
}

/**
 * Whether a messageAdded selection resolves to the same thing for every member but the sender:
 * only plain message fields and entity keys (what the gateway asks when the rest comes from
 * accounts, media or commerce); `conversation`, for one, is the viewer's.
 */
export function isReaderIndependent(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) => selectsOnly(node.selectionSet, info, READER_FIELDS, REFERENCE_FIELDS));
}

/** The live message as every member but the sender sees it: one object per event, executed once for all of them. */
const forReaders = new WeakMap<MessageRow, Message>();

function readersMessage(row: MessageRow): Message {
  let message = forReaders.get(row);
  if (!message) forReaders.set(row, (message = sharedEvent(toMessage(row, null))));
  return message;
}

async function* deliver(
  context: CommsContext,
  viewerId: string,
  conversationId: string,
  stream: EventStream<MessageAddedEvent>,
  start: number,
  shareable: boolean,
): AsyncGenerator<Message> {
  let last = start;
  // 1. Replay: everything stored after `afterSeq`, read after the live listener was active.
  for (const row of await stored(context, conversationId, last, null)) {
    last = row.seq;
    yield toMessage(row, viewerId);
  }
  // 2. Live: events buffered during the replay and after it; seq decides, so the seam has no duplicate.
  for await (const event of stream) {
    if (event.seq <= last) continue;
    if (!(await context.membership.load({ conversationId, userId: viewerId }))) throw notFound('Conversation');
    // Events of different instances may overtake each other; seq n committed before n + 1 got its
    // seq (the conversation row is locked), so a gap is filled from the store.
    if (event.seq > last + 1) {
      for (const row of await stored(context, conversationId, last, event.seq)) {
        last = row.seq;
        yield toMessage(row, viewerId);
      }
    }
    last = event.seq;
    const row = messageRowOf(event);
    yield shareable && row.senderId !== viewerId ? readersMessage(row) : toMessage(row, viewerId);
  }
}

/**
 * The messages of a conversation for a member: first the stored ones with seq > `afterSeq` in
 * order, then live ones, each seq exactly once and in order (none when `afterSeq` is null: live
 * from now). Ends with NOT_FOUND when the viewer stops being a member.
 * @throws NOT_FOUND for anyone but a member, BAD_USER_INPUT for a negative `afterSeq`
 */
export async function messageAddedStream(
  context: CommsContext,
  conversationId: string,
  afterSeq: number | null,
  info: GraphQLResolveInfo,
): Promise<AsyncIterableIterator<Message>> {
  const viewerId = requireViewerId(context);
  if (afterSeq !== null && afterSeq < 0) throw badUserInput('afterSeq must not be negative.', 'afterSeq');
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const id = conversationId.toLowerCase();
  if (!(await context.viewerConversation.load(id))) throw notFound('Conversation');
  const stream = await context.events.listen('messageAdded', id);
  try {
    const start = afterSeq ?? (await context.conversations.lastSeq(id)) ?? 0;
    return endingWith(deliver(context, viewerId, id, stream, start, isReaderIndependent(info)), stream);
  } catch (error) {
    await stream.return();
    throw error;
  }
}
