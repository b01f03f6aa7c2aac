export { mediaStartOptionsFromConfig, readMediaConfig, type MediaConfig } from './config.js';
export { FileLinks, filePath, SIGNED_URL_EXPIRY_STEP_SECONDS, SIGNED_URL_TTL_SECONDS, type FileVariant, type SignatureProblem } from './files/file-links.js';
export { PUBLIC_FILE_MAX_AGE_SECONDS } from './files/file.route.js';
export { assetFileKey, checkStorageKey, MemoryFileStorage, type FileStorage, type StoredFile } from './files/file-storage.js';
export { LocalDiskFileStorage } from './files/local-disk.storage.js';
export { buildSchema } from './schema.js';
export { mediaSubgraph, startMedia, type MediaStartOptions } from './server.js';
