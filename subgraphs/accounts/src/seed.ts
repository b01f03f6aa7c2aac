import { hash } from '@node-rs/argon2';
import { DEMO_USERS, type Logger } from '@mega/subgraph-kit';
import type { AccountsServices } from './context.js';

/** Creates the demo users (known passwords, printed by `pnpm start`) when the database is empty. */
export async function seedAccounts(services: AccountsServices, logger: Logger): Promise<void> {
  if ((await services.users.count()) > 0) return;
  for (const user of Object.values(DEMO_USERS)) {
    await services.users.create({
      id: user.id,
      email: user.email,
      handle: user.handle,
      displayName: user.displayName,
      passwordHash: await hash(user.password),
    });
  }
  logger.info({ users: Object.keys(DEMO_USERS).length }, 'seeded demo users');
}
