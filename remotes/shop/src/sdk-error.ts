import { SdkErrorCode } from '@mega/mini-app-sdk';

/** The `code` of an SdkError (by its code rather than its class: the asker and the shell may not share a copy of the SDK). */
export function sdkErrorCode(error: unknown): SdkErrorCode | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return Object.values(SdkErrorCode).find((known) => known === code);
}
