import { createLogger, stopOnSignals } from '@mega/subgraph-kit';
import { accountsStartOptionsFromConfig, readAccountsConfig } from './config.js';
import { startAccounts } from './server.js';

const config = readAccountsConfig();
const logger = createLogger('accounts', config.logLevel);
const running = await startAccounts(accountsStartOptionsFromConfig(config, logger));
stopOnSignals(running.stop, logger);
