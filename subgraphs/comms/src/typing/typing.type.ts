import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';

@ObjectType({ description: 'Someone (never the subscriber) is typing in a conversation.' })
export class TypingEvent {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Date, { description: 'When the typing was reported.' })
  at!: Date;
}
