import { hash, verify } from '@node-rs/argon2';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { unauthenticated } from '@mega/subgraph-kit';
import type { AccountsContext } from '../context.js';
import type { UserRow } from '../store/user.store.js';
import { toUser } from '../user/user.mapper.js';
import { SignUpInput } from '../user/user.input.js';
import { checkDisplayName, checkEmail, checkHandle, checkPassword } from '../user/validation.js';
import { AuthPayload } from './auth-payload.type.js';

/** Verified against when the email is unknown, so that both failures take the same time. */
const DUMMY_HASH = hash('not-a-real-password-just-for-timing');

async function startSession(context: AccountsContext, user: UserRow): Promise<AuthPayload> {
  const [access, refresh] = await Promise.all([context.tokens.issue(user.id), context.sessions.issue(user.id)]);
  return { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.expiresAt, user: toUser(user, user.id) };
}

@Resolver()
export class SessionResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in. CONFLICT when the email or handle is taken.' })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() context: AccountsContext): Promise<AuthPayload> {
    const email = checkEmail(input.email);
    const handle = checkHandle(input.handle);
    const displayName = checkDisplayName(input.displayName);
    const passwordHash = await hash(checkPassword(input.password));
    const user = await context.users.create({ email, handle, displayName, passwordHash });
    return startSession(context, user);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in with email and password. UNAUTHENTICATED when they do not match.' })
  async logIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: AccountsContext,
  ): Promise<AuthPayload> {
    const user = email.length <= 320 ? await context.users.findByEmail(email.trim()) : undefined;
    const matches = password.length <= 1024 && (await verify(user?.passwordHash ?? (await DUMMY_HASH), password));
    if (!user || !matches) throw unauthenticated('Email or password is incorrect.');
    return startSession(context, user);
  }
}
