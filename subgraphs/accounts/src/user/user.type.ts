import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person using Mega App. Public profile fields; `email` only for its owner.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Unique, case-insensitive, 3 to 30 of a-z, 0-9 and _.' })
  handle!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { nullable: true })
  avatarUrl!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Only for the signed-in user themself; null for anyone else.' })
  email!: string | null;

  @Field(() => Int, { nullable: true, description: 'Bumped by every profile change; pass it as updateProfile(input: { expectedVersion }) to refuse a stale edit. Only for the signed-in user themself; null for anyone else.' })
  version!: number | null;
}
