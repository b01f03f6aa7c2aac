/** One example operation of the playground, with the variables it needs. */
export interface ExampleOperation {
  /** Names the example in the Examples panel, e.g. "Send a message". */
  title: string;
  kind: 'query' | 'mutation' | 'subscription';
  query: string;
  /** JSON text for the variables editor. */
  variables: string;
}

/** The examples of one domain (one subgraph). */
export interface ExampleDomain {
  domain: 'accounts' | 'comms' | 'media' | 'commerce';
  operations: ExampleOperation[];
}

/** Demo ids to fill in (`DemoIds` from the gateway's config.json); placeholders where there are none (production). */
export type DemoIds = Partial<Record<'conversation' | 'product' | 'mediaAsset', string>>;

const json = (value: unknown) => JSON.stringify(value, null, 2);
const clientMutationId = () => `playground-${Date.now().toString(36)}`;

/**
 * A query, a mutation and (where the domain has one) a subscription of each domain, written
 * against gateway/api-schema.graphql. Mutations that clients may retry carry a fresh
 * `clientMutationId` each time the examples are made.
 */
export function exampleDomains(ids: DemoIds): ExampleDomain[] {
  const conversationId = ids.conversation ?? '<conversation id>';
  const productId = ids.product ?? '<product id>';
  const mediaAssetId = ids.mediaAsset ?? '<media asset id>';
  return [
    {
      domain: 'accounts',
      operations: [
        { title: 'Who am I', kind: 'query', query: 'query Me {\n  me {\n    id\n    handle\n    displayName\n    avatarUrl\n  }\n}\n', variables: '{}' },
        {
          title: 'Change my display name',
          kind: 'mutation',
          query: 'mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    id\n    displayName\n    version\n  }\n}\n',
          variables: json({ input: { displayName: 'Playground Tester' } }),
        },
      ],
    },
    {
      domain: 'comms',
      operations: [
        {
          title: 'My conversations',
          kind: 'query',
          query:
            'query Conversations {\n  conversations(first: 5) {\n    edges {\n      node {\n        id\n        title\n        messages(first: 3) {\n          edges {\n            node {\n              seq\n              body\n              sender {\n                displayName\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}\n',
          variables: '{}',
        },
        {
          title: 'Send a message',
          kind: 'mutation',
          query: 'mutation SendMessage($input: SendMessageInput!) {\n  sendMessage(input: $input) {\n    id\n    seq\n    body\n    sentAt\n    sender {\n      displayName\n    }\n  }\n}\n',
          variables: json({ input: { conversationId, body: 'Hello from the playground', clientMutationId: clientMutationId() } }),
        },
        {
          title: 'New messages (live)',
          kind: 'subscription',
          query: 'subscription MessageAdded($conversationId: ID!) {\n  messageAdded(conversationId: $conversationId) {\n    seq\n    body\n    sender {\n      displayName\n    }\n  }\n}\n',
          variables: json({ conversationId }),
        },
      ],
    },
    {
      domain: 'media',
      operations: [
        {
          title: 'My media',
          kind: 'query',
          query: 'query MyMedia {\n  myMedia(first: 5) {\n    edges {\n      node {\n        id\n        kind\n        title\n        mimeType\n        url\n        thumbnailUrl\n      }\n    }\n  }\n}\n',
          variables: '{}',
        },
        {
          title: 'Start an upload',
          kind: 'mutation',
          query: 'mutation CreateUpload($input: CreateUploadInput!) {\n  createUpload(input: $input) {\n    uploadUrl\n    asset {\n      id\n      title\n      url\n    }\n  }\n}\n',
          variables: json({ input: { filename: 'photo.png', mimeType: 'image/png', byteSize: 1024, title: 'A photo' } }),
        },
        {
          title: 'Asset ready (live)',
          kind: 'subscription',
          query: 'subscription MediaAssetReady($id: ID!) {\n  mediaAssetReady(id: $id) {\n    id\n    title\n    url\n  }\n}\n',
          variables: json({ id: mediaAssetId }),
        },
      ],
    },
    {
      domain: 'commerce',
      operations: [
        {
          title: 'Products',
          kind: 'query',
          query: 'query Products($search: String) {\n  products(first: 5, search: $search) {\n    edges {\n      node {\n        id\n        title\n        price {\n          formatted\n        }\n        stock\n      }\n    }\n  }\n}\n',
          variables: json({ search: null }),
        },
        {
          title: 'Add to cart',
          kind: 'mutation',
          query: 'mutation AddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {\n  addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {\n    version\n    total {\n      formatted\n    }\n  }\n}\n',
          variables: json({ productId, quantity: 1, clientMutationId: clientMutationId() }),
        },
        {
          title: 'Order status (live)',
          kind: 'subscription',
          query: 'subscription OrderStatusChanged($orderId: ID!) {\n  orderStatusChanged(orderId: $orderId) {\n    id\n    status\n  }\n}\n',
          variables: json({ orderId: '<order id from checkout>' }),
        },
      ],
    },
  ];
}
