import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { acceptedMediaType, UPLOAD_MEDIA_TYPES } from './media-types.js';

/** What the bytes of a finished upload turned out to be. */
export type ContentCheck =
  | { ok: true; width: number | null; height: number | null }
  | {
      ok: false;
      /** The type found by the file's magic bytes, or null when the format is not recognised. */
      detected: string | null;
      message: string;
    };

/** EXIF orientations 5 to 8 turn the stored image by 90 degrees. */
const TURNED_ORIENTATION = 5;

/**
 * Checks a finished upload by its magic bytes (`file-type`), never by what the client said, and
 * reads an image's width and height as it is displayed (`image-size`, EXIF orientation applied).
 * @param declared the accepted media type the upload was created with
 */
export async function checkContent(bytes: Uint8Array, declared: string): Promise<ContentCheck> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return { ok: false, detected: null, message: `The file is not ${declared}: its format is not recognised.` };
  if (acceptedMediaType(detected.mime) !== declared) {
    return { ok: false, detected: detected.mime, message: `The file is not ${declared}: it is ${detected.mime}.` };
  }
  if (UPLOAD_MEDIA_TYPES[declared]?.kind !== 'IMAGE') return { ok: true, width: null, height: null };
  try {
    const { width, height, orientation } = imageSize(bytes);
    const turned = (orientation ?? 1) >= TURNED_ORIENTATION;
    return { ok: true, width: turned ? height : width, height: turned ? width : height };
  } catch {
    return { ok: false, detected: detected.mime, message: `The ${declared} image is damaged: its size cannot be read.` };
  }
}
