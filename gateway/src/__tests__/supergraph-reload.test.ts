import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { postGraphQL, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../app.js';
import { composeSupergraph } from '../compose.js';
import { memoryLogger, temporaryFolder, testSubgraphs } from './support/harness.js';
import { startProbeSubgraph, type ProbeSubgraph } from './support/probe-subgraph.js';

describe('supergraph hot reload', () => {
  let probe: ProbeSubgraph;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let before: string;
  let after: string;
  const gateways: Gateway[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    [probe, folder] = await Promise.all([startProbeSubgraph(), temporaryFolder()]);
    before = composeSupergraph(await testSubgraphs({ probe: probe.url }));
    after = composeSupergraph(await testSubgraphs({ probe: probe.url }, { withAddedField: true }));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await Promise.all([probe?.stop(), folder?.remove()]);
  });

  async function start(supergraph: string, options: Partial<Parameters<typeof createGateway>[0]> = {}) {
    const gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      supergraph,
      supergraphWatchDebounceMs: 10,
      logger: memoryLogger().logger,
      ...options,
    });
    gateways.push(gateway);
    return gateway.start();
  }

  const askAdded = (url: string) => postGraphQL<{ added: string }>(url, { query: '{ added }' });

  it('serves a field added to the supergraph file without a restart, finishing requests in flight', async () => {
    const file = folder.file('reload.graphql');
    await writeFile(file, before);
    const { logger, records } = memoryLogger();
    const { url } = await start(file, { logger });
    expect((await askAdded(url)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const inFlight = postGraphQL<{ slow: string }>(url, { query: '{ slow(id: "reload") }' });
    await expect.poll(() => probe.isWaiting('reload')).toBe(true);
    await writeFile(file, after);
    await expect.poll(() => records.some((record) => record.msg === 'supergraph reloaded')).toBe(true);
    expect((await askAdded(url)).data).toEqual({ added: 'added' });
    probe.release('reload');
    expect((await inFlight).data).toEqual({ slow: 'reload' });
  });

  it('logs and ignores an invalid supergraph, keeping the previous one', async () => {
    const file = folder.file('invalid.graphql');
    await writeFile(file, after);
    const { logger, records } = memoryLogger();
    const { url } = await start(file, { logger });
    await writeFile(file, 'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query } type Query { broken: Nope }');
    await expect.poll(() => records.some((record) => record.msg.startsWith('ignored an invalid supergraph'))).toBe(true);
    expect((await askAdded(url)).data).toEqual({ added: 'added' });
  });

  it('polls a supergraph URL and switches when it changes', async () => {
    let served = before;
    const server = createServer((_req, res) => res.end(served));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { logger, records } = memoryLogger();
    const { url } = await start(`http://127.0.0.1:${(server.address() as AddressInfo).port}/supergraph.graphql`, {
      supergraphPollIntervalMs: 20,
      logger,
    });
    expect((await askAdded(url)).status).toBe(400);
    served = after;
    await expect.poll(() => records.some((record) => record.msg === 'supergraph reloaded')).toBe(true);
    expect((await askAdded(url)).data).toEqual({ added: 'added' });
  });

  it('refuses to start on a supergraph file that is missing or invalid', async () => {
    await expect(start(folder.file('missing.graphql'))).rejects.toThrow(/ENOENT/);
    const invalid = folder.file('garbage.graphql');
    await writeFile(invalid, 'type Query { nope: String }');
    await expect(start(invalid)).rejects.toThrow();
  });
});
