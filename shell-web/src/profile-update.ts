import type { SessionUser } from '@mega/mini-app-sdk';
import { graphql } from './gql';
import type { EditableProfileFragment } from './gql/graphql';
import { SessionError, type Session } from './session';

graphql(`
  fragment EditableProfile on User {
    id
    handle
    displayName
    avatarUrl
    version
  }
`);
export const MY_PROFILE = graphql(`
  query MyProfile {
    me {
      ...EditableProfile
    }
  }
`);
const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      ...EditableProfile
    }
  }
`);

/** How many times a change is merged onto a newer version and sent again before the server wins anyway. */
const MAX_MERGES = 3;

/** The profile fields the shell's editor changes. */
export type ProfileFields = Pick<SessionUser, 'displayName' | 'avatarUrl'>;
export const PROFILE_FIELDS = ['displayName', 'avatarUrl'] as const satisfies readonly (keyof ProfileFields)[];

/** A profile as the editor holds it: with the version it was read at (User.version, never null for its owner). */
export type EditableProfile = Omit<EditableProfileFragment, '__typename' | 'version'> & { version: number };

export type ProfileSaveResult =
  /** Saved; `merged` when another device had changed other fields meanwhile and the change was sent again on top of them. */
  | { outcome: 'saved'; profile: EditableProfile; merged: boolean }
  /** Not saved: another device changed a field the user changed too. `profile` is the server's; `notSaved` the user's values. */
  | { outcome: 'server-wins'; profile: EditableProfile; notSaved: Partial<ProfileFields> };

/** What the server says on a CONFLICT of `updateProfile(input: { expectedVersion })`. */
interface ProfileConflict {
  currentVersion: number;
  current: Pick<SessionUser, 'handle' | 'displayName' | 'avatarUrl'>;
}

function profileConflict(error: unknown): ProfileConflict | null {
  if (!(error instanceof SessionError) || error.code !== 'CONFLICT' || error.extensions.argument !== 'expectedVersion') return null;
  const { currentVersion, current } = error.extensions;
  return typeof currentVersion === 'number' && typeof current === 'object' && current !== null ? { currentVersion, current: current as ProfileConflict['current'] } : null;
}

/** The profile as `updateProfile` or `me` returns it, checked to carry its version (only its owner sees it). */
export function editableProfile(user: EditableProfileFragment): EditableProfile {
  if (user.version == null) throw new SessionError('FORBIDDEN', 'The profile came without its version: it is not the signed-in user’s.');
  return { id: user.id, handle: user.handle, displayName: user.displayName, avatarUrl: user.avatarUrl, version: user.version };
}

/**
 * Saves the user's changes to their profile on the version it was loaded at (`expectedVersion`),
 * following docs/mini-apps.md, Conflicts: when another device changed the profile meanwhile
 * (CONFLICT) and touched none of the fields in `changes`, the same changes go again on the new
 * version (`currentVersion`); when it changed one of them, the server wins and nothing is sent
 * again. Either way the session takes the server's profile (header, kept profile).
 * @param loaded the profile the form was filled from
 * @param changes only the fields the user changed
 * @throws SessionError the gateway's other refusals, e.g. `BAD_USER_INPUT` with `extensions.argument` naming the field
 */
export async function saveProfile(session: Session, loaded: EditableProfile, changes: Partial<ProfileFields>): Promise<ProfileSaveResult> {
  const changed = PROFILE_FIELDS.filter((field) => changes[field] !== undefined);
  let base = loaded;
  for (let merges = 0; ; merges++) {
    try {
      const { updateProfile } = await session.callAsUser(UPDATE_PROFILE, { input: { ...changes, expectedVersion: base.version } });
      const profile = editableProfile(updateProfile);
      session.profileChanged(profile);
      return { outcome: 'saved', profile, merged: merges > 0 };
    } catch (error) {
      const conflict = profileConflict(error);
      if (!conflict) throw error;
      const now: EditableProfile = { ...base, ...conflict.current, version: conflict.currentVersion };
      // Safe to merge: the other device left every field the user changed as it was (or made it what the user wants).
      const clash = changed.some((field) => now[field] !== base[field] && now[field] !== changes[field]);
      if (clash || merges >= MAX_MERGES) {
        session.profileChanged(now);
        return { outcome: 'server-wins', profile: now, notSaved: changes };
      }
      base = now;
    }
  }
}
