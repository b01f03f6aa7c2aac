import { useState } from 'react';
import type { MiniAppProps } from '@mega/mini-app-sdk';

/** The chat mini-app's root (the conversation list, thread and composer arrive with the chat work). */
export default function App({ context }: MiniAppProps) {
  const [presses, setPresses] = useState(0);
  return (
    <section aria-label={context.app.title}>
      <h1>{context.app.title}</h1>
      <p>Running on SDK {context.sdkVersion}.</p>
      <button type="button" onClick={() => setPresses((n) => n + 1)}>
        Pressed {presses}
      </button>
    </section>
  );
}
