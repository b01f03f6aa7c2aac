import { useCallback, useRef, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { DetailedError, Upload } from 'tus-js-client';
import type { MediaKind } from './gql/graphql';
import { evictMediaAsset, prependToMyMedia } from './media-cache';
import { titleFromFilename } from './media-format';
import { CREATE_UPLOAD } from './operations';
import { uploadMediaType } from './upload-media-types';

/** Bytes per PATCH: a lost connection costs at most this much to send again. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
/** Waits before each retry of a failed request of an upload (then it fails). */
export const UPLOAD_RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000];

/**
 * Where an upload is: `starting` (createUpload), `uploading` (bytes, `sent` of `total`),
 * `finishing` (all bytes sent; waiting for `mediaAssetReady`), then `ready`, `failed` or `cancelled`.
 */
export type UploadPhase = 'starting' | 'uploading' | 'finishing' | 'ready' | 'failed' | 'cancelled';

export interface UploadItem {
  /** Also the upload's `clientMutationId`: a retried createUpload returns the same asset. */
  key: string;
  /** The file's name. */
  name: string;
  phase: UploadPhase;
  sent: number;
  total: number;
  /** The PENDING asset, once createUpload answered. */
  assetId: string | null;
  /** Why it failed. */
  error: string | null;
  /** A failed upload that can go on from where it stopped (its asset still exists). */
  resumable: boolean;
}

export interface Uploads {
  items: UploadItem[];
  /** Uploads each file (one of `kinds`, when given); a file of another type fails at once with a message. */
  start(files: readonly File[], kinds?: readonly MediaKind[]): void;
  /** Stops an upload and deletes its PENDING asset. */
  cancel(key: string): void;
  /** Resumes a failed, resumable upload. */
  retry(key: string): void;
  /** The asset of a `finishing` upload is READY (told by its `mediaAssetReady`). */
  ready(key: string, title: string): void;
  /** The READY event of a `finishing` upload could not be had. */
  fail(key: string, message: string): void;
  /** Takes a finished, failed or cancelled upload off the list. */
  dismiss(key: string): void;
}

/** What an upload in progress holds beyond what is shown. */
interface RunningUpload {
  upload: Upload | null;
  assetId: string | null;
  cancelled: boolean;
}

/** The message of the JSON error our upload endpoint answers with, if that is what `body` is. */
function serverMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { errors?: { message?: unknown }[] }).errors?.[0]?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** What to tell the user about a failed upload request, and whether resuming it may work. */
function describeUploadError(error: Error): { message: string; resumable: boolean } {
  if (!(error instanceof DetailedError)) return { message: error.message, resumable: true };
  const response = error.originalResponse;
  if (!response) return { message: 'The upload lost its connection to the server. Check the connection and retry.', resumable: true };
  const status = response.getStatus();
  const body = response.getBody() ?? '';
  const message = serverMessage(body) ?? `The server refused the upload (HTTP ${status})${body ? `: ${body.trim()}` : '.'}`;
  // 404: the asset is gone (cancelled, swept, or refused: 415 deletes it too).
  return { message, resumable: status !== 404 && status !== 415 && status !== 413 && status !== 403 };
}

/**
 * The uploads of this mini-app: for each file, `createUpload` (the PENDING asset goes to the top
 * of `myMedia` at once), then its bytes to the returned tus `uploadUrl` with `tus-js-client`
 * (which PATCHes that pre-created upload, resuming after a lost connection), with progress and
 * cancel. READY is then reported by the caller's `mediaAssetReady` subscription (`ready`).
 * Uploads go on while the user moves between the library and the viewer.
 */
export function useUploads(notify: (message: string) => void): Uploads {
  const client = useApolloClient();
  const [createUpload] = useMutation(CREATE_UPLOAD);
  const [items, setItems] = useState<UploadItem[]>([]);
  const running = useRef(new Map<string, RunningUpload>());

  const update = useCallback((key: string, patch: (item: UploadItem) => Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch(item) } : item)));
  }, []);

  const send = useCallback(
    (key: string, state: RunningUpload, upload: Upload) => {
      upload.options.onProgress = (sent, total) => update(key, () => ({ phase: 'uploading', sent, total }));
      upload.options.onSuccess = () => update(key, (item) => ({ phase: 'finishing', sent: item.total }));
      upload.options.onError = (error) => {
        const { message, resumable } = describeUploadError(error);
        if (!resumable && state.assetId) evictMediaAsset(client.cache, state.assetId);
        update(key, () => ({ phase: 'failed', error: message, resumable }));
      };
      update(key, () => ({ phase: 'uploading', error: null }));
      upload.start();
    },
    [client, update],
  );

  const startOne = useCallback(
    async (file: File, kinds: readonly MediaKind[] | undefined) => {
      const key = crypto.randomUUID();
      const item: UploadItem = { key, name: file.name, phase: 'starting', sent: 0, total: file.size, assetId: null, error: null, resumable: false };
      const mimeType = uploadMediaType(file, kinds);
      const refusal = !mimeType
        ? `“${file.name}” is not a file this app takes: images (PNG, JPEG, WebP, GIF), audio (MP3, Ogg, WAV) or video (MP4, WebM).`
        : file.size === 0
          ? `“${file.name}” is empty.`
          : null;
      if (!mimeType || refusal) {
        setItems((list) => [...list, { ...item, phase: 'failed', error: refusal }]);
        return;
      }
      setItems((list) => [...list, item]);
      const state: RunningUpload = { upload: null, assetId: null, cancelled: false };
      running.current.set(key, state);
      let created;
      try {
        const { data } = await createUpload({
          variables: { input: { filename: file.name, title: titleFromFilename(file.name), mimeType, byteSize: file.size, clientMutationId: key } },
          update: (cache, { data: answer }) => {
            if (answer) prependToMyMedia(cache, answer.createUpload.asset);
          },
        });
        created = data?.createUpload;
      } catch (error) {
        update(key, () => ({ phase: 'failed', error: error instanceof Error ? error.message : String(error) }));
        return;
      }
      if (!created) return;
      state.assetId = created.asset.id;
      update(key, () => ({ assetId: created.asset.id }));
      if (state.cancelled) {
        await Upload.terminate(created.uploadUrl).catch(() => undefined);
        evictMediaAsset(client.cache, created.asset.id);
        return;
      }
      state.upload = new Upload(file, {
        uploadUrl: created.uploadUrl,
        uploadSize: file.size,
        chunkSize: UPLOAD_CHUNK_BYTES,
        retryDelays: UPLOAD_RETRY_DELAYS_MS,
        storeFingerprintForResuming: false,
      });
      send(key, state, state.upload);
    },
    [client, createUpload, send, update],
  );

  const start = useCallback(
    (files: readonly File[], kinds?: readonly MediaKind[]) => {
      for (const file of files) void startOne(file, kinds);
    },
    [startOne],
  );

  const cancel = useCallback(
    (key: string) => {
      const state = running.current.get(key);
      if (!state || state.cancelled) return;
      state.cancelled = true;
      update(key, () => ({ phase: 'cancelled', error: null }));
      const { upload, assetId } = state;
      // Before createUpload answered, startOne deletes the asset as soon as it has one.
      if (!upload || !assetId) return;
      upload
        .abort(true)
        .then(() => evictMediaAsset(client.cache, assetId))
        .catch((error: unknown) => {
          state.cancelled = false;
          update(key, () => ({ phase: 'failed', resumable: true, error: `It could not be cancelled: ${error instanceof Error ? error.message : String(error)}` }));
        });
    },
    [client, update],
  );

  const retry = useCallback(
    (key: string) => {
      const state = running.current.get(key);
      if (state?.upload) send(key, state, state.upload);
    },
    [send],
  );

  const ready = useCallback(
    (key: string, title: string) => {
      running.current.delete(key);
      update(key, (item) => ({ phase: 'ready', sent: item.total }));
      notify(`“${title}” is uploaded.`);
    },
    [notify, update],
  );

  const fail = useCallback((key: string, message: string) => update(key, () => ({ phase: 'failed', error: message, resumable: false })), [update]);

  const dismiss = useCallback((key: string) => {
    running.current.delete(key);
    setItems((list) => list.filter((item) => item.key !== key));
  }, []);

  return { items, start, cancel, retry, ready, fail, dismiss };
}
