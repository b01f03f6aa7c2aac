import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { connectionTypes } from '@mega/subgraph-kit';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A chat between 2 or more people; only its members can see it.' })
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Null for untitled conversations (clients show the members instead).' })
  title!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  /** The seq of the newest message; 0 while empty. */
  lastSeq!: number;

  /** The seq of the newest message the viewer has read. */
  lastReadSeq!: number;
}

export const { ConnectionType: ConversationConnection } = connectionTypes(Conversation, 'Conversation');
