import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON-lines logger per process, named after the service. `pnpm start` turns the lines
 * into prefixed, readable output; in production they go to stdout as they are.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'password', '*.password', 'token', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
