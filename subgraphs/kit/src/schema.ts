import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeISOResolver } from 'graphql-scalars';
import { GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions, type PubSub } from 'type-graphql';
import { setResolverFields } from './tracing.js';

/** The Federation 2 spec version and directives every subgraph links. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

/** `DateTime`: an ISO-8601 instant in UTC, the one date scalar of the whole graph. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: 'DateTime',
  description: 'An instant in UTC as an ISO-8601 string, for example 2026-11-27T15:08:00.000Z.',
});

/**
 * The `pubSub` of a schema built only for its SDL (emit-schema, schema tests): subscriptions
 * executed on it fail. Servers pass the instance's event bus instead.
 */
const SDL_ONLY_PUBSUB: PubSub = {
  publish() {
    throw new Error('This schema was built without an event bus (SDL only).');
  },
  subscribe() {
    throw new Error('This schema was built without an event bus (SDL only).');
  },
};

/** `__resolveReference` functions per entity type name. */
export type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers and classes.
 * Free of side effects: no server, no database. A schema with `@Subscription`s needs `pubSub`
 * (the subgraph's event bus, see `createEventBus`; without one the schema serves its SDL only).
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'scalarsMap' | 'validate'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    ...options,
    pubSub: options.pubSub ?? SDL_ONLY_PUBSUB,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  const subgraphSchema = buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers,
  });
  setResolverFields(subgraphSchema, fieldResolverCoordinates(options.resolvers));
  return subgraphSchema;
}

/** `Type.field` of every `@FieldResolver` in `resolvers`: the fields traced besides Query and Mutation (`traceResolvers`). */
function fieldResolverCoordinates(resolvers: BuildSchemaOptions['resolvers']): Set<string> {
  const storage = getMetadataStorage();
  const typeNames = new Map<unknown, string>(storage.objectTypes.map((type) => [type.target, type.name]));
  const coordinates = new Set<string>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || !(resolvers as readonly unknown[]).includes(resolver.target)) continue;
    const typeName = typeNames.get(resolver.getObjectType?.());
    if (typeName) coordinates.add(`${typeName}.${resolver.schemaName}`);
  }
  return coordinates;
}

/** Writes the subgraph SDL that `pnpm compose` reads (each subgraph's `schema.graphql`). */
export async function emitSubgraphSchema(schema: GraphQLSchema, file: string): Promise<void> {
  await writeFile(file, `${printSubgraphSchema(schema).trim()}\n`);
}
