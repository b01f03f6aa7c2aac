import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSchema as buildAccountsSchema } from '@mega/accounts';
import { pino } from 'pino';
import { composeSupergraph, type SubgraphSchema } from '../../compose.js';
import type { Logger } from '../../logger.js';
import { probeSdl } from './probe-subgraph.js';

/** The accounts subgraph's SDL, as `emit-schema` prints it. */
export async function accountsSdl(): Promise<string> {
  return printSubgraphSchema(await buildAccountsSchema());
}

/** Subgraph list for a supergraph of accounts (optional) and the probe at the given URLs. */
export async function testSubgraphs(urls: { accounts?: string; probe: string }, { withAddedField = false } = {}): Promise<SubgraphSchema[]> {
  const subgraphs: SubgraphSchema[] = [];
  if (urls.accounts) subgraphs.push({ name: 'accounts', url: urls.accounts, sdl: await accountsSdl() });
  subgraphs.push({ name: 'probe', url: urls.probe, sdl: probeSdl({ withAddedField }) });
  return subgraphs;
}

/** A temporary folder removed by `remove()`. */
export async function temporaryFolder(): Promise<{ path: string; file(name: string): string; remove(): Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'mega-gateway-'));
  return { path: folder, file: (name) => path.join(folder, name), remove: () => rm(folder, { recursive: true, force: true }) };
}

/** Composes `subgraphs` and writes the supergraph to `file`. */
export async function writeSupergraph(file: string, subgraphs: SubgraphSchema[]): Promise<void> {
  await writeFile(file, composeSupergraph(subgraphs));
}

/** A logger that keeps its records in memory (level 'debug'), for asserting on what was logged. */
export function memoryLogger(): { logger: Logger; records: { level: number; msg: string; [key: string]: unknown }[] } {
  const records: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void records.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, records };
}
