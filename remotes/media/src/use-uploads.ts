import { useCallback, useEffect, useRef, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { DetailedError, Upload } from 'tus-js-client';
import type { MediaKind } from './gql/graphql';
import { evictMediaAsset, prependToMyMedia } from './media-cache';
import { titleFromFilename } from './media-format';
import { CREATE_UPLOAD } from './operations';
import { forgetUpload, isSameFile, readUnfinishedUploads, rememberUpload, type UnfinishedUpload } from './unfinished-uploads';
import { uploadMediaType } from './upload-media-types';

/** Bytes per PATCH: a lost connection costs at most this much to send again. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
/** Waits before each retry of a failed request of an upload (then it fails). */
export const UPLOAD_RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000];

/**
 * Where an upload is: `starting` (createUpload), `uploading` (bytes, `sent` of `total`),
 * `finishing` (all bytes sent; waiting for `mediaAssetReady`), then `ready`, `failed` or `cancelled`.
 * `paused`: an upload left unfinished by an earlier visit (a reload); it goes on from where the
 * server stopped once the user chooses the same file again.
 */
export type UploadPhase = 'starting' | 'uploading' | 'finishing' | 'ready' | 'failed' | 'cancelled' | 'paused';

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
  /** Resumes a `paused` upload with its file chosen again; another file is refused with a message. */
  resume(key: string, file: File): void;
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

/** A row for an upload an earlier visit left unfinished. */
function pausedItem(upload: UnfinishedUpload): UploadItem {
  return { key: upload.key, name: upload.filename, phase: 'paused', sent: 0, total: upload.byteSize, assetId: upload.assetId, error: null, resumable: false };
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
 * Uploads go on while the user moves between the library and the viewer. Each upload is
 * remembered for `userId` (see unfinished-uploads.ts) until it is READY, cancelled or gone, so after
 * a reload it is listed as `paused` and resumed when the user chooses the same file again.
 */
export function useUploads(notify: (message: string) => void, userId: string | null): Uploads {
  const client = useApolloClient();
  const [createUpload] = useMutation(CREATE_UPLOAD);
  const [items, setItems] = useState<UploadItem[]>(() => (userId ? readUnfinishedUploads(userId).map(pausedItem) : []));
  const running = useRef(new Map<string, RunningUpload>());

  // Another user signed in: their unfinished uploads, not the last one's.
  const shownFor = useRef(userId);
  useEffect(() => {
    if (shownFor.current === userId) return;
    shownFor.current = userId;
    setItems(userId ? readUnfinishedUploads(userId).map(pausedItem) : []);
  }, [userId]);

  const forget = useCallback((key: string) => {
    if (userId) forgetUpload(userId, key);
  }, [userId]);

  const update = useCallback((key: string, patch: (item: UploadItem) => Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch(item) } : item)));
  }, []);

  const send = useCallback(
    (key: string, state: RunningUpload, upload: Upload) => {
      upload.options.onProgress = (sent, total) => update(key, () => ({ phase: 'uploading', sent, total }));
      upload.options.onSuccess = () => update(key, (item) => ({ phase: 'finishing', sent: item.total }));
      upload.options.onError = (error) => {
        const { message, resumable } = describeUploadError(error);
        if (!resumable) forget(key);
        if (!resumable && state.assetId) evictMediaAsset(client.cache, state.assetId);
        update(key, () => ({ phase: 'failed', error: message, resumable }));
      };
      update(key, () => ({ phase: 'uploading', error: null }));
      upload.start();
    },
    [client, forget, update],
  );

  /** createUpload with `input` (a retry of it returns the same asset), then the bytes of `file` from where the server is. */
  const run = useCallback(
    async (key: string, file: File, input: Omit<UnfinishedUpload, 'key' | 'assetId' | 'lastModified'>) => {
      const state: RunningUpload = { upload: null, assetId: null, cancelled: false };
      running.current.set(key, state);
      let created;
      try {
        const { data } = await createUpload({
          variables: { input: { ...input, clientMutationId: key } },
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
      if (userId) rememberUpload(userId, { ...input, key, assetId: created.asset.id, lastModified: file.lastModified });
      state.upload = new Upload(file, {
        uploadUrl: created.uploadUrl,
        uploadSize: file.size,
        chunkSize: UPLOAD_CHUNK_BYTES,
        retryDelays: UPLOAD_RETRY_DELAYS_MS,
        storeFingerprintForResuming: false,
      });
      send(key, state, state.upload);
    },
    [client, createUpload, send, update, userId],
  );

  const startOne = useCallback(
    (file: File, kinds: readonly MediaKind[] | undefined) => {
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
      void run(key, file, { filename: file.name, title: titleFromFilename(file.name), mimeType, byteSize: file.size });
    },
    [run],
  );

  /** The unfinished upload a paused row stands for. */
  const unfinished = useCallback((key: string) => (userId ? readUnfinishedUploads(userId).find((upload) => upload.key === key) : undefined), [userId]);

  const resume = useCallback(
    (key: string, file: File) => {
      const saved = unfinished(key);
      if (!saved) return;
      // Remembered by another tab after this one listed its uploads: list it now.
      setItems((list) => (list.some((item) => item.key === key) ? list : [...list, pausedItem(saved)]));
      if (!isSameFile(saved, file)) {
        update(key, () => ({
          error: `“${file.name}” is not the file this upload was sending: choose “${saved.filename}” (${saved.byteSize} bytes, the same copy).`,
        }));
        return;
      }
      update(key, () => ({ phase: 'starting', error: null }));
      const { filename, title, mimeType, byteSize } = saved;
      void run(key, file, { filename, title, mimeType, byteSize });
    },
    [run, unfinished, update],
  );

  const start = useCallback(
    (files: readonly File[], kinds?: readonly MediaKind[]) => {
      const paused = (userId ? readUnfinishedUploads(userId) : []).filter((upload) => !running.current.has(upload.key));
      for (const file of files) {
        // The file of a paused upload chosen again with the Upload button resumes that upload.
        const match = paused.find((upload) => isSameFile(upload, file));
        if (match) resume(match.key, file);
        else startOne(file, kinds);
      }
    },
    [resume, startOne, userId],
  );

  const cancel = useCallback(
    (key: string) => {
      const state = running.current.get(key);
      const saved = state ? undefined : unfinished(key);
      if (saved) {
        // A paused upload: createUpload gives its URL again, and DELETE there deletes its asset.
        update(key, () => ({ phase: 'cancelled', error: null }));
        createUpload({ variables: { input: { filename: saved.filename, title: saved.title, mimeType: saved.mimeType, byteSize: saved.byteSize, clientMutationId: key } } })
          .then(({ data }) => (data ? Upload.terminate(data.createUpload.uploadUrl) : undefined))
          .then(() => {
            forget(key);
            evictMediaAsset(client.cache, saved.assetId);
          })
          .catch((error: unknown) => {
            update(key, () => ({ phase: 'paused', error: `It could not be cancelled: ${error instanceof Error ? error.message : String(error)}` }));
          });
        return;
      }
      if (!state || state.cancelled) return;
      state.cancelled = true;
      update(key, () => ({ phase: 'cancelled', error: null }));
      const { upload, assetId } = state;
      // Before createUpload answered, run deletes the asset as soon as it has one.
      if (!upload || !assetId) {
        forget(key);
        return;
      }
      upload
        .abort(true)
        .then(() => {
          forget(key);
          evictMediaAsset(client.cache, assetId);
        })
        .catch((error: unknown) => {
          state.cancelled = false;
          update(key, () => ({ phase: 'failed', resumable: true, error: `It could not be cancelled: ${error instanceof Error ? error.message : String(error)}` }));
        });
    },
    [client, createUpload, forget, unfinished, update],
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
      forget(key);
      update(key, (item) => ({ phase: 'ready', sent: item.total }));
      notify(`“${title}” is uploaded.`);
    },
    [forget, notify, update],
  );

  const fail = useCallback((key: string, message: string) => update(key, () => ({ phase: 'failed', error: message, resumable: false })), [update]);

  const dismiss = useCallback(
    (key: string) => {
      running.current.delete(key);
      forget(key);
      setItems((list) => list.filter((item) => item.key !== key));
    },
    [forget],
  );

  return { items, start, cancel, retry, resume, ready, fail, dismiss };
}
