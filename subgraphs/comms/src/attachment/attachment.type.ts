import { createUnionType, Directive, Field, ID, ObjectType } from 'type-graphql';

/** A media asset, owned by the media subgraph; comms only points at it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class MediaAsset {
  @Field(() => ID)
  id!: string;
}

/** A product, owned by the commerce subgraph; comms only points at it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Product {
  @Field(() => ID)
  id!: string;
}

/** An attachment reference as stored by comms: the entity's type name and id. */
export type AttachmentReference = { __typename: 'MediaAsset'; id: string } | { __typename: 'Product'; id: string };

export const Attachment = createUnionType({
  name: 'Attachment',
  description: 'Something shared in a message: a media asset or a product. Null when it is gone or not visible to the reader.',
  types: () => [MediaAsset, Product] as const,
  resolveType: (value) => (value as AttachmentReference).__typename,
});
