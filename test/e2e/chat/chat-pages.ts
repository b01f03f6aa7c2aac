import type { Page } from 'playwright-core';
import type { Web } from '@mega/test-utils';

/** The open conversation's messages. */
export const thread = (page: Page) => page.getByRole('list', { name: /^Messages with/ });

/** Opens the chat mini-app (a page load) and the conversation named `name` in it. */
export async function openConversation(web: Web, page: Page, name: string): Promise<void> {
  await page.goto(web.appUrl('chat'));
  await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

/** The id of the conversation of exactly two members without a title (the seeded Alice and Bob one), as `token`'s holder sees it. */
export const DIRECT_CONVERSATIONS_QUERY = '{ conversations(first: 50) { edges { node { id title members { id } } } } }';
export function directConversationId(data: { conversations: { edges: { node: { id: string; title: string | null; members: { id: string }[] } }[] } }): string {
  return data.conversations.edges.find(({ node }) => node.title === null && node.members.length === 2)!.node.id;
}
