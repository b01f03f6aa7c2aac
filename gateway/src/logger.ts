import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The gateway's JSON-lines logger (the same shape as the subgraphs'). Access tokens and the
 * identity signature never reach the logs.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name: 'gateway',
    level,
    base: { service: 'gateway' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
