import type { MediaKind } from './gql/graphql';

/**
 * The media types `createUpload` accepts (see its `mimeType`), with their kind and the file name
 * extensions they go by. The server checks the bytes too; this only spares a doomed upload.
 */
export const UPLOAD_MEDIA_TYPES: Readonly<Record<string, { kind: MediaKind; extensions: readonly string[] }>> = {
  'image/png': { kind: 'IMAGE', extensions: ['png'] },
  'image/jpeg': { kind: 'IMAGE', extensions: ['jpg', 'jpeg'] },
  'image/webp': { kind: 'IMAGE', extensions: ['webp'] },
  'image/gif': { kind: 'IMAGE', extensions: ['gif'] },
  'audio/mpeg': { kind: 'AUDIO', extensions: ['mp3'] },
  'audio/ogg': { kind: 'AUDIO', extensions: ['ogg', 'oga', 'opus'] },
  'audio/wav': { kind: 'AUDIO', extensions: ['wav'] },
  'video/mp4': { kind: 'VIDEO', extensions: ['mp4', 'm4v'] },
  'video/webm': { kind: 'VIDEO', extensions: ['webm'] },
};

/** Other names browsers give the same types (`File.type` differs between browsers and systems). */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
};

const typesOf = (kinds: readonly MediaKind[] | undefined) =>
  Object.entries(UPLOAD_MEDIA_TYPES).filter(([, type]) => !kinds || kinds.length === 0 || kinds.includes(type.kind));

/**
 * The accepted media type of a file: its `type` when the browser knows it, else its extension's.
 * @returns undefined for a file of another type, or of a kind not in `kinds`
 */
export function uploadMediaType(file: Pick<File, 'name' | 'type'>, kinds?: readonly MediaKind[]): string | undefined {
  const types = typesOf(kinds);
  const declared = file.type.split(';')[0]!.trim().toLowerCase();
  if (declared) {
    const canonical = ALIASES[declared] ?? declared;
    return types.some(([type]) => type === canonical) ? canonical : undefined;
  }
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase();
  return types.find(([, type]) => extension !== undefined && type.extensions.includes(extension))?.[0];
}

/** The `accept` attribute of a file input for these kinds (all of them by default). */
export function acceptAttribute(kinds?: readonly MediaKind[]): string {
  return typesOf(kinds)
    .flatMap(([type, { extensions }]) => [type, ...extensions.map((extension) => `.${extension}`)])
    .join(',');
}
