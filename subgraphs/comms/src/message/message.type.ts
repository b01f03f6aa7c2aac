import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '@mega/subgraph-kit';
import { Attachment, type AttachmentReference } from '../attachment/attachment.type.js';
import { User } from '../user/user.type.js';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One message in a conversation; only members can read it.' })
export class Message {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Position in the conversation: 1, 2, 3, ... without gaps. Catch up by paging `after` the last one seen.' })
  seq!: number;

  @Field(() => String, { description: 'Trimmed text; empty when the message only carries attachments.' })
  body!: string;

  @Field(() => Date)
  sentAt!: Date;

  @Field(() => User, { nullable: true, description: 'Null only while the accounts subgraph is unreachable.' })
  sender!: User;

  @Field(() => [Attachment], { nullable: 'items', description: 'Media assets first, then products, each in the order sent.' })
  attachments!: AttachmentReference[];

  @Field(() => String, { nullable: true, description: "The sender's clientMutationId of sendMessage; null for anyone but the sender." })
  clientMutationId!: string | null;

  /** Resolved by `Message.conversation`. */
  conversationId!: string;
}

export const { ConnectionType: MessageConnection } = connectionTypes(Message, 'Message');
