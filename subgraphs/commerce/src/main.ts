import { createLogger, stopOnSignals } from '@mega/subgraph-kit';
import { commerceStartOptionsFromConfig, readCommerceConfig } from './config.js';
import { startCommerce } from './server.js';

const config = readCommerceConfig();
const logger = createLogger('commerce', config.logLevel);
const running = await startCommerce(commerceStartOptionsFromConfig(config, logger));
stopOnSignals(running.stop, logger);
