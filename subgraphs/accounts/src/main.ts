import { createLogger, readSubgraphConfig, startOptionsFromConfig, stopOnSignals } from '@mega/subgraph-kit';
import { startAccounts } from './server.js';

const config = readSubgraphConfig('accounts');
const logger = createLogger('accounts', config.logLevel);
const running = await startAccounts(startOptionsFromConfig(config, logger));
stopOnSignals(running.stop, logger);
