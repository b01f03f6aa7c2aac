import { badUserInput, isUuid } from '@mega/subgraph-kit';

/** Fewest members of a conversation, the creator included. */
export const CONVERSATION_MEMBERS_MIN = 2;

/** Most members of a conversation, the creator included. */
export const CONVERSATION_MEMBERS_MAX = 50;

/** Longest conversation title, in characters (Unicode code points) after trimming. */
export const CONVERSATION_TITLE_MAX_LENGTH = 100;

/**
 * Checks the members of a new conversation and adds the creator.
 * Ids must be uuid-shaped; whether each one belongs to an existing user is not checked, because
 * accounts owns users and subgraphs do not call each other (an unknown member simply never reads it).
 * @returns distinct member ids, the creator first
 * @throws BAD_USER_INPUT naming `memberIds`
 */
export function checkMemberIds(memberIds: readonly string[], creatorId: string): string[] {
  if (memberIds.length > CONVERSATION_MEMBERS_MAX) {
    throw badUserInput(`A conversation has at most ${CONVERSATION_MEMBERS_MAX} members.`, 'memberIds');
  }
  if (memberIds.some((id) => !isUuid(id))) throw badUserInput('memberIds contains an id that is not a valid id.', 'memberIds');
  const members = [...new Set([creatorId, ...memberIds].map((id) => id.toLowerCase()))];
  if (members.length < CONVERSATION_MEMBERS_MIN || members.length > CONVERSATION_MEMBERS_MAX) {
    throw badUserInput(
      `A conversation has ${CONVERSATION_MEMBERS_MIN} to ${CONVERSATION_MEMBERS_MAX} members, you included.`,
      'memberIds',
    );
  }
  return members;
}

/**
 * @returns the trimmed title, or null when it is absent or blank
 * @throws BAD_USER_INPUT naming `title` when it is too long
 */
export function checkTitle(title: string | null | undefined): string | null {
  const trimmed = title?.trim() ?? '';
  if ([...trimmed].length > CONVERSATION_TITLE_MAX_LENGTH) {
    throw badUserInput(`title must be at most ${CONVERSATION_TITLE_MAX_LENGTH} characters.`, 'title');
  }
  return trimmed === '' ? null : trimmed;
}
