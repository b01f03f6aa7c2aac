import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, ApolloServerValidationErrorCode } from '@apollo/server/errors';
import { BREAK, GraphQLError, visit, type DocumentNode, type FieldNode } from 'graphql';
import { DEMO_USERS, demoId } from '@mega/subgraph-kit/demo';
import type { GatewayContext } from '../context.js';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';
import { sendEmpty, sendJson } from '../http/responses.js';
import { resolveStaticPath, sendStaticFile } from '../http/static-files.js';
import type { Logger } from '../logger.js';
import type { VerifyAccessToken } from './auth.js';
import type { GatewayPlugin } from './plugin.js';

/** Where the playground is served; `/playground` redirects here, and so does a browser's GET of /graphql. */
export const PLAYGROUND_PATH = '/playground/';
/** The session cookie (HttpOnly, SameSite=Strict, Path=/playground, Secure over HTTPS). */
export const PLAYGROUND_SESSION_COOKIE = 'mega_playground';
/** How long a playground session lasts at most; never past the access token it was opened with. @default 1 hour */
export const DEFAULT_PLAYGROUND_SESSION_SECONDS = 3600;
/**
 * The Content-Security-Policy of every playground response: everything from the gateway itself
 * (no CDN), Monaco's inline styles, its workers, and `connect-src 'self'` for /graphql over HTTP
 * and WebSocket (same host).
 */
export const PLAYGROUND_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The playground's sign-in (`logIn`), a persisted document of the gateway's own while the
 * playground is on: the page sends it by id (`signInDocumentId` in config.json), so signing in
 * works where only persisted documents run (production).
 */
export const PLAYGROUND_SIGN_IN_DOCUMENT =
  'mutation PlaygroundLogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken user { id displayName } } }';

const SIGN_IN_DOCUMENT_ID = createHash('sha256').update(PLAYGROUND_SIGN_IN_DOCUMENT).digest('hex');

/** The playground's persisted documents: SHA-256 id (hex) -> text. */
export const PLAYGROUND_PERSISTED_DOCUMENTS: ReadonlyMap<string, string> = new Map([[SIGN_IN_DOCUMENT_ID, PLAYGROUND_SIGN_IN_DOCUMENT]]);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const IMMUTABLE_PRIVATE = 'private, max-age=31536000, immutable';

export interface PlaygroundOptions {
  /** Folder of the playground's build (`vite build` of playground/): index.html and assets/. */
  dir: string;
  /**
   * Only signed-in admins may load the IDE (production): the sign-in page (index.html and the
   * assets it names) is public, every other file needs the session cookie of a user in
   * `adminUserIds`, and POST /playground/session refuses other users with 403 FORBIDDEN.
   * Otherwise anyone may use it, signed in or not. @default false
   */
  adminsOnly?: boolean;
  /** User ids (the access token's `sub`, `User.id`) of the admins. @default [] */
  adminUserIds?: readonly string[];
  /** Offer the demo logins and fill the examples with demo ids. Never in production. @default false */
  demo?: boolean;
  /** @default DEFAULT_PLAYGROUND_SESSION_SECONDS */
  sessionSeconds?: number;
}

/** What the playground page reads from GET /playground/config.json. */
export interface PlaygroundPageConfig {
  adminsOnly: boolean;
  session: boolean;
  /** The id (`sha256:<hex>`) of {@link PLAYGROUND_SIGN_IN_DOCUMENT}, which the page's sign-in sends. */
  signInDocumentId: string;
  demoLogins: { displayName: string; email: string; password: string }[];
  demoIds: Record<string, string>;
}

interface PlaygroundDependencies {
  /** Signs the session cookie. */
  gatewaySecret: string;
  verifyToken: VerifyAccessToken;
  /** Served over HTTPS: the cookie is `Secure`. */
  secure: boolean;
  /**
   * The gateway answers introspection to everyone. When false, Apollo Server must answer it
   * (`introspection: introspection || introspectionForAdmins`) and this plugin's `apollo` hook refuses
   * it to all but the admins, with Apollo Server's own refusal.
   */
  introspection: boolean;
  logger: Logger;
}

/** Whether a document asks for `__schema` or `__type` (what Apollo Server's NoIntrospection rule refuses), anywhere in it. */
const introspective = new WeakMap<DocumentNode, boolean>();
function isIntrospective(document: DocumentNode): boolean {
  let found = introspective.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Field(node: FieldNode) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
        found = true;
        return BREAK;
      },
    });
    introspective.set(document, found);
  }
  return found;
}

/**
 * Apollo Server's refusal of introspection (its NoIntrospection validation rule): the same message,
 * code and HTTP status. It is raised per request (`didResolveOperation`), after validation, because
 * validated documents are cached for everyone.
 */
function introspectionDisabled(document: DocumentNode): GraphQLError {
  const fields: FieldNode[] = [];
  visit(document, {
    Field(node: FieldNode) {
      if (node.name.value === '__schema' || node.name.value === '__type') fields.push(node);
    },
  });
  return new GraphQLError(
    'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
    {
      nodes: fields.slice(0, 1),
      extensions: {
        http: { status: 400, headers: new HeaderMap() },
        validationErrorCode: ApolloServerValidationErrorCode.INTROSPECTION_DISABLED,
        code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
      },
    },
  );
}

/** Paths of the files index.html names (`/playground/assets/...`), relative to the build: the sign-in page. */
function assetsNamedBy(html: string): Set<string> {
  const names = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="\/playground\/([^"?#]+)"/g)) names.add(match[1]!);
  return names;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * The playground: a self-hosted GraphiQL (the playground/ package's build) at /playground/, with
 * GET /playground/config.json (what the page needs to know) and /playground/session (POST with
 * `Authorization: Bearer <access token>` opens a session cookie; DELETE ends it). Static files
 * are served only from `dir` (no path traversal, no dot-files), with their content type, hashed
 * assets as immutable, and {@link PLAYGROUND_CONTENT_SECURITY_POLICY}.
 */
export function usePlayground(options: PlaygroundOptions & PlaygroundDependencies): GatewayPlugin & {
  /**
   * Answers a request when it is the playground's: /playground and below, and a browser's GET of
   * /graphql (an HTML `Accept`, no operation in the query string), which is redirected to the playground.
   * @returns false when the request is not the playground's (nothing was sent)
   */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /**
   * Whether the user of a verified access token (`GatewayContext.userId`, never a header or the
   * playground's cookie) may run any operation: documents that are not persisted, and
   * introspection. True for the users in `adminUserIds` only.
   */
  mayRunAnyOperation(userId: string | null): boolean;
  /** Admins may introspect while the gateway refuses it to others: Apollo Server must then answer introspection (see `introspection`). */
  readonly introspectionForAdmins: boolean;
} {
  const root = path.resolve(options.dir);
  const adminsOnly = options.adminsOnly ?? false;
  const admins = new Set(options.adminUserIds ?? []);
  const mayRunAnyOperation = (userId: string | null) => userId !== null && admins.has(userId);
  const introspectionForAdmins = !options.introspection && admins.size > 0;
  const introspectionGuard: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (isIntrospective(document) && !mayRunAnyOperation(contextValue.userId)) throw introspectionDisabled(document);
        },
      };
    },
  };
  const sessionSeconds = options.sessionSeconds ?? DEFAULT_PLAYGROUND_SESSION_SECONDS;
  const key = createHmac('sha256', options.gatewaySecret).update('mega-app playground session').digest();
  /** index.html and the files it names (the sign-in page); read once the build is there. */
  let publicFiles: Set<string> | undefined;

  async function readPublicFiles(): Promise<Set<string> | undefined> {
    if (publicFiles) return publicFiles;
    const html = await readFile(path.join(root, 'index.html'), 'utf8').catch(() => undefined);
    if (html !== undefined) publicFiles = new Set(['index.html', ...assetsNamedBy(html)]);
    return publicFiles;
  }

  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

  /** The user of a valid, unexpired session cookie (who is still an admin where that matters), or undefined. */
  function sessionUser(req: IncomingMessage): string | undefined {
    const value = cookieValue(req.headers.cookie, PLAYGROUND_SESSION_COOKIE);
    const [user, expires, signature] = value?.split('.') ?? [];
    if (!user || !expires || !signature) return undefined;
    const expected = Buffer.from(sign(`${user}.${expires}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (Number(expires) * 1000 <= Date.now()) return undefined;
    const userId = Buffer.from(user, 'base64url').toString('utf8');
    return adminsOnly && !admins.has(userId) ? undefined : userId;
  }

  function sessionCookie(value: string, maxAgeSeconds: number): string {
    return `${PLAYGROUND_SESSION_COOKIE}=${value}; Path=/playground; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
  }

  async function openSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer +([\w.~+/-]+=*)$/i.exec((req.headers.authorization ?? '').trim())?.[1];
    if (!token) throw new GatewayHttpError(401, GatewayErrorCode.UNAUTHENTICATED, 'Send the access token: Authorization: Bearer <access token>.');
    const { userId, expiresAt } = await options.verifyToken(token, String(res.getHeader('x-request-id') ?? ''));
    if (adminsOnly && !admins.has(userId)) throw new GatewayHttpError(403, GatewayErrorCode.FORBIDDEN, 'The playground is for administrators only.');
    const maxAge = Math.max(1, Math.min(sessionSeconds, Math.floor((expiresAt - Date.now()) / 1000)));
    const expires = Math.floor(Date.now() / 1000) + maxAge;
    const user = Buffer.from(userId, 'utf8').toString('base64url');
    sendEmpty(res, 204, { 'set-cookie': sessionCookie(`${user}.${expires}.${sign(`${user}.${expires}`)}`, maxAge), 'cache-control': 'no-store' });
  }

  function pageConfig(req: IncomingMessage): PlaygroundPageConfig {
    const demo = options.demo ?? false;
    return {
      adminsOnly,
      session: sessionUser(req) !== undefined,
      signInDocumentId: `sha256:${SIGN_IN_DOCUMENT_ID}`,
      demoLogins: demo ? Object.values(DEMO_USERS).map(({ displayName, email, password }) => ({ displayName, email, password })) : [],
      demoIds: demo ? { conversation: demoId('conversation:alice-bob'), product: demoId('product:travel-mug') } : {},
    };
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, method: string, relative: string): Promise<void> {
    const name = relative === '' ? 'index.html' : relative;
    const file = resolveStaticPath(root, name);
    if (!file) throw new GatewayHttpError(404, GatewayErrorCode.NOT_FOUND, `No playground file ${relative}.`);
    const normalized = path.relative(root, file).split(path.sep).join('/');
    const isPublic = !adminsOnly || (await readPublicFiles())?.has(normalized) === true;
    if (!isPublic && !sessionUser(req)) throw new GatewayHttpError(403, GatewayErrorCode.FORBIDDEN, 'The playground is for administrators only: sign in on /playground/ first.');
    const cacheControl = !normalized.startsWith('assets/') ? 'no-cache' : isPublic ? IMMUTABLE : IMMUTABLE_PRIVATE;
    if (!(await sendStaticFile(res, file, method, cacheControl))) throw new GatewayHttpError(404, GatewayErrorCode.NOT_FOUND, `No playground file ${relative}.`);
  }

  return {
    name: 'playground',
    mayRunAnyOperation,
    introspectionForAdmins,
    ...(introspectionForAdmins ? { apollo: introspectionGuard } : {}),
    // The build may still be on its way (`pnpm start` builds it while the gateway starts): until then /playground/ answers 404.
    async start() {
      if (!(await readPublicFiles())) options.logger.warn({ dir: root }, 'the playground is not built yet (no index.html): /playground/ answers 404 until it is');
    },
    async handle(req, res, url) {
      const method = req.method ?? 'GET';
      if (url.pathname === '/graphql') {
        const browser = (method === 'GET' || method === 'HEAD') && /\btext\/html\b/i.test(req.headers.accept ?? '');
        const operation = ['query', 'documentId', 'extensions'].some((name) => url.searchParams.has(name));
        if (!browser || operation) return false;
        sendEmpty(res, 302, { location: PLAYGROUND_PATH, 'cache-control': 'no-store' });
        return true;
      }
      if (url.pathname !== '/playground' && !url.pathname.startsWith(PLAYGROUND_PATH)) return false;
      res.setHeader('content-security-policy', PLAYGROUND_CONTENT_SECURITY_POLICY);
      if (url.pathname === '/playground') {
        sendEmpty(res, 308, { location: PLAYGROUND_PATH });
        return true;
      }
      const relative = url.pathname.slice(PLAYGROUND_PATH.length);
      if (relative === 'session') {
        if (method === 'POST') await openSession(req, res);
        else if (method === 'DELETE') sendEmpty(res, 204, { 'set-cookie': sessionCookie('', 0), 'cache-control': 'no-store' });
        else throw new GatewayHttpError(405, GatewayErrorCode.BAD_REQUEST, 'POST opens a playground session, DELETE ends it.', { allow: 'POST, DELETE' });
        return true;
      }
      if (method !== 'GET' && method !== 'HEAD') throw new GatewayHttpError(405, GatewayErrorCode.BAD_REQUEST, 'The playground serves files: GET or HEAD.', { allow: 'GET, HEAD' });
      if (relative === 'config.json') {
        sendJson(res, 200, pageConfig(req), { 'cache-control': 'no-store' });
        return true;
      }
      await serveFile(req, res, method, relative);
      return true;
    },
  };
}
