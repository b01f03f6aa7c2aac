import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A person, owned by the accounts subgraph; comms adds `conversations`. */
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}
