import { badUserInput, payloadTooLarge } from '@mega/subgraph-kit';
import { TITLE_MAX_LENGTH } from '../media-asset/validation.js';
import { acceptedMediaType } from './media-types.js';
import type { UploadLimits } from './upload-limits.js';

export const FILENAME_MAX_LENGTH = 255;

// Control characters (C0, DEL, C1) have no place in a file name or a title.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A file name: trimmed, 1 to {@link FILENAME_MAX_LENGTH} characters, no control characters. */
export function checkFilename(filename: string): string {
  const trimmed = filename.trim();
  if (trimmed.length < 1 || trimmed.length > FILENAME_MAX_LENGTH || CONTROL.test(trimmed)) {
    throw badUserInput(`filename must be 1 to ${FILENAME_MAX_LENGTH} characters, without control characters.`, 'filename');
  }
  return trimmed;
}

/** The title an upload's asset gets from its file name: at most {@link TITLE_MAX_LENGTH} characters of it. */
export function titleFromFilename(filename: string): string {
  return [...filename].slice(0, TITLE_MAX_LENGTH).join('').trim();
}

/** The accepted media type a declared one stands for. @throws BAD_USER_INPUT for any other type */
export function checkMimeType(mimeType: string): string {
  // A declared type is a bare type, as File.type gives it: parameters are refused, not ignored.
  const accepted = mimeType.includes(';') ? undefined : acceptedMediaType(mimeType);
  if (!accepted) {
    throw badUserInput(`mimeType ${JSON.stringify(mimeType.slice(0, 100))} is not accepted: upload a PNG, JPEG, WebP or GIF image, an MP3, Ogg or WAV sound, or an MP4 or WebM video.`, 'mimeType');
  }
  return accepted;
}

/** A declared size. @throws BAD_USER_INPUT below 1 byte, PAYLOAD_TOO_LARGE above `limits.maxBytes` */
export function checkByteSize(byteSize: number, limits: UploadLimits): number {
  if (byteSize < 1) throw badUserInput('byteSize must be at least 1.', 'byteSize');
  if (byteSize > limits.maxBytes) throw payloadTooLarge(`byteSize must be at most ${limits.maxBytes} bytes.`, limits.maxBytes, 'byteSize');
  return byteSize;
}
