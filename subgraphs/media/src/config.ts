import path from 'node:path';
import { z } from 'zod';
import { parseCorsOrigins, parseEnvironment, readSubgraphConfig, startOptionsFromConfig, type Logger, type SubgraphConfig } from '@mega/subgraph-kit';
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
  };
}
