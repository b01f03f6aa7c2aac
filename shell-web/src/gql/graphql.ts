/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A new account. */
export type SignUpInput = {
  /** 1 to 80 characters. */
  displayName: string;
  email: string;
  /** 3 to 30 of a-z, 0-9 and _; unique, case-insensitive. */
  handle: string;
  /** 8 to 256 characters. */
  password: string;
};

/** Fields to change; omitted ones stay as they are. */
export type UpdateProfileInput = {
  /** An https or http URL, or null to remove. */
  avatarUrl?: string | null | undefined;
  displayName?: string | null | undefined;
  /** The profile version the change was made on (User.version); CONFLICT (extensions.currentVersion, and the current profile in extensions.current) when it has changed since. Omitted: last write wins. */
  expectedVersion?: number | null | undefined;
  handle?: string | null | undefined;
};

export type EditableProfileFragment = { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null, version: number | null };

export type MyProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type MyProfileQuery = { __typename: 'Query', me: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null, version: number | null } | null };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { __typename: 'Mutation', updateProfile: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null, version: number | null } };

export type SessionAuthFragment = { __typename: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string, user: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null } };

export type LogInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LogInMutation = { __typename: 'Mutation', logIn: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string, user: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null } } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { __typename: 'Mutation', signUp: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string, user: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { __typename: 'Mutation', refreshSession: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string, user: { __typename: 'User', id: string, handle: string, displayName: string, avatarUrl: string | null } } };

export type LogOutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogOutMutation = { __typename: 'Mutation', logOut: boolean };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const EditableProfileFragmentDoc = new TypedDocumentString(`
    fragment EditableProfile on User {
  __typename
  id
  handle
  displayName
  avatarUrl
  version
}
    `, {"fragmentName":"EditableProfile"}) as unknown as TypedDocumentString<EditableProfileFragment, unknown>;
export const SessionAuthFragmentDoc = new TypedDocumentString(`
    fragment SessionAuth on AuthPayload {
  __typename
  accessToken
  refreshToken
  expiresAt
  user {
    __typename
    id
    handle
    displayName
    avatarUrl
  }
}
    `, {"fragmentName":"SessionAuth"}) as unknown as TypedDocumentString<SessionAuthFragment, unknown>;
export const MyProfileDocument = new TypedDocumentString(`
    query MyProfile {
  __typename
  me {
    __typename
    ...EditableProfile
  }
}
    fragment EditableProfile on User {
  __typename
  id
  handle
  displayName
  avatarUrl
  version
}`, {"hash":"sha256:cebd4b2d34b6b0719df90a8071db2dd33f6d9b0fed3b5500e794225a7ec64d27"}) as unknown as TypedDocumentString<MyProfileQuery, MyProfileQueryVariables>;
export const UpdateProfileDocument = new TypedDocumentString(`
    mutation UpdateProfile($input: UpdateProfileInput!) {
  __typename
  updateProfile(input: $input) {
    __typename
    ...EditableProfile
  }
}
    fragment EditableProfile on User {
  __typename
  id
  handle
  displayName
  avatarUrl
  version
}`, {"hash":"sha256:d7fbe926c403513308f20a9ff33838baf320483ab4b5340150aed147da13050b"}) as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($email: String!, $password: String!) {
  __typename
  logIn(email: $email, password: $password) {
    __typename
    ...SessionAuth
  }
}
    fragment SessionAuth on AuthPayload {
  __typename
  accessToken
  refreshToken
  expiresAt
  user {
    __typename
    id
    handle
    displayName
    avatarUrl
  }
}`, {"hash":"sha256:cf8dfec1c4a582f4aa37b72e19eab0552190bbd58c6a0070b837fc1a9c6f1edd"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  __typename
  signUp(input: $input) {
    __typename
    ...SessionAuth
  }
}
    fragment SessionAuth on AuthPayload {
  __typename
  accessToken
  refreshToken
  expiresAt
  user {
    __typename
    id
    handle
    displayName
    avatarUrl
  }
}`, {"hash":"sha256:0f213699ec6c496615df554b65dbf9993524088144aceb4cc7a47e4a6c010713"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  __typename
  refreshSession(refreshToken: $refreshToken) {
    __typename
    ...SessionAuth
  }
}
    fragment SessionAuth on AuthPayload {
  __typename
  accessToken
  refreshToken
  expiresAt
  user {
    __typename
    id
    handle
    displayName
    avatarUrl
  }
}`, {"hash":"sha256:2e787f503bce4f3e49ac2022bfadbd1e867ca8635569ee73462774ff066fdf5b"}) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut($refreshToken: String!) {
  __typename
  logOut(refreshToken: $refreshToken)
}
    `, {"hash":"sha256:d418d3b13372c86098af01bc345811f70d0235e1fb036480504a12dae8c0fce2"}) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;