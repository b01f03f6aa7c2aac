import { createLogger, stopOnSignals } from '@mega/subgraph-kit';
import { mediaStartOptionsFromConfig, readMediaConfig } from './config.js';
import { startMedia } from './server.js';

const config = readMediaConfig();
const logger = createLogger('media', config.logLevel);
const running = await startMedia(mediaStartOptionsFromConfig(config, logger));
stopOnSignals(running.stop, logger);
