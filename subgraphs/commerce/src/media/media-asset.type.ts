import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A reference to the media subgraph's entity; commerce knows only its id. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType({ description: 'An image, video or audio file, owned by the media subgraph.' })
export class MediaAsset {
  @Field(() => ID)
  id!: string;
}
