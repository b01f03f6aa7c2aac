import { Field, ID, InputType } from 'type-graphql';
import { MESSAGE_ATTACHMENTS_MAX, MESSAGE_BODY_MAX_LENGTH } from './validation.js';

@InputType({ description: 'A message to append to a conversation the caller is a member of.' })
export class SendMessageInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => String, {
    nullable: true,
    description: `1 to ${MESSAGE_BODY_MAX_LENGTH} characters after trimming; may be empty or omitted when there are attachments.`,
  })
  body?: string | null;

  @Field(() => [ID], { nullable: true, description: `Media asset ids. At most ${MESSAGE_ATTACHMENTS_MAX} attachments and products together.` })
  attachmentIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: `Product ids. At most ${MESSAGE_ATTACHMENTS_MAX} attachments and products together.` })
  productIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Makes retries safe: the same id returns the first message instead of sending again.' })
  clientMutationId?: string | null;
}
