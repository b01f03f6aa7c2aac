import path from 'node:path';
import { z } from 'zod';
import { parseEnvironment, readSubgraphConfig, startOptionsFromConfig, type Logger, type SubgraphConfig } from '@mega/subgraph-kit';
import type { MediaStartOptions } from './server.js';

const environment = z.object({
  MEDIA_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'MEDIA_PUBLIC_URL must be an http(s) URL' }).optional(),
  MEDIA_FILES_DIR: z.string().min(1).optional(),
});

/** Everything the media subgraph process reads from its environment. */
export interface MediaConfig extends SubgraphConfig {
  /** `MEDIA_PUBLIC_URL`: where clients reach `/files/...`. @default `http://<HOST>:<PORT>` */
  publicBaseUrl: string | undefined;
  /** `MEDIA_FILES_DIR`: where files are kept on disk. @default `<DATA_DIR>/media/files` */
  filesDir: string;
}

/** Reads the common subgraph settings plus the media ones. The only place media reads `process.env`. */
export function readMediaConfig(env: NodeJS.ProcessEnv = process.env): MediaConfig {
  const common = readSubgraphConfig('media', env);
  const parsed = parseEnvironment(environment, env);
  return {
    ...common,
    publicBaseUrl: parsed.MEDIA_PUBLIC_URL,
    filesDir: parsed.MEDIA_FILES_DIR ? path.resolve(parsed.MEDIA_FILES_DIR) : path.join(common.dataDir, 'files'),
  };
}

/** Maps the media configuration to start options. */
export function mediaStartOptionsFromConfig(config: MediaConfig, logger: Logger): MediaStartOptions {
  return { ...startOptionsFromConfig(config, logger), filesDir: config.filesDir, publicBaseUrl: config.publicBaseUrl };
}
