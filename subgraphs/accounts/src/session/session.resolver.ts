import { hash, verify } from '@node-rs/argon2';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { unauthenticated } from '@mega/subgraph-kit';
import type { AccountsContext } from '../context.js';
import type { UserRow } from '../store/user.store.js';
import { toUser } from '../user/user.mapper.js';
import { SignUpInput } from '../user/user.input.js';
import { checkDisplayName, checkEmail, checkHandle, checkPassword } from '../user/validation.js';
import { AuthPayload } from './auth-payload.type.js';
import { MAX_REFRESH_TOKEN_LENGTH } from './refresh-token.js';

/** Verified against when the email is unknown, so that both failures take the same time. */
const DUMMY_HASH = hash('not-a-real-password-just-for-timing');

/** One answer for unknown, expired, revoked and reused refresh tokens, so that none can be told apart. */
const invalidRefreshToken = () => unauthenticated('The refresh token is invalid, expired or revoked. Sign in again.');

async function startSession(context: AccountsContext, user: UserRow, now: Date): Promise<AuthPayload> {
  const [access, refresh] = await Promise.all([context.tokens.issue(user.id, now), context.sessions.issue(user.id, now)]);
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
    return startSession(context, user, context.clock());
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in with email and password. UNAUTHENTICATED when they do not match; RATE_LIMITED (with `extensions.retryAfterSeconds`) after too many failures for this account or from this address.',
  })
  async logIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: AccountsContext,
  ): Promise<AuthPayload> {
    const { clientIp } = context.identity;
    const trimmed = email.trim().slice(0, 320);
    const attempt = await context.loginThrottle.attempt(trimmed, clientIp);
    const user = email.length <= 320 ? await context.users.findByEmail(trimmed) : undefined;
    const matches = password.length <= 1024 && (await verify(user?.passwordHash ?? (await DUMMY_HASH), password));
    if (!user || !matches) {
      await attempt.failed();
      throw unauthenticated('Email or password is incorrect.');
    }
    await attempt.succeeded();
    return startSession(context, user, context.clock());
  }

  @Mutation(() => AuthPayload, {
    description:
      'Exchanges a refresh token for a new access token and a new refresh token; the one presented stops working. Presenting the old one again within 30 seconds, while the new one is unused (a lost response), returns the same new refresh token; any other reuse signs the whole session out. UNAUTHENTICATED when the token is invalid, expired or revoked.',
  })
  async refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() context: AccountsContext): Promise<AuthPayload> {
    if (refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) throw invalidRefreshToken();
    const now = context.clock();
    const outcome = await context.sessions.refresh(refreshToken, now);
    const { requestId, clientIp } = context.identity;
    if (outcome.kind === 'reused') {
      context.logger.warn(
        { userId: outcome.userId, familyId: outcome.familyId, requestId, clientIp },
        'a rotated refresh token was presented again: its session family is revoked',
      );
    }
    if (outcome.kind !== 'rotated' && outcome.kind !== 'replayed') throw invalidRefreshToken();
    if (outcome.kind === 'replayed') {
      context.logger.info({ userId: outcome.userId, familyId: outcome.familyId, requestId }, 'refresh retried within the grace window');
    }
    const user = await context.userById.load(outcome.userId);
    if (!user) throw invalidRefreshToken();
    const access = await context.tokens.issue(user.id, now);
    return { accessToken: access.token, refreshToken: outcome.token, expiresAt: access.expiresAt, user: toUser(user, user.id) };
  }

  @Mutation(() => Boolean, {
    description: 'Signs out the session the refresh token belongs to: all its refresh tokens stop working. Always true, also for unknown tokens.',
  })
  async logOut(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() context: AccountsContext): Promise<boolean> {
    if (refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) return true;
    const family = await context.sessions.revokeFamilyOf(refreshToken, 'logout', context.clock());
    if (family) context.logger.debug({ ...family, requestId: context.identity.requestId }, 'signed out');
    return true;
  }
}
