export { CAPABILITIES, CapabilityError, SdkError, SdkErrorCode, type Capability } from './capabilities.js';
export {
  createIntentRouter,
  INTENT_PRESENTATION,
  INTENT_TYPES,
  type AnyPendingIntent,
  type IntentHandler,
  type IntentMap,
  type IntentRouter,
  type IntentType,
  type PendingIntent,
} from './intents.js';
export {
  createMiniAppContext,
  type ConnectivityApi,
  type ConnectivityStatus,
  type MiniAppContext,
  type MiniAppProps,
  type NavigationApi,
  type Notification,
  type NotificationsApi,
  type SessionApi,
  type SessionUser,
  type ShellServices,
} from './mini-app-context.js';
export { OUTBOX_KEY, registerOutboxOperation, type OutboxDocument, type OutboxEdit, type OutboxOperation } from './outbox.js';
export { compatibility, MAX_REGISTRY_APPS, miniAppEntrySchema, parseRegistry, registrySchema, type MiniAppEntry, type Registry } from './registry.js';
export { checkSdkRange, isSemverRange, SDK_VERSION } from './version.js';
export { MINI_APP_EXPOSE, SHARED } from './federation.js';
