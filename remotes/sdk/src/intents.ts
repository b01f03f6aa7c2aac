import { SdkError, SdkErrorCode } from './capabilities.js';

/**
 * What one mini-app may ask of another, with what the asker gets back. A mini-app that handles an
 * intent lists its type under `handles` in its registry entry.
 */
export interface IntentMap {
  /** Share a product into a conversation the user picks (chat); resolves with where it was sent. */
  'share-product': { request: { productId: string }; result: { conversationId: string; messageId: string } };
  /** Let the user pick one of their media assets (media); resolves with its id. */
  'pick-media': { request: { kinds?: readonly ('IMAGE' | 'AUDIO' | 'VIDEO')[] }; result: { assetId: string } };
  /** Open a conversation (chat). */
  'open-conversation': { request: { conversationId: string }; result: void };
}
export type IntentType = keyof IntentMap;
export const INTENT_TYPES = ['share-product', 'pick-media', 'open-conversation'] as const satisfies readonly IntentType[];

export type IntentHandler<K extends IntentType> = (request: IntentMap[K]['request'], from: string) => Promise<IntentMap[K]['result']>;

/**
 * How the shell shows the mini-app that handles an intent: `dialog`, over the asker (a picker that
 * answers and closes), or `page`, the handler's own route in the main slot (the asker is left).
 */
export const INTENT_PRESENTATION = {
  'share-product': 'dialog',
  'pick-media': 'dialog',
  'open-conversation': 'page',
} as const satisfies Record<IntentType, 'dialog' | 'page'>;

/**
 * An intent the shell asks a mini-app to answer: given to the handler's root component as its
 * `intent` prop. The handler calls `resolve` with the result, or `cancel` when the user dismisses
 * it (the asker then gets INTENT_CANCELLED); either ends the intent (a dialog closes).
 */
export interface PendingIntent<K extends IntentType = IntentType> {
  readonly type: K;
  readonly request: IntentMap[K]['request'];
  /** The id of the mini-app that asked. */
  readonly from: string;
  resolve(result: IntentMap[K]['result']): void;
  cancel(): void;
}

/** A {@link PendingIntent} of any type, narrowed by its `type`. */
export type AnyPendingIntent = { [K in IntentType]: PendingIntent<K> }[IntentType];

/** The shell's table of intent handlers: one mini-app per intent type, the one the registry names. */
export interface IntentRouter {
  /**
   * Registers `appId` as the handler of `type`: the shell does so for each registry entry (showing
   * the app per {@link INTENT_PRESENTATION}); a loaded mini-app may take over while it is loaded.
   * The latest handler answers; removing it brings back the one before.
   * @returns removes the handler (when the mini-app unloads)
   * @throws SdkError CAPABILITY_NOT_GRANTED when the registry does not list `type` under the app's `handles`
   */
  handle<K extends IntentType>(appId: string, type: K, handler: IntentHandler<K>): () => void;
  /**
   * Asks the handler of `type` on behalf of `from`.
   * @throws SdkError NO_INTENT_HANDLER when no loaded mini-app handles it; whatever the handler throws
   * (INTENT_CANCELLED when the user dismissed it)
   */
  dispatch<K extends IntentType>(from: string, type: K, request: IntentMap[K]['request']): Promise<IntentMap[K]['result']>;
}

/**
 * @param handles which intent types each mini-app may handle (from the registry)
 */
export function createIntentRouter(handles: (appId: string) => readonly IntentType[]): IntentRouter {
  const handlers = new Map<IntentType, { appId: string; handler: IntentHandler<IntentType> }[]>();
  return {
    handle(appId, type, handler) {
      if (!handles(appId).includes(type)) {
        throw new SdkError(SdkErrorCode.CAPABILITY_NOT_GRANTED, `The mini-app "${appId}" may not handle "${type}": list it under "handles" in its registry entry.`);
      }
      const entry = { appId, handler: handler as unknown as IntentHandler<IntentType> };
      const stack = handlers.get(type) ?? [];
      handlers.set(type, [...stack, entry]);
      return () => handlers.set(type, (handlers.get(type) ?? []).filter((other) => other !== entry));
    },
    async dispatch(from, type, request) {
      const entry = handlers.get(type)?.at(-1);
      if (!entry) throw new SdkError(SdkErrorCode.NO_INTENT_HANDLER, `No mini-app handles "${type}" right now.`);
      return (await entry.handler(request as never, from)) as never;
    },
  };
}
