/**
 * Child process of the gateway throughput benchmark, scenario "federation shape": the four
 * subgraphs of the well-known public federation gateway benchmark (accounts, inventory, products,
 * reviews), each an `@apollo/subgraph` schema on its own node:http server on a free port, answering
 * from the in-memory data of `data.ts`.
 *
 * They must never be the bottleneck, so each server answers a request body it has answered before
 * with the same bytes again, without executing (the data never changes; a gateway sends the same
 * few bodies over and over). Identity headers of our gateway are ignored: these subgraphs trust
 * anyone. Reports `{ subgraphs: [{ name, url, sdl }] }` to the parent over IPC and stops when the
 * parent disconnects.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { inStock, products, reviews, shippingEstimate, TOP_PRODUCTS_DEFAULT, users, type Product, type Review, type User } from './data.js';

export interface FederationShapeWorld {
  subgraphs: { name: string; url: string; sdl: string }[];
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

const byId = <T, K extends keyof T>(items: readonly T[], key: K) => new Map(items.map((item) => [item[key], item]));
const usersById = byId(users, 'id');
const productsByUpc = byId(products, 'upc');
const reviewsById = byId(reviews, 'id');

const definitions: Record<string, { typeDefs: DocumentNode; resolvers: Record<string, Record<string, unknown>> }> = {
  accounts: {
    typeDefs: parse(`
      ${LINK}
      type Query { me: User users: [User!]! }
      type User @key(fields: "id") { id: ID! name: String username: String @shareable birthDate: String }
    `),
    resolvers: {
      Query: { me: () => users[0], users: () => users },
      User: { __resolveReference: (ref: { id: string }) => usersById.get(ref.id) ?? null },
    },
  },
  inventory: {
    typeDefs: parse(`
      ${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }
    `),
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
        inStock: (product: Product) => inStock(product.upc),
        shippingEstimate: (product: Product) => shippingEstimate(product.price, product.weight),
      },
    },
  },
  products: {
    typeDefs: parse(`
      ${LINK}
      type Query { topProducts(first: Int = ${TOP_PRODUCTS_DEFAULT}): [Product] }
      type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
    `),
    resolvers: {
      Query: { topProducts: (_: unknown, args: { first: number }) => products.slice(0, args.first) },
      Product: { __resolveReference: (ref: { upc: string }) => productsByUpc.get(ref.upc) ?? null },
    },
  },
  reviews: {
    typeDefs: parse(`
      ${LINK}
      type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
      type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review] }
    `),
    resolvers: {
      Review: {
        __resolveReference: (ref: { id: string }) => reviewsById.get(ref.id) ?? null,
        author: (review: Review) => ({ __typename: 'User', id: review.authorId, username: usersById.get(review.authorId)?.username }),
        product: (review: Review) => ({ __typename: 'Product', upc: review.productUpc }),
      },
      User: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: usersById.get(ref.id)?.username }),
        reviews: (user: User) => reviews.filter((review) => review.authorId === user.id),
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
        reviews: (product: Product) => reviews.filter((review) => review.productUpc === product.upc),
      },
    },
  },
};

/** Answers already given, by request body; bounded, since a misbehaving client could send endless variants. */
const MAX_REMEMBERED_ANSWERS = 10_000;

function serve(schema: GraphQLSchema): Server {
  const answers = new Map<string, Buffer>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let answer = answers.get(body);
      if (!answer) {
        const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
        const result = await execute({ schema, document: parse(query), variableValues: variables, operationName });
        answer = Buffer.from(JSON.stringify(result));
        if (!result.errors && answers.size < MAX_REMEMBERED_ANSWERS) answers.set(body, answer);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
      res.end(answer);
    });
  });
}

if (!process.send) throw new Error('Run by the gateway throughput benchmark (needs an IPC channel).');
const servers: Server[] = [];
const world: FederationShapeWorld = { subgraphs: [] };
for (const [name, { typeDefs, resolvers }] of Object.entries(definitions)) {
  const server = serve(buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  world.subgraphs.push({ name, url: `http://127.0.0.1:${port}/graphql`, sdl: print(typeDefs) });
}
process.send(world);

const stop = () => {
  for (const server of servers) server.closeAllConnections();
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
