import { useRef, useState, type FormEvent } from 'react';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { SdkErrorCode, type MiniAppContext } from '@mega/mini-app-sdk';
import type { ChatMessageFragment } from './gql/graphql';
import { addMessageToCache } from './message-cache';
import { PENDING_PREFIX } from './message-item';
import { CHAT_ATTACHMENT_VISIBILITY, CHAT_SEND_MESSAGE, CHAT_SET_TYPING, CHAT_SHARE_ATTACHMENT } from './operations';

/** At most one typing report per this interval (the server drops more anyway). */
const TYPING_REPORT_MS = 2000;

/** The longest wait between two attempts of a send that failed on the network. */
const MAX_SEND_RETRY_WAIT_MS = 30_000;

/**
 * Whether a send failed before the server could answer it (no connection, the response lost, a
 * gateway or subgraph unavailable): it may have been applied or not, so it is sent again with the
 * same clientMutationId, which the server answers with the stored message if it was.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return false;
  if (ServerError.is(error)) return error.statusCode >= 500 || error.statusCode === 408 || error.statusCode === 429;
  return true;
}

/** Jittered exponential backoff: about 1 s, 2 s, 4 s ... up to {@link MAX_SEND_RETRY_WAIT_MS}. */
const sendRetryWaitMs = (attempt: number) => {
  const ceiling = Math.min(MAX_SEND_RETRY_WAIT_MS, 1000 * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
};

interface PickedMedia {
  id: string;
  title: string;
  /** Only its owner can see it: sending it makes it visible to anyone with its link. */
  private: boolean;
}

/**
 * Writes and sends a message: it shows at once as "Sending…" (an optimistic layer of the cache) and
 * is replaced by the server's when it is confirmed; a send that failed on the network is retried
 * with the same clientMutationId (so never makes a second message) and stays "Sending…" meanwhile;
 * one the server refused gives its text back. Photos and videos are picked from the media mini-app.
 */
export function Composer({ conversationId, context, onSent }: { conversationId: string; context: MiniAppContext<unknown>; onSent: () => void }) {
  const client = useApolloClient();
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<PickedMedia[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lastTypingReport = useRef(0);
  const [setTyping] = useMutation(CHAT_SET_TYPING);
  const [sendMessage] = useMutation(CHAT_SEND_MESSAGE);
  const input = useRef<HTMLTextAreaElement>(null);

  function reportTyping() {
    const now = Date.now();
    if (now - lastTypingReport.current < TYPING_REPORT_MS) return;
    lastTypingReport.current = now;
    void setTyping({ variables: { conversationId } }).catch(() => undefined);
  }

  async function attachMedia() {
    setError(null);
    try {
      const { assetId } = await context.intents.dispatch('pick-media', { kinds: ['IMAGE', 'VIDEO', 'AUDIO'] });
      const { data } = await client.query({ query: CHAT_ATTACHMENT_VISIBILITY, variables: { id: assetId }, fetchPolicy: 'network-only' });
      const picked = { id: assetId, title: data?.mediaAsset?.title ?? 'Attachment', private: data?.mediaAsset?.visibility === 'PRIVATE' };
      setAttachments((current) => (current.some((asset) => asset.id === assetId) ? current : [...current, picked]));
    } catch (failure) {
      const code = (failure as { code?: string }).code;
      if (code === SdkErrorCode.INTENT_CANCELLED) return;
      setError(code === SdkErrorCode.NO_INTENT_HANDLER ? 'Photos cannot be picked right now: the media mini-app is not available.' : (failure as Error).message);
    }
  }

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text && attachments.length === 0) return;
    const clientMutationId = crypto.randomUUID();
    const user = context.session.user;
    const optimistic: ChatMessageFragment & { conversation: { __typename: 'Conversation'; id: string } } = {
      __typename: 'Message',
      id: `${PENDING_PREFIX}${clientMutationId}`,
      seq: Number.MAX_SAFE_INTEGER,
      body: text,
      sentAt: new Date().toISOString(),
      clientMutationId,
      sender: user ? { __typename: 'User', id: user.id, displayName: user.displayName, avatarUrl: user.avatarUrl } : null,
      attachments: [],
      conversation: { __typename: 'Conversation', id: conversationId },
    };
    const sent = { body: text, attachments };
    setBody('');
    setAttachments([]);
    setError(null);
    onSent();
    try {
      // The other members can see only what is not PRIVATE: sending it makes it visible to anyone with its link, and says so.
      for (const asset of attachments.filter((picked) => picked.private)) {
        await client.mutate({ mutation: CHAT_SHARE_ATTACHMENT, variables: { id: asset.id } });
        context.notifications.notify({ kind: 'info', message: `“${asset.title}” is now visible to anyone with its link, so that the conversation can see it.` });
      }
      // Shown as "Sending…" until the server confirms it, across retries: a send that failed on the
      // network is sent again with the same clientMutationId (never a second message), with backoff.
      client.cache.recordOptimisticTransaction((cache) => addMessageToCache(cache, conversationId, optimistic), optimistic.id);
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await sendMessage({
              variables: { input: { conversationId, body: text, attachmentIds: attachments.map((asset) => asset.id), clientMutationId } },
              // Kept in the shell's outbox while the gateway cannot be reached (sent in order when it can).
              context: { outbox: true },
              update: (cache, { data }) => {
                if (data?.sendMessage) addMessageToCache(cache, conversationId, data.sendMessage);
              },
            });
            break;
          } catch (failure) {
            if (!isNetworkFailure(failure)) throw failure;
            await new Promise((resolve) => setTimeout(resolve, sendRetryWaitMs(attempt)));
          }
        }
      } finally {
        client.cache.removeOptimistic(optimistic.id);
      }
    } catch (failure) {
      // Refused by the server (so not applied): the text and attachments come back so that nothing typed is lost.
      setBody((current) => current || sent.body);
      setAttachments((current) => (current.length > 0 ? current : sent.attachments));
      setError(`Not sent: ${(failure as Error).message}`);
      input.current?.focus();
    }
  }

  return (
    <form className="chat-composer" onSubmit={(event) => void send(event)} aria-label="Write a message">
      {error && (
        <p role="alert" className="chat-error">
          {error}
        </p>
      )}
      {attachments.length > 0 && (
        <ul className="chat-picked" aria-label="To attach">
          {attachments.map((asset) => (
            <li key={asset.id}>
              {asset.title}
              {asset.private && <span className="chat-visibility-note"> (will be visible to anyone with its link)</span>}
              <button type="button" aria-label={`Remove ${asset.title}`} onClick={() => setAttachments((current) => current.filter((other) => other.id !== asset.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="chat-compose-row">
        <button type="button" onClick={() => void attachMedia()} aria-label="Attach a photo or video">
          📎
        </button>
        <label className="chat-visually-hidden" htmlFor={`chat-input-${conversationId}`}>
          Message
        </label>
        <textarea
          id={`chat-input-${conversationId}`}
          ref={input}
          rows={1}
          value={body}
          maxLength={4000}
          placeholder="Message"
          onChange={(event) => {
            setBody(event.target.value);
            if (event.target.value.trim()) reportTyping();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" className="primary">
          Send
        </button>
      </div>
    </form>
  );
}
