import type { MiniAppProps } from '@mega/mini-app-sdk';
import { ConversationList } from './conversation-list';

/**
 * The chat mini-app's root: the conversation list so far (threads, composer and live messages come
 * next). It queries through the shell's one client (its ApolloProvider): a mini-app never makes its own.
 */
export default function App({ context }: MiniAppProps) {
  return (
    <section aria-label={context.app.title}>
      <h1>{context.app.title}</h1>
      <ConversationList />
    </section>
  );
}
