import { Field, InputType, Int } from 'type-graphql';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { description: `${8} to ${256} characters.` })
  password!: string;

  @Field(() => String, { description: '3 to 30 of a-z, 0-9 and _; unique, case-insensitive.' })
  handle!: string;

  @Field(() => String, { description: '1 to 80 characters.' })
  displayName!: string;
}

@InputType({ description: 'Fields to change; omitted ones stay as they are.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  handle?: string | null;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'An https or http URL, or null to remove.' })
  avatarUrl?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The profile version the change was made on (User.version); CONFLICT (extensions.currentVersion, and the current profile in extensions.current) when it has changed since. Omitted: last write wins.',
  })
  expectedVersion?: number | null;
}
