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

/** The shell's table of intent handlers: one mini-app per intent type, the one the registry names. */
export interface IntentRouter {
  /**
   * Registers `appId` as the handler of `type` (a mini-app calls it when it loads).
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
  const handlers = new Map<IntentType, { appId: string; handler: IntentHandler<IntentType> }>();
  return {
    handle(appId, type, handler) {
      if (!handles(appId).includes(type)) {
        throw new SdkError(SdkErrorCode.CAPABILITY_NOT_GRANTED, `The mini-app "${appId}" may not handle "${type}": list it under "handles" in its registry entry.`);
      }
      const entry = { appId, handler: handler as unknown as IntentHandler<IntentType> };
      handlers.set(type, entry);
      return () => {
        if (handlers.get(type) === entry) handlers.delete(type);
      };
    },
    async dispatch(from, type, request) {
      const entry = handlers.get(type);
      if (!entry) throw new SdkError(SdkErrorCode.NO_INTENT_HANDLER, `No mini-app handles "${type}" right now.`);
      return (await entry.handler(request as never, from)) as never;
    },
  };
}
