import { postGraphQL } from './signed-fetch.js';

/** A user's credentials, e.g. one of DEMO_USERS. */
export interface Credentials {
  email: string;
  password: string;
}

/** Signs `user` in through the gateway's `logIn`. @returns their access token */
export async function accessTokenFor(gatewayUrl: string, user: Credentials): Promise<string> {
  const response = await postGraphQL<{ logIn: { accessToken: string } }>(gatewayUrl, {
    query: 'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }',
    variables: { email: user.email, password: user.password },
  });
  if (!response.data) throw new Error(`${user.email} could not sign in: ${JSON.stringify(response.errors)}`);
  return response.data.logIn.accessToken;
}

/**
 * Runs an operation through the gateway as the holder of `token`: what the server has, not what a
 * page shows.
 * @throws when the response carries errors
 */
export async function queryAs<T>(gatewayUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await postGraphQL<T>(gatewayUrl, { query, variables }, { authorization: `Bearer ${token}` });
  if (response.errors || !response.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}
