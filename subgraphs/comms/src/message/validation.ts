import { badUserInput, isUuid } from '@mega/subgraph-kit';

/** Longest message body, in characters (Unicode code points) after trimming. */
export const MESSAGE_BODY_MAX_LENGTH = 4000;

/** Most attachments (media assets and products together) one message may carry. */
export const MESSAGE_ATTACHMENTS_MAX = 10;

/**
 * Checks a message's body and attachments. Attachment ids must be uuid-shaped; whether the media
 * asset or product exists (and who may see it) is for the owning subgraph to say when it is read.
 * @returns the trimmed body and the distinct attachment ids in the order given
 * @throws BAD_USER_INPUT naming `body`, `attachmentIds` or `productIds`
 */
export function checkMessageContent(input: {
  body?: string | null | undefined;
  attachmentIds?: readonly string[] | null | undefined;
  productIds?: readonly string[] | null | undefined;
}): { body: string; mediaIds: string[]; productIds: string[] } {
  const mediaIds = checkIds(input.attachmentIds ?? [], 'attachmentIds');
  const productIds = checkIds(input.productIds ?? [], 'productIds');
  if (mediaIds.length + productIds.length > MESSAGE_ATTACHMENTS_MAX) {
    throw badUserInput(`A message may carry at most ${MESSAGE_ATTACHMENTS_MAX} attachments and products together.`, 'attachmentIds');
  }
  const body = (input.body ?? '').trim();
  const length = [...body].length;
  if (length > MESSAGE_BODY_MAX_LENGTH) throw badUserInput(`body must be at most ${MESSAGE_BODY_MAX_LENGTH} characters.`, 'body');
  if (length === 0 && mediaIds.length + productIds.length === 0) {
    throw badUserInput('body must not be empty unless the message has attachments.', 'body');
  }
  return { body, mediaIds, productIds };
}

function checkIds(ids: readonly string[], argument: string): string[] {
  if (ids.length > MESSAGE_ATTACHMENTS_MAX) {
    throw badUserInput(`A message may carry at most ${MESSAGE_ATTACHMENTS_MAX} attachments and products together.`, argument);
  }
  const bad = ids.find((id) => !isUuid(id));
  if (bad !== undefined) throw badUserInput(`${argument} contains an id that is not a valid id.`, argument);
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}
