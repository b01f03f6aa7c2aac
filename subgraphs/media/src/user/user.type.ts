import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The accounts subgraph's User, extended here with `media`. */
@Directive('@key(fields: "id")')
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;
}
