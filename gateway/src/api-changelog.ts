/**
 * The API changelog (`docs/api-changelog.md`): where an intended breaking change of the public
 * schema is recorded, so that `pnpm schema:check` lets it through.
 *
 * Format, parsed strictly:
 * - one `## Unreleased` heading; its section runs to the next `## ` heading (or the end);
 * - in that section, a line that starts with `- breaking` must read
 *   `` - breaking `<coordinate>`: <why, and what clients do instead> `` where the coordinate is the
 *   change's path as `pnpm schema:check` prints it (`User.email`, `Query.products.search` for an
 *   argument, `MediaKind.AUDIO` for an enum value, `Album` for a type);
 * - every other line is free text (other entries, notes); released sections are never read.
 */

/** The heading of the section whose breaking entries are accepted. */
export const UNRELEASED_HEADING = '## Unreleased';

/** A schema coordinate as graphql-inspector prints a change's path: `Type`, `Type.field`, `Type.field.argument`, `@directive`. */
const COORDINATE = /^@?[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*){0,2}$/;
const BREAKING_ENTRY = /^- breaking `([^`]+)`: (\S.*)$/;

/** The changelog does not follow the format; `line` is 1-based. */
export class ApiChangelogError extends Error {
  override name = 'ApiChangelogError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `docs/api-changelog.md line ${line}: ${message}`);
  }
}

/** One `- breaking` entry of the Unreleased section. */
export interface AcceptedBreakingChange {
  /** The schema coordinate, e.g. `User.email`. */
  coordinate: string;
  /** The text after the colon: why, and what clients do instead. */
  reason: string;
  /** 1-based line in the changelog. */
  line: number;
}

/**
 * The breaking changes the changelog's Unreleased section accepts.
 * @throws ApiChangelogError when there is no (or more than one) `## Unreleased` heading, or a
 *   `- breaking` line of it is not `` - breaking `<coordinate>`: <reason> `` with a valid coordinate
 */
export function acceptedBreakingChanges(changelog: string): AcceptedBreakingChange[] {
  const lines = changelog.split(/\r?\n/);
  const headings = lines.flatMap((text, index) => (text.trim() === UNRELEASED_HEADING ? [index] : []));
  if (headings.length === 0) throw new ApiChangelogError(`no "${UNRELEASED_HEADING}" heading`);
  if (headings.length > 1) throw new ApiChangelogError(`"${UNRELEASED_HEADING}" appears ${headings.length} times (lines ${headings.map((index) => index + 1).join(', ')})`);

  const accepted: AcceptedBreakingChange[] = [];
  for (let index = headings[0]! + 1; index < lines.length; index++) {
    const text = lines[index]!.trimEnd();
    if (/^##\s/.test(text)) break;
    if (!/^- breaking\b/i.test(text)) continue;
    const line = index + 1;
    const entry = BREAKING_ENTRY.exec(text);
    if (!entry) throw new ApiChangelogError('a breaking entry reads "- breaking `Type.field`: why, and what clients do instead"', line);
    const coordinate = entry[1]!;
    const reason = entry[2]!.trim();
    if (!COORDINATE.test(coordinate)) throw new ApiChangelogError(`"${coordinate}" is not a schema coordinate (Type, Type.field or Type.field.argument)`, line);
    accepted.push({ coordinate, reason, line });
  }
  return accepted;
}
