import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import type { MiniAppContext, PendingIntent } from '@mega/mini-app-sdk';
import { ConversationList } from './conversation-list';
import { addMessageToCache } from './message-cache';
import { CHAT_SEND_MESSAGE } from './operations';

/**
 * Answers `share-product` (from the shop): the user picks a conversation and may add a note; the
 * product is sent there as an attachment, and the intent resolves with where it went.
 */
export function ShareProduct({ intent, context }: { intent: PendingIntent<'share-product'>; context: MiniAppContext<unknown> }) {
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sendMessage, { loading }] = useMutation(CHAT_SEND_MESSAGE);
  // One id for this share, so that pressing Send again after a lost response sends it once.
  const [clientMutationId] = useState(() => crypto.randomUUID());

  async function share(event: FormEvent) {
    event.preventDefault();
    if (!conversationId) return;
    setError(null);
    try {
      const { data } = await sendMessage({
        variables: { input: { conversationId, body: note.trim(), productIds: [intent.request.productId], clientMutationId } },
        update: (cache, result) => {
          if (result.data?.sendMessage) addMessageToCache(cache, conversationId, result.data.sendMessage);
        },
      });
      if (data?.sendMessage) intent.resolve({ conversationId, messageId: data.sendMessage.id });
    } catch (failure) {
      setError(`Not shared: ${(failure as Error).message}`);
    }
  }

  return (
    <form className="chat-share" onSubmit={(event) => void share(event)}>
      <ConversationList
        viewerId={context.session.user?.id}
        selectedId={conversationId ?? undefined}
        onSelect={setConversationId}
        label="Share with"
      />
      <label>
        Add a note (optional)
        <input value={note} maxLength={4000} onChange={(event) => setNote(event.target.value)} />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={!conversationId || loading}>
        {loading ? 'Sharing…' : 'Share'}
      </button>
    </form>
  );
}
