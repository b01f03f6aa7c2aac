import type { MediaKind } from './gql/graphql';

/** How each kind is named in the interface. */
export const KIND_LABEL: Readonly<Record<MediaKind, string>> = { IMAGE: 'Image', VIDEO: 'Video', AUDIO: 'Audio' };

/** How several of each kind are named, e.g. "Choose from your images". */
export const KIND_PLURAL: Readonly<Record<MediaKind, string>> = { IMAGE: 'images', VIDEO: 'videos', AUDIO: 'audio files' };

/** Names the kinds, e.g. "images and videos"; "media" for all of them or none. */
export function describeKinds(kinds: readonly MediaKind[] | undefined, conjunction: 'and' | 'or' = 'and'): string {
  const names = [...new Set(kinds ?? [])].map((kind) => KIND_PLURAL[kind]);
  if (names.length === 0 || names.length === Object.keys(KIND_PLURAL).length) return 'media';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1)}`;
}

/** A decorative symbol for assets without a picture (screen readers get the title instead). */
export const KIND_SYMBOL: Readonly<Record<MediaKind, string>> = { IMAGE: '🖼️', VIDEO: '🎬', AUDIO: '🎵' };

/** The server's limit on a title, in characters. */
export const TITLE_MAX_LENGTH = 200;

/** A file's name without its extension, as the title of its new asset. */
export function titleFromFilename(name: string): string {
  const title = [...name.replace(/\.[^.]+$/, '').trim()].slice(0, TITLE_MAX_LENGTH).join('');
  return title || [...name].slice(0, TITLE_MAX_LENGTH).join('');
}

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** `1536` → `1.5 KB` (powers of 1024, one decimal from KB up). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `83000` → `1:23`, `3723000` → `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO instant in the reader's locale and time zone. */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** A PENDING asset: created by `createUpload`, its file not complete yet (only READY assets have a `url`). */
export function isPending(asset: { url: string | null }): boolean {
  return asset.url === null;
}
