import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { notFound, requireViewer } from '@mega/subgraph-kit';
import type { AccountsContext } from '../context.js';
import { toUser } from './user.mapper.js';
import { UpdateProfileInput } from './user.input.js';
import { User } from './user.type.js';
import { checkAvatarUrl, checkDisplayName, checkHandle } from './validation.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  async me(@Ctx() context: AccountsContext): Promise<User | null> {
    const { userId } = context.identity;
    if (!userId) return null;
    const row = await context.userById.load(userId);
    return row ? toUser(row, userId) : null;
  }

  @Query(() => User, { nullable: true, description: "Anyone's public profile by id; null when there is no such user." })
  async user(@Arg('id', () => ID) id: string, @Ctx() context: AccountsContext): Promise<User | null> {
    const row = await context.userById.load(id);
    return row ? toUser(row, context.identity.userId) : null;
  }

  @Mutation(() => User, { description: "Changes the signed-in user's public profile; with input.expectedVersion, CONFLICT when it has changed since (another device)." })
  async updateProfile(@Arg('input', () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() context: AccountsContext): Promise<User> {
    const viewerId = requireViewer(context);
    const patch: { handle?: string; displayName?: string; avatarUrl?: string | null } = {};
    if (input.handle != null) patch.handle = checkHandle(input.handle);
    if (input.displayName != null) patch.displayName = checkDisplayName(input.displayName);
    if (input.avatarUrl !== undefined) patch.avatarUrl = checkAvatarUrl(input.avatarUrl);
    const row = await context.users.updateProfile(viewerId, patch, input.expectedVersion ?? null);
    if (!row) throw notFound('User');
    context.userById.clear(viewerId);
    return toUser(row, viewerId);
  }
}
