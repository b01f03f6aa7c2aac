import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import type { MiniAppContext } from '@mega/mini-app-sdk';
import { Composer } from './composer';
import { MessageItem, PENDING_PREFIX } from './message-item';
import { addMessageToCache } from './message-cache';
import { conversationName } from './names';
import { CHAT_MARK_READ, CHAT_MESSAGE_ADDED, CHAT_THREAD, CHAT_TYPING, THREAD_PAGE_SIZE } from './operations';

/** How long "… is typing" stays after the last typing event (the server sends one per 2 s at most). */
const TYPING_SHOWN_MS = 3500;

/** Someone else's typing in the conversation, shown until they stop for a moment. */
function useTypists(conversationId: string): string[] {
  const [typists, setTypists] = useState<Map<string, { name: string; until: number }>>(new Map());
  useSubscription(CHAT_TYPING, {
    variables: { conversationId },
    onData: ({ data }) => {
      const event = data.data?.typing;
      if (!event) return;
      setTypists((current) => new Map(current).set(event.user.id, { name: event.user.displayName, until: Date.now() + TYPING_SHOWN_MS }));
    },
  });
  useEffect(() => {
    if (typists.size === 0) return;
    const next = Math.min(...[...typists.values()].map((typist) => typist.until));
    const timer = setTimeout(() => setTypists((current) => new Map([...current].filter(([, typist]) => typist.until > Date.now()))), Math.max(0, next - Date.now()));
    return () => clearTimeout(timer);
  }, [typists]);
  return [...typists.values()].map((typist) => typist.name);
}

/**
 * One conversation: its messages (older ones load when scrolling to the top), new ones live, who
 * is typing, and the composer. Reading it marks it read.
 */
export function Thread({ conversationId, context }: { conversationId: string; context: MiniAppContext<unknown> }) {
  const viewerId = context.session.user?.id;
  const client = useApolloClient();
  const { data, error, loading, fetchMore } = useQuery(CHAT_THREAD, { variables: { id: conversationId, first: THREAD_PAGE_SIZE } });
  const conversation = data?.conversation;
  const edges = conversation?.messages.edges ?? [];
  const lastSeq = edges.filter(({ node }) => !node.id.startsWith(PENDING_PREFIX)).at(-1)?.node.seq;

  // Live messages from the newest one loaded on: the server replays any stored after it first, so
  // nothing sent between the query and the subscription is missed (each is added once).
  const [liveFrom, setLiveFrom] = useState<number | null>(null);
  useEffect(() => {
    if (liveFrom === null && conversation) setLiveFrom(lastSeq ?? 0);
  }, [conversation, lastSeq, liveFrom]);
  // After a reconnect, live messages resume from the newest one the client holds rather than from
  // where they first started (graphql-ws subscribes the same variables again): the server replays
  // only what was missed while the connection was down.
  const lastSeqHeld = useRef(lastSeq);
  lastSeqHeld.current = lastSeq;
  const { connectivity } = context;
  useEffect(() => {
    let status = connectivity.status;
    return connectivity.subscribe(() => {
      const was = status;
      status = connectivity.status;
      if (status === 'online' && was !== 'online') setLiveFrom((current) => (current === null ? null : (lastSeqHeld.current ?? current)));
    });
  }, [connectivity]);
  useSubscription(CHAT_MESSAGE_ADDED, {
    variables: { conversationId, afterSeq: liveFrom ?? 0 },
    skip: liveFrom === null,
    onData: ({ data: event }) => {
      const message = event.data?.messageAdded;
      if (message) addMessageToCache(client.cache, conversationId, message);
    },
  });

  const [markRead] = useMutation(CHAT_MARK_READ);
  useEffect(() => {
    if (lastSeq !== undefined && (conversation?.unreadCount ?? 0) > 0) void markRead({ variables: { conversationId, seq: lastSeq } }).catch(() => undefined);
  }, [conversationId, lastSeq, conversation?.unreadCount, markRead]);

  const typists = useTypists(conversationId);

  // Scroll: to the newest message at first and when one arrives while at the bottom; kept in place when older ones are prepended.
  const scroller = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const heightBeforeOlder = useRef<number | null>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (heightBeforeOlder.current !== null) {
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [edges.length]);

  const [loadingOlder, setLoadingOlder] = useState(false);
  const hasOlder = conversation?.messages.pageInfo.hasPreviousPage ?? false;
  async function loadOlder() {
    if (loadingOlder || !hasOlder) return;
    setLoadingOlder(true);
    heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
    try {
      await fetchMore({ variables: { before: conversation?.messages.pageInfo.startCursor ?? null } });
    } finally {
      setLoadingOlder(false);
    }
  }
  // Older messages load on their own when the top of the thread comes into view.
  const top = useRef<HTMLLIElement>(null);
  const loadOlderRef = useRef(loadOlder);
  loadOlderRef.current = loadOlder;
  useEffect(() => {
    const sentinel = top.current;
    if (!sentinel || !hasOlder) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && scroller.current && scroller.current.scrollTop < scroller.current.clientHeight) void loadOlderRef.current();
    }, { root: scroller.current });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasOlder, edges.length]);

  // Focus on the conversation's heading once it is shown (after loading), for keyboard and screen reader users.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = conversation !== undefined && conversation !== null;
  useEffect(() => {
    if (shown) heading.current?.focus();
  }, [conversationId, shown]);

  if (loading && !data) return <div className="chat-thread chat-placeholder" aria-busy="true">Loading messages…</div>;
  if (error && !data) return <p role="alert">The conversation could not be loaded: {error.message}</p>;
  if (!conversation) return <p role="alert">This conversation does not exist, or you are not one of its members.</p>;
  const name = conversationName(conversation, viewerId);

  return (
    <section className="chat-thread" aria-labelledby="chat-thread-heading">
      <h2 id="chat-thread-heading" ref={heading} tabIndex={-1}>
        {name}
      </h2>
      <ol
        ref={scroller}
        className="chat-messages"
        aria-label={`Messages with ${name}`}
        aria-busy={loadingOlder}
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        }}
      >
        {hasOlder && (
          <li ref={top} className="chat-older">
            <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
              {loadingOlder ? 'Loading earlier messages…' : 'Load earlier messages'}
            </button>
          </li>
        )}
        {edges.map(({ node }) => (
          <MessageItem key={node.id} message={node} own={node.sender?.id === viewerId} />
        ))}
      </ol>
      <p className="chat-typing" aria-live="polite">
        {typists.length > 0 ? `${typists.join(', ')} ${typists.length === 1 ? 'is' : 'are'} typing…` : ''}
      </p>
      <Composer conversationId={conversationId} context={context} onSent={() => (atBottom.current = true)} />
    </section>
  );
}
