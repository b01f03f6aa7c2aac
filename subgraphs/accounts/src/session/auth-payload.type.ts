import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';

@ObjectType({ description: 'The result of signing up, in or refreshing: a short-lived access token and a refresh token.' })
export class AuthPayload {
  @Field(() => String, { description: 'EdDSA-signed JWT; send as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @Field(() => String, { description: 'Opaque; exchange it for a new pair with refreshSession.' })
  refreshToken!: string;

  @Field(() => Date, { description: 'When the access token expires.' })
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}
