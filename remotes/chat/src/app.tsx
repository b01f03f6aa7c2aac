import { useState } from 'react';
import { gql } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import type { MiniAppProps } from '@mega/mini-app-sdk';

const CHAT_VIEWER = gql`
  query ChatViewer {
    me {
      id
      displayName
    }
  }
`;

/** The chat mini-app's root (the conversation list, thread and composer arrive with the chat work). */
export default function App({ context }: MiniAppProps) {
  const [presses, setPresses] = useState(0);
  // The shell's one client, through its ApolloProvider: a mini-app never makes its own.
  const { data } = useQuery<{ me: { id: string; displayName: string } | null }>(CHAT_VIEWER);
  return (
    <section aria-label={context.app.title}>
      <h1>{context.app.title}</h1>
      <p>Running on SDK {context.sdkVersion}.</p>
      {data?.me && <p>Chatting as {data.me.displayName}.</p>}
      <button type="button" onClick={() => setPresses((n) => n + 1)}>
        Pressed {presses}
      </button>
    </section>
  );
}
