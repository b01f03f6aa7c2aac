import { badUserInput } from '@mega/subgraph-kit';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
const HANDLE = /^[a-z0-9_]{3,30}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed.length > 320 || !EMAIL.test(trimmed)) throw badUserInput('email is not a valid email address.', 'email');
  return trimmed;
}

export function checkPassword(password: string): string {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw badUserInput(`password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`, 'password');
  }
  return password;
}

export function checkHandle(handle: string): string {
  const normalized = handle.trim().toLowerCase();
  if (!HANDLE.test(normalized)) throw badUserInput('handle must be 3 to 30 of a-z, 0-9 and _.', 'handle');
  return normalized;
}

export function checkDisplayName(displayName: string): string {
  const trimmed = displayName.trim();
  if (trimmed.length < 1 || trimmed.length > 80) throw badUserInput('displayName must be 1 to 80 characters.', 'displayName');
  return trimmed;
}

export function checkAvatarUrl(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUserInput('avatarUrl is not a URL.', 'avatarUrl');
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || url.length > 2048) {
    throw badUserInput('avatarUrl must be an http(s) URL of at most 2048 characters.', 'avatarUrl');
  }
  return url;
}
