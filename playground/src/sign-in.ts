import { GRAPHQL_URL } from './playground-config';

/** Who is signed in to the playground, and the access token its requests carry. */
export interface PlaygroundUser {
  id: string;
  displayName: string;
  accessToken: string;
}

interface LogInResponse {
  data?: { logIn: { accessToken: string; user: { id: string; displayName: string } } } | null;
  errors?: { message: string }[];
}

/**
 * Signs in through the API's `logIn` mutation, sent as a persisted document: the gateway's
 * `PlaygroundLogIn`, by the id config.json names (`signInDocumentId`), so that it runs where only
 * persisted documents do (production).
 * @throws Error with the API's message (wrong password, rate limited, ...)
 */
export async function logIn(email: string, password: string, signInDocumentId: string): Promise<PlaygroundUser> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ documentId: signInDocumentId, variables: { email, password }, operationName: 'PlaygroundLogIn' }),
  });
  const body = (await response.json().catch(() => ({}))) as LogInResponse;
  const payload = body.data?.logIn;
  if (!payload) throw new Error(body.errors?.[0]?.message ?? `Signing in failed (HTTP ${response.status}).`);
  return { id: payload.user.id, displayName: payload.user.displayName, accessToken: payload.accessToken };
}
