import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'graphql';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';
import type { GraphQLParams } from '../http/graphql-params.js';
import type { Logger } from '../logger.js';
import type { GatewayPlugin } from './plugin.js';

/** How long to wait after the last change in the manifests folder before reloading it. @default 100 ms */
export const DEFAULT_PERSISTED_DOCUMENTS_DEBOUNCE_MS = 100;

/** The prefix of a SHA-256 document id in the GraphQL over HTTP persisted documents appendix. */
const SHA256_PREFIX = 'sha256:';

export interface PersistedDocumentsOptions {
  /**
   * Folder of operation manifests: every `*.json` file in it is an object of document id ->
   * document text, the `persisted-documents.json` GraphQL Code Generator's client preset writes
   * with `persistedDocuments: true` (use `hashAlgorithm: 'sha256'` there so that ids are SHA-256).
   * @default none: no persisted documents
   */
  dir?: string;
  /**
   * Safelisting: run only persisted documents, so a raw `query` gets 400 `PERSISTED_QUERY_REQUIRED`.
   * @default false (main.ts turns it on when NODE_ENV=production)
   */
  requirePersistedDocuments?: boolean;
  /**
   * Who may nevertheless run documents that are not persisted: decided on `GatewayContext.userId`,
   * the user of the verified access token (the playground's admins: `usePlayground`'s `mayRunAnyOperation`).
   * @default nobody
   */
  mayRunAnyDocument?: (userId: string | null) => boolean;
  /** Persisted documents besides the manifests' (the playground's sign-in), id (hex) -> text. @default none */
  builtInDocuments?: ReadonlyMap<string, string>;
  /** Reload the manifests when the folder changes. @default true */
  watch?: boolean;
  /** @default DEFAULT_PERSISTED_DOCUMENTS_DEBOUNCE_MS */
  watchDebounceMs?: number;
  /** Called after the manifests were reloaded (the gateway warms the new documents' query plans). @default none */
  onReload?: () => void;
  logger: Logger;
}

/** A malformed manifest (not an object of strings, a document that does not parse, one id with two documents). */
export class PersistedDocumentsError extends Error {
  override name = 'PersistedDocumentsError';
}

/** A document id as stored: `sha256:<hex>` and a bare `<hex>` are the same id. */
export function normalizeDocumentId(id: string): string {
  return id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id;
}

/**
 * Reads every `*.json` manifest in `dir` (in name order) into one map of id -> document.
 * @throws PersistedDocumentsError naming the file and the id at fault
 */
export async function loadPersistedDocuments(dir: string): Promise<Map<string, string>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const documents = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    let manifest: unknown;
    try {
      manifest = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new PersistedDocumentsError(`${file}: not JSON (${(error as Error).message})`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new PersistedDocumentsError(`${file}: must be an object of document id -> document`);
    }
    for (const [rawId, document] of Object.entries(manifest)) {
      if (typeof document !== 'string') throw new PersistedDocumentsError(`${file}: the document of "${rawId}" is not a string`);
      try {
        parse(document);
      } catch (error) {
        throw new PersistedDocumentsError(`${file}: the document of "${rawId}" does not parse: ${(error as Error).message}`);
      }
      const id = normalizeDocumentId(rawId);
      const existing = documents.get(id);
      if (existing !== undefined && existing !== document) throw new PersistedDocumentsError(`${file}: "${rawId}" names another document in an earlier manifest`);
      documents.set(id, document);
    }
  }
  return documents;
}

function badRequest(message: string): GatewayHttpError {
  return new GatewayHttpError(400, GatewayErrorCode.BAD_REQUEST, message);
}

/** The id a request names: `documentId`, or the `persistedQuery` extension's `sha256Hash` (Apollo's APQ format). */
function requestedDocumentId(params: GraphQLParams): string | undefined {
  if (params.documentId !== undefined) return params.documentId;
  const persistedQuery = params.extensions?.persistedQuery;
  if (persistedQuery === undefined) return undefined;
  const hash = (persistedQuery as { sha256Hash?: unknown } | null)?.sha256Hash;
  if (typeof hash !== 'string') throw badRequest('`extensions.persistedQuery.sha256Hash` must be a string.');
  return hash;
}

/** Removes the `persistedQuery` extension, which Apollo Server (APQ off) would refuse. */
function withoutPersistedQuery(params: GraphQLParams): void {
  if (!params.extensions) return;
  const { persistedQuery: _persistedQuery, ...rest } = params.extensions;
  params.extensions = Object.keys(rest).length > 0 ? rest : undefined;
}

/** The persisted-documents rules for one operation, whatever its transport (HTTP's `onParams`, the graphql-ws server's `subscribe`). */
export interface PersistedDocumentRules {
  /**
   * Decides the text an operation runs and writes it to `params.query`: the manifest's document
   * for the id named by `documentId` (`sha256:<hex>` or the bare id) or
   * `extensions.persistedQuery.sha256Hash`, or the raw `query` where raw queries may run. Removes
   * `documentId` and the `persistedQuery` extension. Leaves `params.query` undefined when neither
   * an id nor a query was given.
   * `userId` is the verified user (`GatewayContext.userId`): one that `mayRunAnyDocument` lets
   * through runs raw queries as if `requirePersistedDocuments` were off.
   * @throws GatewayHttpError 400 `PERSISTED_QUERY_REQUIRED`: a raw `query` with `requirePersistedDocuments`
   * @throws GatewayHttpError 400 `PERSISTED_QUERY_NOT_FOUND`: an id the manifests do not hold (without
   * `requirePersistedDocuments` a `query` sent along with an unknown hash runs instead, as a raw query)
   * @throws GatewayHttpError 400 `BAD_REQUEST`: `documentId` together with `query`; a `query` that is not
   * the manifest's text for its hash; a `sha256Hash` that is not a string
   */
  resolve(params: GraphQLParams, userId?: string | null): void;
}

/**
 * Persisted documents (trusted documents, safelisting). A request may name a document by
 * `documentId` (`sha256:<hex>` or the bare id; GraphQL over HTTP persisted documents) or by
 * `extensions.persistedQuery.sha256Hash` (Apollo Client's persisted-queries link); the gateway
 * runs the manifest's text for it. An id not in the manifests: 400 `PERSISTED_QUERY_NOT_FOUND`.
 * With `requirePersistedDocuments` a raw `query` gets 400 `PERSISTED_QUERY_REQUIRED`; without it,
 * raw queries run as usual, also when they come with a hash the manifests do not know.
 *
 * The rules are `resolve` (see {@link PersistedDocumentRules}): HTTP requests go through it in
 * `onParams`, the graphql-ws server calls it for every `subscribe`.
 *
 * Automatic persisted queries are no safelist, so there are none: Apollo Server's APQ cache is
 * off (`persistedQueries: false`) and this plugin removes the `persistedQuery` extension, so no
 * client can register a document; a hash sent along with a `query` only runs when the manifest
 * has that very document under it.
 */
export function usePersistedDocuments(
  options: PersistedDocumentsOptions,
): GatewayPlugin & PersistedDocumentRules & { readonly documents: () => ReadonlyMap<string, string> } {
  const { logger } = options;
  const builtIn = options.builtInDocuments ?? new Map<string, string>();
  /** The manifests' documents and the built-in ones. */
  const withBuiltIn = (loaded: Map<string, string>) => new Map([...loaded, ...builtIn]);
  let documents = withBuiltIn(new Map());
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function reload(): Promise<void> {
    if (!options.dir) return;
    try {
      documents = withBuiltIn(await loadPersistedDocuments(options.dir));
      logger.info({ dir: options.dir, documents: documents.size }, 'persisted documents reloaded');
      options.onReload?.();
    } catch (error) {
      logger.error({ err: error, dir: options.dir }, 'persisted documents not reloaded; the previous ones stay in force');
    }
  }

  function resolve(params: GraphQLParams, userId: string | null = null): void {
    const required = options.requirePersistedDocuments === true && !(options.mayRunAnyDocument?.(userId) ?? false);
    const id = requestedDocumentId(params);
    if (id === undefined) {
      if (params.query !== undefined && required) {
        throw new GatewayHttpError(
          400,
          GatewayErrorCode.PERSISTED_QUERY_REQUIRED,
          'Only persisted documents run here: send `documentId` instead of `query`.',
        );
      }
      return;
    }
    if (params.documentId !== undefined && params.query !== undefined) throw badRequest('Send `documentId` or `query`, not both.');
    const document = documents.get(normalizeDocumentId(id));
    if (document === undefined) {
      // Development: a raw query that comes with a hash (an APQ client's retry) runs as a raw query, and is not remembered.
      if (params.query !== undefined && !required) return withoutPersistedQuery(params);
      throw new GatewayHttpError(400, GatewayErrorCode.PERSISTED_QUERY_NOT_FOUND, 'No persisted document has this id.');
    }
    if (params.query !== undefined && params.query !== document) throw badRequest('`query` is not the persisted document with this hash.');
    params.query = document;
    params.documentId = undefined;
    withoutPersistedQuery(params);
  }

  return {
    name: 'persisted-documents',
    documents: () => documents,
    resolve,
    async start() {
      if (!options.dir) return;
      documents = withBuiltIn(await loadPersistedDocuments(options.dir));
      logger.info({ dir: options.dir, documents: documents.size, required: options.requirePersistedDocuments ?? false }, 'persisted documents loaded');
      if (options.watch === false) return;
      watcher = watch(options.dir, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void reload(), options.watchDebounceMs ?? DEFAULT_PERSISTED_DOCUMENTS_DEBOUNCE_MS);
      });
      watcher.on('error', (error) => logger.error({ err: error, dir: options.dir }, 'cannot watch the persisted documents folder'));
    },
    async stop() {
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
    onParams(request, params) {
      resolve(params, request.context.userId);
    },
  };
}
