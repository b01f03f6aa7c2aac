import path from 'node:path';
import { z } from 'zod';
import { parseCorsOrigins, parseEnvironment, readSubgraphConfig, startOptionsFromConfig, type Logger, type SubgraphConfig } from '@mega/subgraph-kit';
import type { S3StorageOptions } from './files/s3.storage.js';
import type { MediaStartOptions } from './server.js';
import { DEFAULT_UPLOAD_LIMITS, MAX_DECLARABLE_BYTES, type UploadLimits } from './upload/upload-limits.js';

/** Upload URLs must live long enough to be used at all. */
const MIN_UPLOAD_TOKEN_TTL_SECONDS = 60;

const environment = z.object({
  MEDIA_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'MEDIA_PUBLIC_URL must be an http(s) URL' }).optional(),
  MEDIA_FILES_DIR: z.string().min(1).optional(),
  MAX_UPLOAD_BYTES: z.coerce
    .number({ error: 'MAX_UPLOAD_BYTES must be a number of bytes' })
    .int()
    .min(1)
    .max(MAX_DECLARABLE_BYTES, `MAX_UPLOAD_BYTES must be at most ${MAX_DECLARABLE_BYTES} (byteSize is a 32-bit Int)`)
    .default(DEFAULT_UPLOAD_LIMITS.maxBytes),
  UPLOAD_QUOTA_BYTES: z.coerce.number({ error: 'UPLOAD_QUOTA_BYTES must be a number of bytes' }).int().min(0).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_UPLOAD_LIMITS.quotaBytes),
  UPLOAD_TOKEN_TTL_SECONDS: z.coerce
    .number({ error: 'UPLOAD_TOKEN_TTL_SECONDS must be a number of seconds' })
    .int()
    .min(MIN_UPLOAD_TOKEN_TTL_SECONDS, `UPLOAD_TOKEN_TTL_SECONDS must be at least ${MIN_UPLOAD_TOKEN_TTL_SECONDS}`)
    .default(DEFAULT_UPLOAD_LIMITS.tokenTtlSeconds),
  CORS_ORIGINS: z.string().optional(),
  MEDIA_STORAGE: z.enum(['disk', 's3'], { error: 'MEDIA_STORAGE must be disk or s3' }).default('disk'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'S3_ENDPOINT must be an http(s) URL' }).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], { error: 'S3_FORCE_PATH_STYLE must be true or false' }).default('false'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_KEY_PREFIX: z.string().regex(/^([A-Za-z0-9][A-Za-z0-9._-]*\/)*$/, 'S3_KEY_PREFIX must be empty or folder names each ending in /').default(''),
});

/** Everything the media subgraph process reads from its environment. */
export interface MediaConfig extends SubgraphConfig {
  /** `MEDIA_PUBLIC_URL`: where clients reach `/files/...` and `/uploads/...`. @default `http://<HOST>:<PORT>` */
  publicBaseUrl: string | undefined;
  /** `MEDIA_FILES_DIR`: where files are kept on disk; uploads in progress in its `.uploads` folder. @default `<DATA_DIR>/media/files` */
  filesDir: string;
  /** `MAX_UPLOAD_BYTES`, `UPLOAD_QUOTA_BYTES`, `UPLOAD_TOKEN_TTL_SECONDS`. @default DEFAULT_UPLOAD_LIMITS (50 MiB, 1 GiB, 24 h) */
  uploadLimits: UploadLimits;
  /**
   * `CORS_ORIGINS`: browser origins whose pages may upload and read files; the same variable and
   * default as the gateway's. @default DEFAULT_DEVELOPMENT_CORS_ORIGINS outside production, none in production
   */
  corsOrigins: string[];
  /**
   * `MEDIA_STORAGE=s3` and the `S3_*` variables: the files go to this bucket instead of
   * `filesDir` (uploads in progress stay in `filesDir/.uploads`). @default undefined: on disk
   */
  s3: S3StorageOptions | undefined;
}

/** The S3 settings, when MEDIA_STORAGE is s3; fails naming what is missing. */
function readS3Options(parsed: z.infer<typeof environment>): S3StorageOptions | undefined {
  if (parsed.MEDIA_STORAGE !== 's3') return undefined;
  const problems: string[] = [];
  if (!parsed.S3_BUCKET) problems.push('S3_BUCKET is required when MEDIA_STORAGE=s3');
  if (Boolean(parsed.S3_ACCESS_KEY_ID) !== Boolean(parsed.S3_SECRET_ACCESS_KEY)) problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    bucket: parsed.S3_BUCKET!,
    region: parsed.S3_REGION,
    endpoint: parsed.S3_ENDPOINT,
    forcePathStyle: parsed.S3_FORCE_PATH_STYLE === 'true',
    credentials: parsed.S3_ACCESS_KEY_ID && parsed.S3_SECRET_ACCESS_KEY ? { accessKeyId: parsed.S3_ACCESS_KEY_ID, secretAccessKey: parsed.S3_SECRET_ACCESS_KEY } : undefined,
    keyPrefix: parsed.S3_KEY_PREFIX,
  };
}

/** Reads the common subgraph settings plus the media ones. The only place media reads `process.env`. */
export function readMediaConfig(env: NodeJS.ProcessEnv = process.env): MediaConfig {
  const common = readSubgraphConfig('media', env);
  const parsed = parseEnvironment(environment, env);
  const cors = parseCorsOrigins(parsed.CORS_ORIGINS, common.env === 'production');
  if (cors.problems.length > 0) throw new Error(`Invalid configuration:\n${cors.problems.join('\n')}`);
  return {
    ...common,
    publicBaseUrl: parsed.MEDIA_PUBLIC_URL,
    filesDir: parsed.MEDIA_FILES_DIR ? path.resolve(parsed.MEDIA_FILES_DIR) : path.join(common.dataDir, 'files'),
    uploadLimits: { maxBytes: parsed.MAX_UPLOAD_BYTES, quotaBytes: parsed.UPLOAD_QUOTA_BYTES, tokenTtlSeconds: parsed.UPLOAD_TOKEN_TTL_SECONDS },
    corsOrigins: cors.origins,
    s3: readS3Options(parsed),
  };
}

/** Maps the media configuration to start options. */
export function mediaStartOptionsFromConfig(config: MediaConfig, logger: Logger): MediaStartOptions {
  return {
    ...startOptionsFromConfig(config, logger),
    filesDir: config.filesDir,
    publicBaseUrl: config.publicBaseUrl,
    uploadLimits: config.uploadLimits,
    corsOrigins: config.corsOrigins,
    s3: config.s3,
  };
}
