import { badUserInput, decodeCursor, encodeCursor, pageSize, type Connection } from '@mega/subgraph-kit';
import type { MessageRange, MessageRow } from '../store/message.store.js';
import { toMessage } from './message.mapper.js';
import type { Message } from './message.type.js';

const MAX_SEQ = 2 ** 31 - 1;

/** Arguments of `Conversation.messages`. */
export interface MessagePageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

function decodeSeq(cursor: string, argument: 'after' | 'before'): number {
  const [seq] = decodeCursor(cursor, ['number'], argument);
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw badUserInput(`${argument} is not a valid cursor.`, argument);
  return seq;
}

/**
 * Which messages `Conversation.messages(first, after, before)` returns: without `after`, the newest
 * `first` (below `before`, when given); with `after`, the oldest `first` above it (below `before`).
 * The range asks for one extra message to learn whether more follow.
 * @throws BAD_USER_INPUT for `first` out of range or a cursor that is not ours
 */
export function messageRange(conversationId: string, args: MessagePageArgs): MessageRange {
  const size = pageSize(args.first);
  const afterSeq = args.after == null ? null : decodeSeq(args.after, 'after');
  const beforeSeq = args.before == null ? null : decodeSeq(args.before, 'before');
  return { conversationId, afterSeq, beforeSeq, limit: size + 1, newest: afterSeq === null };
}

/**
 * Builds the connection for a range's rows (ascending seq, possibly one more than the page).
 * `hasPreviousPage`: older messages exist before the page; `hasNextPage`: newer ones exist after it.
 * @param lastSeq the conversation's newest seq (seqs run from 1 to it without gaps)
 */
export function toMessageConnection(rows: MessageRow[], range: MessageRange, lastSeq: number, viewerId: string | null): Connection<Message> {
  const size = range.limit - 1;
  const more = rows.length > size;
  const page = range.newest ? rows.slice(more ? 1 : 0) : rows.slice(0, size);
  const newerBeyondBefore = range.beforeSeq !== null && lastSeq >= range.beforeSeq;
  const edges = page.map((row) => ({ cursor: encodeCursor([row.seq]), node: toMessage(row, viewerId) }));
  return {
    edges,
    pageInfo: {
      hasPreviousPage: range.newest ? more : Math.min(range.afterSeq ?? 0, lastSeq) >= 1,
      hasNextPage: range.newest ? newerBeyondBefore : more || newerBeyondBefore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
