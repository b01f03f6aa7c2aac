import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, postGraphQL, querySubgraph, startFederation, type Federation, type GraphQLResponse } from '@mega/test-utils';

/**
 * Authorization across the federation. The owner (the seeded demo user Alice) has a conversation
 * with a partner, a message in it, an order, a non-empty cart and PRIVATE media. Another signed-in
 * user (the intruder) and anonymous callers must neither read nor change any of it: through the
 * gateway, and directly at each subgraph's `_entities` with a gateway-signed identity. Unsigned or
 * forged requests to a subgraph are refused outright. The owner reading all of it is the control.
 */

interface Session {
  id: string;
  token: string;
}

interface Connection<T> {
  edges: { node: T }[];
}

interface Asset {
  id: string;
  title: string;
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE';
  url: string | null;
}

type Viewer = Session | null;

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }
`;
const LOG_IN = /* GraphQL */ `
  mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken user { id } } }
`;
const START_CONVERSATION = /* GraphQL */ `
  mutation Start($memberIds: [ID!]!, $title: String) { startConversation(memberIds: $memberIds, title: $title) { id members { id } } }
`;
const SEND_MESSAGE = /* GraphQL */ `
  mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id seq body
      attachments { __typename ... on MediaAsset { id title visibility url thumbnailUrl } }
    }
  }
`;
const MARK_READ = /* GraphQL */ `
  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) { id unreadCount } }
`;
const ADD_TO_CART = /* GraphQL */ `
  mutation Add($productId: ID!, $quantity: Int!) { addToCart(productId: $productId, quantity: $quantity) { itemCount } }
`;
const CHECKOUT = /* GraphQL */ `
  mutation Checkout($clientMutationId: String!) { checkout(clientMutationId: $clientMutationId) { id status } }
`;
const CANCEL_ORDER = /* GraphQL */ `
  mutation Cancel($orderId: ID!) { cancelOrder(orderId: $orderId) { id status } }
`;
const UPDATE_MEDIA = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateMediaAssetInput!) { updateMediaAsset(id: $id, input: $input) { id title visibility } }
`;
const DELETE_MEDIA = /* GraphQL */ `
  mutation Delete($id: ID!) { deleteMediaAsset(id: $id) }
`;
const CONVERSATION = /* GraphQL */ `
  query Conversation($id: ID!) {
    conversation(id: $id) { id title unreadCount members { id } lastMessage { id body } messages(first: 100) { edges { node { id seq body } } } }
  }
`;
const LAST_ATTACHMENTS = /* GraphQL */ `
  query LastAttachments($id: ID!) {
    conversation(id: $id) { lastMessage { id attachments { __typename ... on MediaAsset { id title visibility url thumbnailUrl } } } }
  }
`;
const ORDER = /* GraphQL */ `
  query Order($id: ID!) { order(id: $id) { id status total { amountCents } items { quantity product { id } } } }
`;
const CART = /* GraphQL */ `
  query Cart { cart { version itemCount items { quantity product { id } } } }
`;
const MEDIA_ASSET = /* GraphQL */ `
  query Asset($id: ID!) { mediaAsset(id: $id) { id title visibility url thumbnailUrl owner { id } } }
`;
const USER_PRIVATE_FIELDS = /* GraphQL */ `
  query UserPrivate($id: ID!) {
    user(id: $id) {
      id handle email
      conversations(first: 100) { edges { node { id title } } }
      cart { itemCount items { quantity } }
      orders(first: 100) { edges { node { id status } } }
      media(first: 100) { edges { node { id title visibility url } } }
    }
  }
`;
/** Everything of the owner's that the intruder goes after, as the owner sees it. */
const OWNER_STATE = /* GraphQL */ `
  query OwnerState($conversationId: ID!, $orderId: ID!) {
    conversation(id: $conversationId) {
      id title unreadCount members { id } lastMessage { seq }
      messages(first: 100) { edges { node { id seq body sender { id } } } }
    }
    cart { version itemCount items { quantity product { id } } }
    order(id: $orderId) { id status total { amountCents } items { quantity product { id } } }
    myMedia(first: 100) { edges { node { id title visibility } } }
  }
`;

const COMMS_ENTITIES = /* GraphQL */ `
  query CommsEntities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Conversation { id title unreadCount members { id } lastMessage { body } messages(first: 10) { edges { node { id body } } } }
      ... on Message { id seq body conversation { id } }
      ... on User { id conversations(first: 10) { edges { node { id title } } } }
    }
  }
`;
const COMMERCE_ENTITIES = /* GraphQL */ `
  query CommerceEntities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Order { id status total { amountCents } items { quantity } }
      ... on User { id cart { itemCount items { quantity } } orders(first: 10) { edges { node { id status } } } }
    }
  }
`;
const MEDIA_ENTITIES = /* GraphQL */ `
  query MediaEntities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on MediaAsset { id title visibility url thumbnailUrl }
      ... on User { id media(first: 100) { edges { node { id title visibility } } } }
    }
  }
`;
const ACCOUNTS_ENTITIES = /* GraphQL */ `
  query AccountsEntities($representations: [_Any!]!) {
    _entities(representations: $representations) { __typename ... on User { id handle email } }
  }
`;

let federation: Federation;
/** A: the seeded demo user Alice, who owns two PRIVATE photos and a cart. */
let owner: Session;
/** B: a signed-up user who is in none of the owner's things. */
let intruder: Session;
/** C: a signed-up user who shares a conversation with the owner. */
let partner: Session;

let conversationId: string;
let messageId: string;
const messageBody = `Meet me at the usual place, ${randomUUID()}`;
let orderId: string;
/** The clientMutationIds the owner used: another user replaying them must not get the owner's results. */
const ownerMessageMutationId = randomUUID();
const ownerCheckoutMutationId = randomUUID();
/** The owner's two PRIVATE demo photos, by title. */
let privateAssets: Asset[];
/** The owner's PUBLIC avatar. */
let publicAsset: Asset;
let ownerStateBefore: unknown;
let partnerStateBefore: unknown;

function request<T>(viewer: Viewer, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const auth: Record<string, string> = viewer ? { authorization: `Bearer ${viewer.token}` } : {};
  return postGraphQL<T>(federation.gatewayUrl, { query, ...(variables ? { variables } : {}) }, { ...auth, ...headers });
}

/** Runs an operation that must succeed and returns its data. */
async function succeed<T>(viewer: Viewer, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await request<T>(viewer, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(result.data).toBeTruthy();
  return result.data!;
}

/** The code and path of every error, to compare with the expected ones. */
function failures(result: GraphQLResponse<unknown>) {
  return (result.errors ?? []).map((error) => ({ code: error.extensions?.code, path: error.path }));
}

/** Strings only the owner may ever see: none of them may appear in a response to anybody else. */
function ownerSecrets(): string[] {
  return [messageBody, DEMO_USERS.alice.email, ...privateAssets.map((asset) => asset.title)];
}

/** Checks the whole body: data, errors and extensions (the gateway's `valueCompletion`, for one). */
function expectNothingPrivate(result: GraphQLResponse<unknown>) {
  const { headers: _headers, ...body } = result;
  const text = JSON.stringify(body);
  for (const secret of ownerSecrets()) expect(text).not.toContain(secret);
}

async function signUp(handle: string): Promise<Session> {
  const data = await succeed<{ signUp: { accessToken: string; user: { id: string } } }>(null, SIGN_UP, {
    input: { email: `${handle}@example.com`, password: 'correct horse battery staple', handle, displayName: handle },
  });
  return { id: data.signUp.user.id, token: data.signUp.accessToken };
}

async function readOwnerState() {
  return succeed(owner, OWNER_STATE, { conversationId, orderId });
}

async function readPartnerState() {
  return succeed(partner, CONVERSATION, { id: conversationId });
}

beforeAll(async () => {
  federation = await startFederation({ seed: true });

  const login = await succeed<{ logIn: { accessToken: string; user: { id: string } } }>(null, LOG_IN, {
    email: DEMO_USERS.alice.email,
    password: DEMO_USERS.alice.password,
  });
  owner = { id: login.logIn.user.id, token: login.logIn.accessToken };
  expect(owner.id).toBe(DEMO_USERS.alice.id);
  [intruder, partner] = await Promise.all([signUp('intruder_b'), signUp('partner_c')]);

  const started = await succeed<{ startConversation: { id: string } }>(owner, START_CONVERSATION, { memberIds: [partner.id] });
  conversationId = started.startConversation.id;
  const sent = await succeed<{ sendMessage: { id: string } }>(owner, SEND_MESSAGE, {
    input: { conversationId, body: messageBody, clientMutationId: ownerMessageMutationId },
  });
  messageId = sent.sendMessage.id;

  const products = await succeed<{ products: Connection<{ id: string }> }>(null, '{ products(first: 3) { edges { node { id } } } }');
  const [first, second] = products.products.edges.map((edge) => edge.node.id);
  await succeed(owner, ADD_TO_CART, { productId: first, quantity: 1 });
  const checkout = await succeed<{ checkout: { id: string; status: string } }>(owner, CHECKOUT, { clientMutationId: ownerCheckoutMutationId });
  orderId = checkout.checkout.id;
  expect(checkout.checkout.status).toBe('PLACED');
  await succeed(owner, ADD_TO_CART, { productId: second, quantity: 2 });

  const media = await succeed<{ myMedia: Connection<Asset> }>(owner, '{ myMedia(first: 100) { edges { node { id title visibility url } } } }');
  const assets = media.myMedia.edges.map((edge) => edge.node);
  privateAssets = assets.filter((asset) => asset.visibility === 'PRIVATE').sort((a, b) => a.title.localeCompare(b.title));
  expect(privateAssets.map((asset) => asset.title)).toEqual(['Private photo 1', 'Private photo 2']);
  publicAsset = assets.find((asset) => asset.visibility === 'PUBLIC')!;
  expect(publicAsset).toBeDefined();

  ownerStateBefore = await readOwnerState();
  partnerStateBefore = await readPartnerState();
});

afterAll(async () => {
  await federation?.stop();
});

describe('the owner, as the control', () => {
  it('reads its conversation and message, its cart, its order and its private media through the gateway', async () => {
    const state = await succeed<{
      conversation: { members: { id: string }[]; messages: Connection<{ id: string; body: string; sender: { id: string } }> } | null;
      cart: { itemCount: number };
      order: { id: string; status: string } | null;
      myMedia: Connection<Asset>;
    }>(owner, OWNER_STATE, { conversationId, orderId });
    expect(state.conversation?.members.map((member) => member.id).sort()).toEqual([owner.id, partner.id].sort());
    expect(state.conversation?.messages.edges.map((edge) => edge.node)).toContainEqual(
      expect.objectContaining({ id: messageId, body: messageBody, sender: { id: owner.id } }),
    );
    expect(state.cart.itemCount).toBeGreaterThan(0);
    expect(state.order).toEqual(expect.objectContaining({ id: orderId, status: 'PLACED' }));
    expect(state.myMedia.edges.filter((edge) => edge.node.visibility === 'PRIVATE')).toHaveLength(2);
  });

  it('reads its conversations, cart, orders and all its media on its own User', async () => {
    const result = await request<{
      user: {
        email: string | null;
        conversations: Connection<{ id: string }> | null;
        cart: { itemCount: number } | null;
        orders: Connection<{ id: string }> | null;
        media: Connection<Asset>;
      };
    }>(owner, USER_PRIVATE_FIELDS, { id: owner.id });
    expect(result.errors).toBeUndefined();
    const user = result.data!.user;
    expect(user.email).toBe(DEMO_USERS.alice.email);
    expect(user.conversations?.edges.map((edge) => edge.node.id)).toContain(conversationId);
    expect(user.cart?.itemCount).toBeGreaterThan(0);
    expect(user.orders?.edges.map((edge) => edge.node.id)).toContain(orderId);
    expect(user.media.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining(privateAssets.map((asset) => asset.id)));
  });

  it('opens its private files with the signed links it is given, and only with them', async () => {
    const result = await succeed<{ mediaAsset: Asset | null }>(owner, MEDIA_ASSET, { id: privateAssets[0]!.id });
    const url = result.mediaAsset?.url;
    expect(url).toMatch(/[?&]sig=/);
    const file = await fetch(url!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');

    const unsigned = await fetch(url!.split('?')[0]!);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'SIGNATURE_REQUIRED' } }] });
  });

  it('lets the partner, a member, read the conversation and its message', async () => {
    const state = (await readPartnerState()) as { conversation: { unreadCount: number; messages: Connection<{ body: string }> } | null };
    expect(state.conversation?.messages.edges.map((edge) => edge.node.body)).toContain(messageBody);
    expect(state.conversation?.unreadCount).toBe(1);
  });
});

describe('another signed-in user through the gateway', () => {
  it("gets null for the owner's conversation, so none of its messages are reachable", async () => {
    const result = await request<{ conversation: unknown }>(intruder, CONVERSATION, { id: conversationId });
    expect(result.errors).toBeUndefined();
    expect(result.data?.conversation).toBeNull();
    expectNothingPrivate(result);

    const own = await request<{ conversations: Connection<{ id: string }> }>(intruder, '{ conversations(first: 100) { edges { node { id } } } }');
    expect(own.errors).toBeUndefined();
    expect(own.data?.conversations.edges).toEqual([]);
  });

  it("gets NOT_FOUND when sending a message into the owner's conversation or marking it read", async () => {
    const send = await request(intruder, SEND_MESSAGE, { input: { conversationId, body: 'let me in' } });
    expect(send.data ?? null).toBeNull();
    expect(failures(send)).toEqual([{ code: 'NOT_FOUND', path: ['sendMessage'] }]);

    const replayed = await request(intruder, SEND_MESSAGE, { input: { conversationId, body: 'let me in', clientMutationId: ownerMessageMutationId } });
    expect(replayed.data ?? null).toBeNull();
    expect(failures(replayed)).toEqual([{ code: 'NOT_FOUND', path: ['sendMessage'] }]);
    expectNothingPrivate(replayed);

    const read = await request(intruder, MARK_READ, { conversationId, seq: 1_000 });
    expect(read.data ?? null).toBeNull();
    expect(failures(read)).toEqual([{ code: 'NOT_FOUND', path: ['markRead'] }]);
    expectNothingPrivate(read);
  });

  it("gets its own results, never the owner's, when it replays the owner's clientMutationIds", async () => {
    const checkout = await request(intruder, CHECKOUT, { clientMutationId: ownerCheckoutMutationId });
    expect(checkout.data ?? null).toBeNull();
    expect(failures(checkout)).toEqual([{ code: 'BAD_USER_INPUT', path: ['checkout'] }]);
    expect(JSON.stringify(checkout)).not.toContain(orderId);

    const own = await succeed<{ startConversation: { id: string } }>(intruder, START_CONVERSATION, { memberIds: [partner.id] });
    const input = { conversationId: own.startConversation.id, body: 'my own words', clientMutationId: ownerMessageMutationId };
    const sent = await request<{ sendMessage: { id: string; body: string } }>(intruder, SEND_MESSAGE, { input });
    expect(sent.errors).toBeUndefined();
    expect(sent.data?.sendMessage.id).not.toBe(messageId);
    expect(sent.data?.sendMessage.body).toBe('my own words');
    expectNothingPrivate(sent);
  });

  /** The answer with every error's `extensions.requestId` taken out. */
  const withoutRequestIds = <T extends { errors?: readonly { extensions?: Record<string, unknown> }[] }>(answer: T): T => ({
    ...answer,
    ...(answer.errors ? { errors: answer.errors.map(({ extensions, ...error }) => ({ ...error, ...(extensions ? { extensions: Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'requestId')) } : {}) })) } : {}),
  });

  it("answers the owner's ids exactly as it answers ids that do not exist, so they cannot be probed", async () => {
    const unknownId = randomUUID();
    const album = await succeed<{ createAlbum: { id: string } }>(intruder, 'mutation { createAlbum(title: "Probe") { id } }');
    const probes: [string, (id: string) => Record<string, unknown>, string][] = [
      [CONVERSATION, (id) => ({ id }), conversationId],
      [SEND_MESSAGE, (id) => ({ input: { conversationId: id, body: 'probe' } }), conversationId],
      [MARK_READ, (id) => ({ conversationId: id, seq: 1 }), conversationId],
      [ORDER, (id) => ({ id }), orderId],
      [CANCEL_ORDER, (id) => ({ orderId: id }), orderId],
      [MEDIA_ASSET, (id) => ({ id }), privateAssets[0]!.id],
      [UPDATE_MEDIA, (id) => ({ id, input: { title: 'probe' } }), privateAssets[0]!.id],
      [DELETE_MEDIA, (id) => ({ id }), privateAssets[0]!.id],
      [
        'mutation($albumId: ID!, $assetId: ID!) { addToAlbum(albumId: $albumId, assetId: $assetId) { id } }',
        (id) => ({ albumId: album.createAlbum.id, assetId: id }),
        privateAssets[0]!.id,
      ],
    ];
    for (const [operation, variables, ownerId] of probes) {
      const [forOwners, forNobodys] = await Promise.all([
        request(intruder, operation, variables(ownerId)),
        request(intruder, operation, variables(unknownId)),
      ]);
      // Alike but for each request's own id (x-request-id, extensions.requestId), which says nothing of the data.
      const { headers: _a, ...ownerAnswer } = withoutRequestIds(forOwners);
      const { headers: _b, ...unknownAnswer } = withoutRequestIds(forNobodys);
      expect(ownerAnswer).toEqual(unknownAnswer);
    }
  });

  it("gets a conversation of its own, never the owner's, when it starts one with the owner's partner or with both", async () => {
    for (const memberIds of [[partner.id], [owner.id, partner.id]]) {
      const started = await succeed<{ startConversation: { id: string } }>(intruder, START_CONVERSATION, { memberIds });
      expect(started.startConversation.id).not.toBe(conversationId);
      const result = await request(intruder, CONVERSATION, { id: started.startConversation.id });
      expect(result.errors).toBeUndefined();
      expectNothingPrivate(result);
    }
  });

  it("gets FORBIDDEN for the owner's conversations, cart and orders on User, no email, and only public media", async () => {
    const result = await request<{
      user: { id: string; handle: string; email: string | null; conversations: unknown; cart: unknown; orders: unknown; media: Connection<Asset> } | null;
    }>(intruder, USER_PRIVATE_FIELDS, { id: owner.id });
    const user = result.data?.user;
    expect(user).toMatchObject({ id: owner.id, handle: DEMO_USERS.alice.handle, email: null, conversations: null, cart: null, orders: null });
    expect(failures(result)).toEqual(
      expect.arrayContaining([
        { code: 'FORBIDDEN', path: ['user', 'conversations'] },
        { code: 'FORBIDDEN', path: ['user', 'cart'] },
        { code: 'FORBIDDEN', path: ['user', 'orders'] },
      ]),
    );
    expect(result.errors).toHaveLength(3);
    const listed = user!.media.edges.map((edge) => edge.node);
    expect(listed.map((asset) => asset.id)).toContain(publicAsset.id);
    expect(listed.every((asset) => asset.visibility === 'PUBLIC')).toBe(true);
    expectNothingPrivate(result);
  });

  it("has a cart of its own that is empty, not the owner's", async () => {
    const result = await succeed<{ cart: { version: number; itemCount: number; items: unknown[] } }>(intruder, CART);
    expect(result.cart).toEqual({ version: 0, itemCount: 0, items: [] });
  });

  it("gets null for the owner's order and NOT_FOUND when cancelling it", async () => {
    const read = await request<{ order: unknown }>(intruder, ORDER, { id: orderId });
    expect(read.errors).toBeUndefined();
    expect(read.data?.order).toBeNull();

    const cancel = await request(intruder, CANCEL_ORDER, { orderId });
    expect(cancel.data ?? null).toBeNull();
    expect(failures(cancel)).toEqual([{ code: 'NOT_FOUND', path: ['cancelOrder'] }]);

    const own = await succeed<{ user: { orders: Connection<unknown> } }>(intruder, 'query($id: ID!) { user(id: $id) { orders { edges { node { id } } } } }', {
      id: intruder.id,
    });
    expect(own.user.orders.edges).toEqual([]);
  });

  it("gets null for the owner's private media and NOT_FOUND when changing or deleting it", async () => {
    for (const asset of privateAssets) {
      const read = await request<{ mediaAsset: unknown }>(intruder, MEDIA_ASSET, { id: asset.id });
      expect(read.errors).toBeUndefined();
      expect(read.data?.mediaAsset).toBeNull();

      const update = await request(intruder, UPDATE_MEDIA, { id: asset.id, input: { title: 'Taken over', visibility: 'PUBLIC' } });
      expect(update.data ?? null).toBeNull();
      expect(failures(update)).toEqual([{ code: 'NOT_FOUND', path: ['updateMediaAsset'] }]);

      const remove = await request(intruder, DELETE_MEDIA, { id: asset.id });
      expect(remove.data ?? null).toBeNull();
      expect(failures(remove)).toEqual([{ code: 'NOT_FOUND', path: ['deleteMediaAsset'] }]);
    }
    const own = await succeed<{ myMedia: Connection<Asset> }>(intruder, '{ myMedia { edges { node { id } } } }');
    expect(own.myMedia.edges).toEqual([]);
  });

  it("gets NOT_FOUND when adding the owner's private media to an album of its own", async () => {
    const album = await succeed<{ createAlbum: { id: string } }>(intruder, 'mutation { createAlbum(title: "Loot") { id } }');
    const add = await request(intruder, 'mutation($albumId: ID!, $assetId: ID!) { addToAlbum(albumId: $albumId, assetId: $assetId) { id } }', {
      albumId: album.createAlbum.id,
      assetId: privateAssets[0]!.id,
    });
    expect(add.data ?? null).toBeNull();
    expect(failures(add)).toEqual([{ code: 'NOT_FOUND', path: ['addToAlbum'] }]);
  });

  it("sees a null attachment, never the asset, when it attaches the owner's private media to its own message", async () => {
    const started = await succeed<{ startConversation: { id: string } }>(intruder, START_CONVERSATION, { memberIds: [partner.id] });
    const input = { conversationId: started.startConversation.id, body: 'look what I found', attachmentIds: [privateAssets[0]!.id] };
    const sent = await request<{ sendMessage: { id: string; attachments: unknown[] } }>(intruder, SEND_MESSAGE, { input });
    expect(sent.data?.sendMessage.attachments).toEqual([null]);
    expectNothingPrivate(sent);

    const readByPartner = await request(partner, LAST_ATTACHMENTS, { id: started.startConversation.id });
    expect(readByPartner.data).toMatchObject({ conversation: { lastMessage: { id: sent.data!.sendMessage.id, attachments: [null] } } });
    expectNothingPrivate(readByPartner);
  });

  it('loses an asset the owner shared as UNLISTED as soon as the owner makes it PRIVATE again', async () => {
    const shared = privateAssets[1]!;
    await succeed(owner, UPDATE_MEDIA, { id: shared.id, input: { visibility: 'UNLISTED' } });
    const seen = await succeed<{ mediaAsset: Asset | null }>(intruder, MEDIA_ASSET, { id: shared.id });
    expect(seen.mediaAsset).toMatchObject({ id: shared.id, visibility: 'UNLISTED' });
    const link = seen.mediaAsset!.url!;
    expect((await fetch(link)).status).toBe(200);
    const album = await succeed<{ createAlbum: { id: string } }>(intruder, 'mutation { createAlbum(title: "Shared with me") { id } }');
    await succeed(intruder, 'mutation($albumId: ID!, $assetId: ID!) { addToAlbum(albumId: $albumId, assetId: $assetId) { id } }', {
      albumId: album.createAlbum.id,
      assetId: shared.id,
    });
    const albumAssets = '{ albums { edges { node { id assets { edges { node { id title } } } } } } }';
    const before = await succeed<{ albums: Connection<{ id: string; assets: Connection<{ id: string }> }> }>(intruder, albumAssets);
    const inAlbum = (data: typeof before) =>
      data.albums.edges.find((edge) => edge.node.id === album.createAlbum.id)!.node.assets.edges.map((edge) => edge.node.id);
    expect(inAlbum(before)).toEqual([shared.id]);

    await succeed(owner, UPDATE_MEDIA, { id: shared.id, input: { visibility: 'PRIVATE' } });
    const read = await request<{ mediaAsset: unknown }>(intruder, MEDIA_ASSET, { id: shared.id });
    expect(read.data?.mediaAsset).toBeNull();
    const after = await succeed<typeof before>(intruder, albumAssets);
    expect(inAlbum(after)).toEqual([]);
    expect((await fetch(link)).status).toBe(403);
  });

  it('cannot pass itself off as the owner with identity headers sent to the gateway', async () => {
    const spoofed = { 'x-mega-user': owner.id, 'x-mega-request-id': randomUUID(), 'x-mega-timestamp': String(Date.now()), 'x-mega-signature': 'forged' };
    const result = await request<{ user: { cart: unknown } | null }>(intruder, 'query($id: ID!) { user(id: $id) { cart { itemCount } } }', { id: owner.id }, spoofed);
    expect(result.data?.user?.cart).toBeNull();
    expect(failures(result)).toEqual([{ code: 'FORBIDDEN', path: ['user', 'cart'] }]);

    const anonymous = await request<{ me: unknown }>(null, '{ me { id email } }', undefined, spoofed);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data?.me).toBeNull();
  });

  it("cannot pass itself off as the owner by rewriting the subject of its own access token", async () => {
    const [header, payload, signature] = intruder.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims.sub).toBe(intruder.id);
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, sub: owner.id })).toString('base64url'), signature].join('.');
    const result = await request(null, '{ me { id email } }', undefined, { authorization: `Bearer ${forged}` });
    expect(result.status).toBe(401);
    expect(result.data ?? null).toBeNull();
    expect(failures(result).map((failure) => failure.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('an anonymous caller through the gateway', () => {
  it("gets null for the owner's conversation and private media, and null with UNAUTHENTICATED for the order and a cart", async () => {
    const conversation = await request<{ conversation: unknown }>(null, CONVERSATION, { id: conversationId });
    expect(conversation.errors).toBeUndefined();
    expect(conversation.data?.conversation).toBeNull();

    for (const asset of privateAssets) {
      const media = await request<{ mediaAsset: unknown }>(null, MEDIA_ASSET, { id: asset.id });
      expect(media.errors).toBeUndefined();
      expect(media.data?.mediaAsset).toBeNull();
    }

    const order = await request<{ order: unknown }>(null, ORDER, { id: orderId });
    expect(order.data?.order ?? null).toBeNull();
    expect(failures(order)).toEqual([{ code: 'UNAUTHENTICATED', path: ['order'] }]);

    const cart = await request<{ cart: unknown }>(null, CART);
    expect(cart.data?.cart ?? null).toBeNull();
    expect(failures(cart)).toEqual([{ code: 'UNAUTHENTICATED', path: ['cart'] }]);

    for (const result of [conversation, order, cart]) expectNothingPrivate(result);
  });

  it("gets FORBIDDEN for the owner's conversations, cart and orders on User, no email, and only public media", async () => {
    const result = await request<{
      user: { email: string | null; conversations: unknown; cart: unknown; orders: unknown; media: Connection<Asset> } | null;
    }>(null, USER_PRIVATE_FIELDS, { id: owner.id });
    expect(result.data?.user).toMatchObject({ id: owner.id, email: null, conversations: null, cart: null, orders: null });
    expect(failures(result)).toEqual(
      expect.arrayContaining([
        { code: 'FORBIDDEN', path: ['user', 'conversations'] },
        { code: 'FORBIDDEN', path: ['user', 'cart'] },
        { code: 'FORBIDDEN', path: ['user', 'orders'] },
      ]),
    );
    expect(result.errors).toHaveLength(3);
    const listed = result.data!.user!.media.edges.map((edge) => edge.node);
    expect(listed.map((asset) => asset.id)).toContain(publicAsset.id);
    expect(listed.every((asset) => asset.visibility === 'PUBLIC')).toBe(true);
    expectNothingPrivate(result);
  });

  it("gets UNAUTHENTICATED for every mutation on the owner's things", async () => {
    const attempts: [string, Record<string, unknown>, string][] = [
      [SEND_MESSAGE, { input: { conversationId, body: 'hello?' } }, 'sendMessage'],
      [MARK_READ, { conversationId, seq: 1_000 }, 'markRead'],
      [CANCEL_ORDER, { orderId }, 'cancelOrder'],
      [UPDATE_MEDIA, { id: privateAssets[0]!.id, input: { visibility: 'PUBLIC' } }, 'updateMediaAsset'],
      [DELETE_MEDIA, { id: privateAssets[0]!.id }, 'deleteMediaAsset'],
    ];
    for (const [mutation, variables, field] of attempts) {
      const result = await request(null, mutation, variables);
      expect(result.data ?? null).toBeNull();
      expect(failures(result)).toEqual([{ code: 'UNAUTHENTICATED', path: [field] }]);
    }
  });

  it('browses the products and opens public media', async () => {
    const products = await succeed<{ products: Connection<{ id: string; title: string; images: { id: string; url: string }[] }> }>(
      null,
      '{ products(first: 8) { edges { node { id title images { id url } } } } }',
    );
    expect(products.products.edges).toHaveLength(8);
    const image = products.products.edges[0]!.node.images[0]!;
    expect((await fetch(image.url)).status).toBe(200);

    const avatar = await succeed<{ mediaAsset: Asset | null }>(null, MEDIA_ASSET, { id: publicAsset.id });
    expect(avatar.mediaAsset).toMatchObject({ id: publicAsset.id, visibility: 'PUBLIC', owner: { id: owner.id } });
    expect((await fetch(avatar.mediaAsset!.url!)).status).toBe(200);
  });
});

/** Direct `_entities` calls, signed by the gateway for `userId`, in the shape each subgraph must answer. */
const viewers: { who: string; userId: () => string | null }[] = [
  { who: 'another user', userId: () => intruder.id },
  { who: 'an anonymous caller', userId: () => null },
];

describe.each(viewers)("each subgraph's _entities, signed by the gateway for $who", ({ userId }) => {
  it("answers null for the owner's conversation and message, and FORBIDDEN for the owner's User.conversations (comms)", async () => {
    const result = await querySubgraph<{ _entities: unknown[] }>(federation.comms.url, userId(), COMMS_ENTITIES, {
      representations: [
        { __typename: 'Conversation', id: conversationId },
        { __typename: 'Message', id: messageId },
        { __typename: 'User', id: owner.id },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([null, null, { __typename: 'User', id: owner.id, conversations: null }]);
    expect(failures(result)).toEqual([{ code: 'FORBIDDEN', path: ['_entities', 2, 'conversations'] }]);
    expectNothingPrivate(result);
  });

  it("answers null for the owner's order, and FORBIDDEN for the owner's User.cart and User.orders (commerce)", async () => {
    const result = await querySubgraph<{ _entities: unknown[] }>(federation.commerce.url, userId(), COMMERCE_ENTITIES, {
      representations: [
        { __typename: 'Order', id: orderId },
        { __typename: 'User', id: owner.id },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([null, { __typename: 'User', id: owner.id, cart: null, orders: null }]);
    expect(failures(result)).toEqual(
      expect.arrayContaining([
        { code: 'FORBIDDEN', path: ['_entities', 1, 'cart'] },
        { code: 'FORBIDDEN', path: ['_entities', 1, 'orders'] },
      ]),
    );
    expect(result.errors).toHaveLength(2);
  });

  it("answers null for the owner's private media and lists only its public media on User.media (media)", async () => {
    const result = await querySubgraph<{ _entities: [unknown, unknown, { media: Connection<Asset> }] }>(federation.media.url, userId(), MEDIA_ENTITIES, {
      representations: [
        ...privateAssets.map((asset) => ({ __typename: 'MediaAsset', id: asset.id })),
        { __typename: 'User', id: owner.id },
      ],
    });
    expect(result.errors).toBeUndefined();
    const [first, second, user] = result.data!._entities;
    expect([first, second]).toEqual([null, null]);
    const listed = user.media.edges.map((edge) => edge.node);
    expect(listed.map((asset) => asset.id)).toContain(publicAsset.id);
    expect(listed.every((asset) => asset.visibility === 'PUBLIC')).toBe(true);
    expectNothingPrivate(result);
  });

  it("answers the owner's public profile without the email (accounts)", async () => {
    const result = await querySubgraph<{ _entities: unknown[] }>(federation.accounts.url, userId(), ACCOUNTS_ENTITIES, {
      representations: [{ __typename: 'User', id: owner.id }],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ __typename: 'User', id: owner.id, handle: DEMO_USERS.alice.handle, email: null }]);
  });
});

describe("each subgraph's _entities, signed by the gateway for the owner (control)", () => {
  it('answers the conversation, the message and User.conversations (comms)', async () => {
    const result = await querySubgraph<{
      _entities: [{ id: string; messages: Connection<{ body: string }> }, { body: string }, { conversations: Connection<{ id: string }> }];
    }>(federation.comms.url, owner.id, COMMS_ENTITIES, {
      representations: [
        { __typename: 'Conversation', id: conversationId },
        { __typename: 'Message', id: messageId },
        { __typename: 'User', id: owner.id },
      ],
    });
    expect(result.errors).toBeUndefined();
    const [conversation, message, user] = result.data!._entities;
    expect(conversation.messages.edges.map((edge) => edge.node.body)).toContain(messageBody);
    expect(message).toMatchObject({ id: messageId, body: messageBody, conversation: { id: conversationId } });
    expect(user.conversations.edges.map((edge) => edge.node.id)).toContain(conversationId);
  });

  it('answers the order, User.cart and User.orders (commerce)', async () => {
    const result = await querySubgraph<{ _entities: [{ id: string }, { cart: { itemCount: number }; orders: Connection<{ id: string }> }] }>(
      federation.commerce.url,
      owner.id,
      COMMERCE_ENTITIES,
      { representations: [{ __typename: 'Order', id: orderId }, { __typename: 'User', id: owner.id }] },
    );
    expect(result.errors).toBeUndefined();
    const [order, user] = result.data!._entities;
    expect(order).toMatchObject({ id: orderId, status: 'PLACED' });
    expect(user.cart.itemCount).toBeGreaterThan(0);
    expect(user.orders.edges.map((edge) => edge.node.id)).toContain(orderId);
  });

  it('answers the private media and lists it on User.media (media)', async () => {
    const result = await querySubgraph<{ _entities: [Asset, Asset, { media: Connection<Asset> }] }>(federation.media.url, owner.id, MEDIA_ENTITIES, {
      representations: [...privateAssets.map((asset) => ({ __typename: 'MediaAsset', id: asset.id })), { __typename: 'User', id: owner.id }],
    });
    expect(result.errors).toBeUndefined();
    const [first, second, user] = result.data!._entities;
    expect([first.title, second.title]).toEqual(privateAssets.map((asset) => asset.title));
    expect(first.url).toMatch(/[?&]sig=/);
    expect(user.media.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining(privateAssets.map((asset) => asset.id)));
  });

  it('answers the email (accounts)', async () => {
    const result = await querySubgraph<{ _entities: { email: string | null }[] }>(federation.accounts.url, owner.id, ACCOUNTS_ENTITIES, {
      representations: [{ __typename: 'User', id: owner.id }],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities[0]?.email).toBe(DEMO_USERS.alice.email);
  });
});

describe('each subgraph without a valid gateway signature', () => {
  const subgraphs = [
    { name: 'comms', query: COMMS_ENTITIES, representations: () => [{ __typename: 'Conversation', id: conversationId }, { __typename: 'User', id: owner.id }] },
    { name: 'commerce', query: COMMERCE_ENTITIES, representations: () => [{ __typename: 'Order', id: orderId }, { __typename: 'User', id: owner.id }] },
    { name: 'media', query: MEDIA_ENTITIES, representations: () => privateAssets.map((asset) => ({ __typename: 'MediaAsset', id: asset.id })) },
    { name: 'accounts', query: ACCOUNTS_ENTITIES, representations: () => [{ __typename: 'User', id: owner.id }] },
  ] as const;

  it.each(subgraphs)('$name refuses an unsigned _entities request with HTTP 401 UNAUTHENTICATED', async ({ name, query, representations }) => {
    const result = await postGraphQL(federation[name].url, { query, variables: { representations: representations() } });
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(failures(result)).toEqual([{ code: 'UNAUTHENTICATED', path: undefined }]);
    expectNothingPrivate(result);
  });

  it.each(subgraphs)("$name refuses an _entities request claiming to be the owner but signed with another secret", async ({ name, query, representations }) => {
    const result = await querySubgraph(federation[name].url, owner.id, query, { representations: representations() }, 'not-the-gateway-secret-0123456789abcdef0123');
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(failures(result)).toEqual([{ code: 'UNAUTHENTICATED', path: undefined }]);
    expectNothingPrivate(result);
  });
});

describe('after every attempt by the other user and anonymous callers', () => {
  it("leaves the owner's conversation, messages, cart, order and private media exactly as they were", async () => {
    expect(await readOwnerState()).toEqual(ownerStateBefore);
    expect(await readPartnerState()).toEqual(partnerStateBefore);
  });
});
