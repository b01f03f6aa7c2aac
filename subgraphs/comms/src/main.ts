import { createLogger, readSubgraphConfig, startOptionsFromConfig, stopOnSignals } from '@mega/subgraph-kit';
import { startComms } from './server.js';

const config = readSubgraphConfig('comms');
const logger = createLogger('comms', config.logLevel);
const running = await startComms(startOptionsFromConfig(config, logger));
stopOnSignals(running.stop, logger);
