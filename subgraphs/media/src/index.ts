export { mediaStartOptionsFromConfig, readMediaConfig, type MediaConfig } from './config.js';
export { FileLinks, filePath, SIGNED_URL_EXPIRY_STEP_SECONDS, SIGNED_URL_TTL_SECONDS, type FileVariant, type SignatureProblem } from './files/file-links.js';
export { PUBLIC_FILE_MAX_AGE_SECONDS } from './files/file.route.js';
export { assetFileKey, checkStorageKey, MemoryFileStorage, type FileStorage, type StoredFile } from './files/file-storage.js';
export { LocalDiskFileStorage } from './files/local-disk.storage.js';
export { buildSchema } from './schema.js';
export { mediaSubgraph, PARTIAL_UPLOADS_FOLDER, startMedia, type MediaParts, type MediaStartOptions } from './server.js';
export { acceptedMediaType, UPLOAD_MEDIA_TYPES, type UploadMediaType } from './upload/media-types.js';
export {
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_UPLOAD_LIMITS,
  DEFAULT_UPLOAD_QUOTA_BYTES,
  DEFAULT_UPLOAD_TOKEN_TTL_SECONDS,
  MAX_DECLARABLE_BYTES,
  type UploadLimits,
} from './upload/upload-limits.js';
export { UploadLinks, uploadPath, type UploadTokenProblem } from './upload/upload-links.js';
export { UPLOAD_EXPOSED_HEADERS } from './upload/upload.route.js';
export { sweepUploads, UPLOAD_SWEEP_INTERVAL_MS, type SweepResult } from './upload/upload-sweeper.js';
