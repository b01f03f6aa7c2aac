import { useEffect, useRef } from 'react';
import type { AnyPendingIntent, MiniAppContext, MiniAppEntry } from '@mega/mini-app-sdk';
import { MiniAppSlot } from './mini-app-slot';

const TITLES = { 'share-product': 'Share a product', 'pick-media': 'Pick a photo or video', 'open-conversation': 'Open a conversation' } as const;

/**
 * The mini-app that answers an intent, over the one that asked: a modal dialog (focus moves into
 * it and returns after; Escape or Close cancels the intent).
 */
export function IntentDialog({ app, context, intent }: { app: MiniAppEntry; context: MiniAppContext<unknown>; intent: AnyPendingIntent }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    const returnFocus = document.activeElement as HTMLElement | null;
    element?.showModal();
    return () => {
      element?.close();
      returnFocus?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="intent-dialog"
      aria-label={TITLES[intent.type]}
      onCancel={(event) => {
        event.preventDefault();
        intent.cancel();
      }}
    >
      <header>
        <h2>{TITLES[intent.type]}</h2>
        <button type="button" onClick={() => intent.cancel()}>
          Close
        </button>
      </header>
      <MiniAppSlot app={app} context={context} intent={intent} />
    </dialog>
  );
}
