import { useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { SdkErrorCode, type MiniAppContext } from '@mega/mini-app-sdk';
import type { ChatMessageFragment } from './gql/graphql';
import { addMessageToCache } from './message-cache';
import { PENDING_PREFIX } from './message-item';
import { CHAT_ATTACHMENT_VISIBILITY, CHAT_SEND_MESSAGE, CHAT_SET_TYPING, CHAT_SHARE_ATTACHMENT } from './operations';

/** At most one typing report per this interval (the server drops more anyway). */
const TYPING_REPORT_MS = 2000;

interface PickedMedia {
  id: string;
  title: string;
  /** Only its owner can see it: sending it makes it visible to anyone with its link. */
  private: boolean;
}

/**
 * Writes and sends a message: it shows at once as "Sending…" (an optimistic response) and is
 * replaced by the server's when it is confirmed; a retry of the same send (same clientMutationId)
 * never makes a second message. Photos and videos are picked from the media mini-app.
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
      await sendMessage({
        variables: { input: { conversationId, body: text, attachmentIds: attachments.map((asset) => asset.id), clientMutationId } },
        optimisticResponse: { __typename: 'Mutation', sendMessage: optimistic },
        update: (cache, { data }) => {
          if (data?.sendMessage) addMessageToCache(cache, conversationId, data.sendMessage);
        },
      });
    } catch (failure) {
      // Not sent: the text and attachments come back so that nothing typed is lost.
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
