/** A demo account the sign-in helper offers (outside production only). */
export interface DemoLogin {
  displayName: string;
  email: string;
  password: string;
}

/**
 * What the gateway tells the playground page (GET /playground/config.json): whether only signed-in
 * admins may use it, the demo logins and the demo ids the examples fill in (both empty in production).
 */
export interface PlaygroundConfig {
  /** Production: the IDE loads only after an admin has signed in (the gateway's session cookie). */
  adminsOnly: boolean;
  /** Whether this browser already holds a playground session (the HttpOnly cookie the page cannot read). */
  session: boolean;
  /** The id (`sha256:<hex>`) of the gateway's persisted sign-in document (`PlaygroundLogIn`), which the sign-in sends. */
  signInDocumentId: string;
  demoLogins: DemoLogin[];
  /** Ids of demo data for the examples' variables, e.g. `conversation` (Alice and Bob's); none in production. */
  demoIds: Record<string, string>;
}

/** The playground's own URLs, on the gateway's origin: the page is served under /playground/. */
export const GRAPHQL_URL = new URL('/graphql', window.location.href).toString();
export const GRAPHQL_WS_URL = GRAPHQL_URL.replace(/^http/, 'ws');
const CONFIG_URL = new URL('/playground/config.json', window.location.href).toString();
const SESSION_URL = new URL('/playground/session', window.location.href).toString();

export async function fetchPlaygroundConfig(): Promise<PlaygroundConfig> {
  const response = await fetch(CONFIG_URL, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`The playground's settings cannot be read (HTTP ${response.status}).`);
  return (await response.json()) as PlaygroundConfig;
}

/**
 * Hands the access token to the gateway, which answers with the playground's session cookie when
 * the user may use the playground (an admin in production; anyone signed in elsewhere).
 * @throws Error with the gateway's message when it refuses (403 for a user who is not an admin)
 */
export async function openPlaygroundSession(accessToken: string): Promise<void> {
  const response = await fetch(SESSION_URL, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, credentials: 'same-origin' });
  if (response.ok) return;
  const body = (await response.json().catch(() => undefined)) as { errors?: { message?: string }[] } | undefined;
  throw new Error(body?.errors?.[0]?.message ?? `The playground session was refused (HTTP ${response.status}).`);
}

/** Ends the playground session (the gateway expires its cookie). */
export async function closePlaygroundSession(): Promise<void> {
  await fetch(SESSION_URL, { method: 'DELETE', credentials: 'same-origin' });
}
