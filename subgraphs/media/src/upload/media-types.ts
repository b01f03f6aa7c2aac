import type { MediaAssetRow } from '../store/media-asset.store.js';

/** What the media subgraph knows about a type it accepts. */
export interface UploadMediaType {
  kind: MediaAssetRow['kind'];
  /** Extension of the stored file's key. */
  extension: string;
}

/**
 * The media types an upload may declare, and nothing else: the still-image, sound and video
 * formats every current browser plays. Scripts, HTML and SVG (which can carry script) are left
 * out on purpose, since files are served from this origin.
 */
export const UPLOAD_MEDIA_TYPES: Readonly<Record<string, UploadMediaType>> = {
  'image/png': { kind: 'IMAGE', extension: 'png' },
  'image/jpeg': { kind: 'IMAGE', extension: 'jpg' },
  'image/webp': { kind: 'IMAGE', extension: 'webp' },
  'image/gif': { kind: 'IMAGE', extension: 'gif' },
  'audio/mpeg': { kind: 'AUDIO', extension: 'mp3' },
  'audio/ogg': { kind: 'AUDIO', extension: 'ogg' },
  'audio/wav': { kind: 'AUDIO', extension: 'wav' },
  'video/mp4': { kind: 'VIDEO', extension: 'mp4' },
  'video/webm': { kind: 'VIDEO', extension: 'webm' },
};

/** Other names browsers and tools give the same types (`File.type` differs between browsers). */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
};

/**
 * The accepted type a declared or detected media type stands for, ignoring case and parameters
 * (`audio/ogg; codecs=opus` is `audio/ogg`).
 * @returns undefined for a type that is not accepted
 */
export function acceptedMediaType(mediaType: string): string | undefined {
  const essence = mediaType.split(';')[0]!.trim().toLowerCase();
  const canonical = ALIASES[essence] ?? essence;
  return Object.hasOwn(UPLOAD_MEDIA_TYPES, canonical) ? canonical : undefined;
}
