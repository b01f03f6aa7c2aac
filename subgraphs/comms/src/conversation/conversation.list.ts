import { badUserInput, decodeCursor, pageSize, toConnection, type Connection } from '@mega/subgraph-kit';
import type { CommsContext } from '../context.js';
import { toConversation } from './conversation.mapper.js';
import type { Conversation } from './conversation.type.js';

/**
 * One page of a user's conversations, latest activity (creation or newest message) first.
 * A conversation that gets a new message moves to the front, so paging on never repeats one.
 * Only call it for the viewer's own list: it primes the viewer's conversation loader.
 * @throws BAD_USER_INPUT for `first` out of range or a cursor that is not ours
 */
export async function listConversations(
  context: CommsContext,
  userId: string,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Connection<Conversation>> {
  const size = pageSize(first);
  let beforeActivity: number | null = null;
  if (after != null) {
    const [activity] = decodeCursor(after, ['number'], 'after');
    if (!Number.isSafeInteger(activity) || activity < 0) throw badUserInput('after is not a valid cursor.', 'after');
    beforeActivity = activity;
  }
  const rows = await context.conversations.pageForMember(userId, { beforeActivity, limit: size + 1 });
  for (const row of rows) context.viewerConversation.prime(row.id, row);
  const connection = toConnection(rows, size, (row) => [row.activity], after != null);
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toConversation(edge.node) })) };
}
