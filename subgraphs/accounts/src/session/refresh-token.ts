import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** Longest string accepted as a refresh token; anything longer is refused before hashing. */
export const MAX_REFRESH_TOKEN_LENGTH = 256;

const SEAL_INFO = 'mega-app/accounts refresh-token successor v1';

/** A new opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of a refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function sealKey(presented: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(presented, 'utf8'), Buffer.alloc(0), SEAL_INFO, 32));
}

/**
 * Encrypts `successor` (AES-256-GCM) under a key derived from the `presented` token, so that only
 * someone who presents that token again can read it; the database alone cannot.
 */
export function sealSuccessor(presented: string, successor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(presented), iv);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

/** The successor sealed by {@link sealSuccessor}; undefined when `presented` is not the token it was sealed under. */
export function openSuccessor(presented: string, sealed: string): string | undefined {
  const [iv, data, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !data || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(presented), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
