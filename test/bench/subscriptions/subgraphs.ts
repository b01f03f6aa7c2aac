/**
 * Child process of the fan-out benchmark: the four subgraphs in this one process on free ports,
 * each on an in-memory PGlite database with the demo world, plus one conversation of alice and
 * `BENCH_SUBSCRIBERS` more members. Bench fixture only: the conversation is written through the
 * comms store (the API caps members at CONVERSATION_MEMBERS_MAX) and the access tokens are issued
 * by the accounts service's own issuer (signing up thousands of users would hash thousands of
 * passwords). Reports `{ urls, conversationId, senderToken, tokens }` to the parent over IPC and
 * stops when the parent disconnects.
 */
import { randomUUID } from 'node:crypto';
import { startAccounts } from '@mega/accounts';
import { startCommerce } from '@mega/commerce';
import { startComms } from '@mega/comms';
import { startMedia } from '@mega/media';
import { DEMO_USERS, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createPgliteDatabase } from '@mega/test-utils';

export interface BenchWorld {
  urls: { accounts: string; comms: string; media: string; commerce: string };
  conversationId: string;
  /** alice's access token: she sends the messages. */
  senderToken: string;
  /** One access token per subscriber, each a different member. */
  tokens: string[];
}

const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
const secret = process.env.GATEWAY_SECRET;
if (!secret || !process.send) throw new Error('Run by fanout.ts (needs GATEWAY_SECRET and an IPC channel).');

const options = (): SubgraphStartOptions => ({ port: 0, host: '127.0.0.1', gatewaySecret: secret, database: createPgliteDatabase().options, seedDemoData: true });
const [accounts, comms, media, commerce] = await Promise.all([
  startAccounts(options()),
  startComms(options()),
  startMedia(options()),
  startCommerce({ ...options(), fulfilmentStepMs: 0 }),
]);

const members = Array.from({ length: subscribers }, () => randomUUID());
const conversationId = await comms.services.conversations.start({
  creatorId: DEMO_USERS.alice.id,
  memberIds: [DEMO_USERS.alice.id, ...members],
  title: `Fan-out bench (${subscribers + 1} members)`,
});
const issue = async (userId: string) => (await accounts.services.tokens.issue(userId)).token;
const world: BenchWorld = {
  urls: { accounts: accounts.url, comms: comms.url, media: media.url, commerce: commerce.url },
  conversationId,
  senderToken: await issue(DEMO_USERS.alice.id),
  tokens: await Promise.all(members.map(issue)),
};
process.send(world);

const stop = async () => {
  await Promise.all([accounts, comms, media, commerce].map((subgraph) => subgraph.stop()));
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
