import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The accounts subgraph's entity; commerce adds the user's cart and orders. */
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}
