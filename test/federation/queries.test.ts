import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';

interface Session {
  token: string;
  id: string;
}

async function signUp(federation: Federation, handle: string): Promise<Session> {
  const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(federation.gatewayUrl, {
    query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
    variables: { input: { email: `${handle}@example.com`, password: 'a long enough password', handle, displayName: `Name of ${handle}` } },
  });
  expect(result.errors).toBeUndefined();
  return { token: result.data!.signUp.accessToken, id: result.data!.signUp.user.id };
}

const as = (session: Session) => ({ authorization: `Bearer ${session.token}` });

describe('queries across subgraphs through the gateway', () => {
  let federation: Federation;
  let ann: Session;
  let ben: Session;
  let cat: Session;
  let conversationId: string;

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    [ann, ben, cat] = await Promise.all([signUp(federation, 'ann'), signUp(federation, 'ben'), signUp(federation, 'cat')]);
    const started = await postGraphQL<{ startConversation: { id: string } }>(
      federation.gatewayUrl,
      { query: 'mutation($ids: [ID!]!) { startConversation(memberIds: $ids, title: "Query counts") { id } }', variables: { ids: [ben.id, cat.id] } },
      as(ann),
    );
    conversationId = started.data!.startConversation.id;
    const senders = [ann, ben, cat];
    for (let i = 0; i < 60; i += 1) {
      const sent = await postGraphQL(
        federation.gatewayUrl,
        { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', variables: { input: { conversationId, body: `message ${i}` } } },
        as(senders[i % 3]!),
      );
      expect(sent.errors).toBeUndefined();
    }
  });
  afterAll(() => federation?.stop());

  const page = (first: number) => /* GraphQL */ `{
    conversation(id: "${'$ID'}") {
      members { handle }
      messages(first: ${first}) { edges { node { seq body sender { id handle displayName } } } }
    }
  }`;

  async function countQueries(first: number) {
    const before = { comms: federation.comms.database.queries.count, accounts: federation.accounts.database.queries.count };
    const result = await postGraphQL<{ conversation: { messages: { edges: { node: { sender: { handle: string } } }[] } } }>(
      federation.gatewayUrl,
      { query: page(first).replace('$ID', conversationId) },
      as(ann),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.conversation.messages.edges).toHaveLength(first);
    expect(new Set(result.data!.conversation.messages.edges.map((e) => e.node.sender.handle))).toEqual(new Set(['ann', 'ben', 'cat']));
    return {
      comms: federation.comms.database.queries.count - before.comms,
      accounts: federation.accounts.database.queries.count - before.accounts,
    };
  }

  it('loads a page of 50 messages with their senders in as many SQL queries as a page of 5', async () => {
    const small = await countQueries(5);
    const large = await countQueries(50);
    expect(large).toEqual(small);
    // One batched look-up per `_entities` fetch of the query plan: the members, and all 50 senders.
    expect(large.accounts).toBe(2);
    expect(large.comms).toBeLessThanOrEqual(4);
  });

  it('returns products with their images from media and prices from commerce in one request', async () => {
    const result = await postGraphQL<{ products: { edges: { node: { title: string; price: { formatted: string }; images: { url: string; owner: { handle: string } }[] } }[] } }>(
      federation.gatewayUrl,
      { query: '{ products(first: 8) { edges { node { title price { formatted } images { url owner { handle } } } } } }' },
    );
    expect(result.errors).toBeUndefined();
    const products = result.data!.products.edges.map((e) => e.node);
    expect(products).toHaveLength(8);
    for (const product of products) {
      expect(product.price.formatted).toMatch(/^\$\d+\.\d{2}$/);
      expect(product.images[0]?.url).toMatch(/\/files\//);
      expect(product.images[0]?.owner.handle).toBe('megashop');
    }
  });

  it('answers with the other subgraphs\' data and an error naming the one that is down when a whole root field fails', async () => {
    await federation.commerce.stop();
    const result = await postGraphQL<{ me: { handle: string } | null; products: unknown }>(
      federation.gatewayUrl,
      { query: '{ me { handle } products(first: 2) { edges { node { title } } } }' },
      as(ann),
    );
    expect(result.status).toBe(200);
    expect(result.data?.me?.handle).toBe('ann');
    expect(result.data?.products).toBeNull();
    expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'commerce']]);
  });
});
