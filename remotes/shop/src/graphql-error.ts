import { CombinedGraphQLErrors } from '@apollo/client';

/** The `extensions.code` of the first GraphQL error (`CONFLICT`, `BAD_USER_INPUT`, ...); undefined for a network failure. */
export function graphQLErrorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What to tell the user about a failed request: the server's message, or that it could not be reached. */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((graphQLError) => graphQLError.message).join(' ');
  return 'The shop cannot be reached; check the connection and try again.';
}
