// The two functions by their own paths, not all of `semver`: the shell's first paint loads the SDK.
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';

/** The version of the contract this SDK implements (its package version). Mini-apps name the range they need. */
export const SDK_VERSION = '1.3.0';

/**
 * Whether a mini-app needing SDK `range` can run in a shell that provides `version`.
 * @returns `ok: true`, or why not: `invalid-range` (not a semver range) or `unsatisfied`
 */
export function checkSdkRange(range: string, version: string = SDK_VERSION): { ok: true } | { ok: false; reason: 'invalid-range' | 'unsatisfied' } {
  if (validRange(range) === null) return { ok: false, reason: 'invalid-range' };
  return satisfies(version, range) ? { ok: true } : { ok: false, reason: 'unsatisfied' };
}

/** Whether `range` is a semver range (`^1.2.0`, `>=1 <3`, `1.x`). */
export function isSemverRange(range: string): boolean {
  return validRange(range) !== null;
}
