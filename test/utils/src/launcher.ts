/** What the launchers (`pnpm start`, `pnpm start:cluster`) share: their settings from the environment, the secret, the demo logins, Ctrl-C. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_USERS } from '@mega/subgraph-kit/demo';

/** A development-only secret for gateway-to-subgraph signatures (GATEWAY_SECRET, else made once and kept in `dataDir`). */
export async function developmentSecret(dataDir: string): Promise<string> {
  if (process.env.GATEWAY_SECRET) return process.env.GATEWAY_SECRET;
  const file = path.join(dataDir, 'gateway-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A port from the environment variable `name`, or `fallback`; exits naming the variable when it is not a port. */
export function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    console.error(`${name}: "${value}" is not a port`);
    process.exit(1);
  }
  return Number(value);
}

/** WEB=0 (or false) leaves the web out. */
export const webEnabled = (): boolean => !['0', 'false'].includes(process.env.WEB ?? '');

/** The demo logins, one indented line each, for the launchers' banners. */
export const demoLoginLines = (): string =>
  Object.values(DEMO_USERS)
    .map((u) => `    ${u.email.padEnd(28)} ${u.password}`)
    .join('\n');

/** Ctrl-C (or SIGTERM) stops everything once and exits 0; a second one exits at once. */
export function stopOnCtrlC(stop: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log('\nStopping…');
      void stop().then(() => process.exit(0));
    });
  }
}
