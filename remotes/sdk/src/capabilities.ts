/**
 * What a mini-app may use of the shell, each requested in its registry entry. Anything not
 * requested is refused at run time with a {@link CapabilityError}.
 * - `session`: the signed-in user (id, handle, display name) and signing out
 * - `graphql`: the shell's one GraphQL client (queries, mutations, subscriptions as that user)
 * - `navigation`: moving between routes of the shell, its own and other mini-apps'
 * - `notifications`: showing a message in the shell's notification area
 * - `connectivity`: whether the app is online, offline or reconnecting, and how many actions wait
 * - `intents`: asking another mini-app to do something (share a product into a chat, pick a media asset, open a conversation)
 */
export const CAPABILITIES = ['session', 'graphql', 'navigation', 'notifications', 'connectivity', 'intents'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Stable codes of the SDK's errors. */
export const SdkErrorCode = {
  /** The mini-app used something its registry entry did not request. */
  CAPABILITY_NOT_GRANTED: 'CAPABILITY_NOT_GRANTED',
  /** No mini-app handles this intent (none is registered for it, or it is not loaded). */
  NO_INTENT_HANDLER: 'NO_INTENT_HANDLER',
  /** The user dismissed what the intent asked for (e.g. closed the media picker). */
  INTENT_CANCELLED: 'INTENT_CANCELLED',
  /** The registry document does not follow the registry format. */
  INVALID_REGISTRY: 'INVALID_REGISTRY',
} as const;
export type SdkErrorCode = (typeof SdkErrorCode)[keyof typeof SdkErrorCode];

/** An error of the SDK, with a stable `code`. */
export class SdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SdkError';
  }
}

/** Thrown when a mini-app uses a capability it did not request. */
export class CapabilityError extends SdkError {
  constructor(
    readonly appId: string,
    readonly capability: Capability,
  ) {
    super(SdkErrorCode.CAPABILITY_NOT_GRANTED, `The mini-app "${appId}" did not request the "${capability}" capability; add it to its registry entry.`);
    this.name = 'CapabilityError';
  }
}
