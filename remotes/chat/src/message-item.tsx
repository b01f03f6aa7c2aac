import type { ChatMessageFragment } from './gql/graphql';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A message sent but not yet confirmed by the server carries a temporary id. */
export const PENDING_PREFIX = 'pending:';

/** One message: sender, time, text, attachments (photos and videos from media, products from the shop). */
export function MessageItem({ message, own }: { message: ChatMessageFragment; own: boolean }) {
  const pending = message.id.startsWith(PENDING_PREFIX);
  return (
    <li className={`chat-message${own ? ' own' : ''}${pending ? ' pending' : ''}`} data-seq={pending ? undefined : message.seq}>
      <p className="chat-meta">
        <span className="chat-sender">{own ? 'You' : (message.sender?.displayName ?? 'Someone')}</span>{' '}
        {pending ? <span className="chat-status">Sending…</span> : <time dateTime={message.sentAt}>{time.format(new Date(message.sentAt))}</time>}
      </p>
      {message.body && <p className="chat-body">{message.body}</p>}
      {message.attachments.length > 0 && (
        <ul className="chat-attachments" aria-label="Attachments">
          {message.attachments.map((attachment, index) => {
            if (!attachment) return <li key={index}>An attachment that cannot be shown right now.</li>;
            if (attachment.__typename === 'Product') {
              return (
                <li key={attachment.id} className="chat-product">
                  <span aria-hidden="true">🛍️</span> <strong>{attachment.title}</strong> {attachment.price.formatted}
                </li>
              );
            }
            return (
              <li key={attachment.id} className="chat-media">
                {attachment.kind === 'IMAGE' && (attachment.thumbnailUrl ?? attachment.url) ? (
                  <img src={(attachment.thumbnailUrl ?? attachment.url)!} alt={attachment.title} width={160} height={120} loading="lazy" />
                ) : (
                  <span aria-hidden="true">{attachment.kind === 'VIDEO' ? '🎬' : attachment.kind === 'AUDIO' ? '🎵' : '🖼️'}</span>
                )}
                <span className="chat-media-title">{attachment.title}</span>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}
