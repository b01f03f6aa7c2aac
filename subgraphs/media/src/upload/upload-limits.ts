/** Largest `byteSize` that can be declared: `byteSize` is a GraphQL `Int` and an `integer` column. */
export const MAX_DECLARABLE_BYTES = 2_147_483_647;
/** Largest file one upload may hold. @default 50 MiB */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Bytes each user may store, counting READY and PENDING assets. @default 1 GiB */
export const DEFAULT_UPLOAD_QUOTA_BYTES = 1024 * 1024 * 1024;
/** How long an upload URL (its token) stays valid after `createUpload`; a PENDING asset older than this is swept. @default 24 hours */
export const DEFAULT_UPLOAD_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/** The limits `createUpload` and the upload endpoint enforce. */
export interface UploadLimits {
  /** `MAX_UPLOAD_BYTES`: largest declared `byteSize`, at most {@link MAX_DECLARABLE_BYTES}. @default DEFAULT_MAX_UPLOAD_BYTES */
  maxBytes: number;
  /** `UPLOAD_QUOTA_BYTES`: bytes per user, READY and PENDING assets together. @default DEFAULT_UPLOAD_QUOTA_BYTES */
  quotaBytes: number;
  /** `UPLOAD_TOKEN_TTL_SECONDS`: lifetime of an upload URL. @default DEFAULT_UPLOAD_TOKEN_TTL_SECONDS */
  tokenTtlSeconds: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = {
  maxBytes: DEFAULT_MAX_UPLOAD_BYTES,
  quotaBytes: DEFAULT_UPLOAD_QUOTA_BYTES,
  tokenTtlSeconds: DEFAULT_UPLOAD_TOKEN_TTL_SECONDS,
};
