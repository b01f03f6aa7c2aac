/**
 * Child process of the gateway throughput benchmark, scenario "domain": one of our four subgraphs
 * (BENCH_SUBGRAPH=accounts|comms|media|commerce) on a free port, on an in-memory PGlite database
 * seeded with the demo world, requiring requests signed with GATEWAY_SECRET as in production.
 * One process per subgraph, so that the four do not share one event loop.
 *
 * Reports `{ name, url }` to the parent over IPC. The accounts process also answers a `token`
 * message with a fresh access token of the demo user alice (the token `logIn` returns, issued by
 * the accounts service's own issuer: access tokens live 15 minutes, and a run may take longer).
 * Stops when the parent disconnects.
 */
import { startAccounts } from '@mega/accounts';
import { startCommerce } from '@mega/commerce';
import { startComms } from '@mega/comms';
import { startMedia } from '@mega/media';
import { DEMO_USERS, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createPgliteDatabase } from '@mega/test-utils';

export interface DomainSubgraphReady {
  name: string;
  url: string;
}

const name = process.env.BENCH_SUBGRAPH;
const secret = process.env.GATEWAY_SECRET;
if (!secret || !name || !process.send) throw new Error('Run by the gateway throughput benchmark (needs BENCH_SUBGRAPH, GATEWAY_SECRET and an IPC channel).');

const options: SubgraphStartOptions = { port: 0, host: '127.0.0.1', gatewaySecret: secret, database: createPgliteDatabase().options, seedDemoData: true };
let stopSubgraph: () => Promise<void>;
let url: string;
if (name === 'accounts') {
  const accounts = await startAccounts(options);
  ({ url } = accounts);
  stopSubgraph = () => accounts.stop();
  process.on('message', (message) => {
    if (message !== 'token') return;
    void accounts.services.tokens.issue(DEMO_USERS.alice.id).then(({ token }) => process.send!({ token }));
  });
} else {
  const start = { comms: startComms, media: startMedia, commerce: startCommerce }[name];
  if (!start) throw new Error(`BENCH_SUBGRAPH: no subgraph named ${name}`);
  const subgraph = await start(name === 'commerce' ? { ...options, fulfilmentStepMs: 0 } : options);
  ({ url } = subgraph);
  stopSubgraph = () => subgraph.stop();
}
process.send({ name, url } satisfies DomainSubgraphReady);

const stop = async () => {
  await stopSubgraph();
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
