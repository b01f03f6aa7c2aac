import { fileURLToPath } from 'node:url';
import { createLogger, openDatabase } from '@mega/subgraph-kit';
import { accountsStartOptionsFromConfig, readAccountsConfig } from './config.js';
import { createSigningKeyStore } from './server.js';
import { tables } from './store/tables.js';

/**
 * `pnpm --filter @mega/accounts rotate-signing-key`: makes the published next key the signing key
 * now, with the same environment as the subgraph. Safe while instances run on a PostgreSQL server;
 * with embedded PGlite, stop the subgraph first (one process per data directory).
 */
const config = readAccountsConfig();
const logger = createLogger('accounts', config.logLevel);
const options = accountsStartOptionsFromConfig(config, logger);
const database = await openDatabase({
  service: 'accounts',
  schema: tables,
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  url: options.database.url,
  dataDir: options.database.dataDir,
});
try {
  await database.migrate();
  const key = await createSigningKeyStore(database.db, options).rotateSigningKey();
  logger.info({ kid: key.kid, generation: key.generation }, 'signing key rotated; the previous key stays published until its tokens expire');
} finally {
  await database.close();
}
