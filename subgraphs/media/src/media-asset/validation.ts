import { badUserInput } from '@mega/subgraph-kit';

export const TITLE_MAX_LENGTH = 200;

/** Titles of assets and albums: trimmed, 1 to {@link TITLE_MAX_LENGTH} characters. */
export function checkTitle(title: string, argument: string): string {
  const trimmed = title.trim();
  if (trimmed.length < 1 || trimmed.length > TITLE_MAX_LENGTH) {
    throw badUserInput(`${argument} must be 1 to ${TITLE_MAX_LENGTH} characters.`, argument);
  }
  return trimmed;
}
