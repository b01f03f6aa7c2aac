import { Field, ID, ObjectType } from 'type-graphql';
import { connectionTypes } from '@mega/subgraph-kit';

@ObjectType({ description: "A named, ordered collection of media, visible to its owner only." })
export class Album {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '1 to 200 characters.' })
  title!: string;

  @Field(() => Date)
  createdAt!: Date;
}

export const { ConnectionType: AlbumConnection, EdgeType: AlbumEdge } = connectionTypes(Album, 'Album');
