import { describe, expect, it } from 'vitest';
import { CapabilityError, SdkErrorCode } from '../capabilities.js';
import { createIntentRouter } from '../intents.js';
import { createMiniAppContext, type ShellServices } from '../mini-app-context.js';
import { parseRegistry, type MiniAppEntry } from '../registry.js';

const registry = parseRegistry({
  version: 1,
  apps: [
    { id: 'chat', title: 'Chat', icon: '💬', route: '/chat', manifestUrl: 'http://127.0.0.1:5174/mf-manifest.json', sdk: '^1.0.0', capabilities: ['session', 'graphql', 'intents'], handles: ['share-product'] },
    { id: 'shop', title: 'Shop', icon: '🛍️', route: '/shop', manifestUrl: 'http://127.0.0.1:5176/mf-manifest.json', sdk: '^1.0.0', capabilities: ['graphql', 'intents'] },
    { id: 'quiet', title: 'Quiet', icon: '🤫', route: '/quiet', manifestUrl: 'http://127.0.0.1:5177/mf-manifest.json', sdk: '^1.0.0', capabilities: ['graphql'] },
  ],
});
const app = (id: string) => registry.apps.find((entry) => entry.id === id) as MiniAppEntry;

function shell(): ShellServices<{ name: string }> {
  return {
    session: { user: { id: 'u1', handle: 'alice', displayName: 'Alice', avatarUrl: null }, signOut: async () => undefined, subscribe: () => () => undefined },
    graphql: { name: 'the one client' },
    navigation: { path: '/', navigate: () => undefined, subscribe: () => () => undefined },
    notifications: { notify: () => undefined },
    connectivity: { status: 'online', pendingActions: 0, subscribe: () => () => undefined },
    intents: createIntentRouter((id) => app(id).handles),
  };
}

describe('mini-app context', () => {
  it('hands every mini-app the same shell services it requested, and refuses the others with CAPABILITY_NOT_GRANTED', () => {
    const services = shell();
    const chat = createMiniAppContext(app('chat'), services);
    const shop = createMiniAppContext(app('shop'), services);
    expect(chat.graphql).toBe(shop.graphql);
    expect(chat.session.user?.handle).toBe('alice');
    expect(() => shop.session).toThrow(CapabilityError);
    expect(() => shop.notifications).toThrow(/did not request the "notifications" capability/);
    expect(() => shop.connectivity).toThrow(expect.objectContaining({ code: SdkErrorCode.CAPABILITY_NOT_GRANTED, capability: 'connectivity', appId: 'shop' }));
  });

  it('routes an intent to the mini-app that handles it, only for apps that requested intents', async () => {
    const services = shell();
    const chat = createMiniAppContext(app('chat'), services);
    const shop = createMiniAppContext(app('shop'), services);
    const quiet = createMiniAppContext(app('quiet'), services);
    await expect(shop.intents.dispatch('share-product', { productId: 'p1' })).rejects.toMatchObject({ code: SdkErrorCode.NO_INTENT_HANDLER });
    const asked: unknown[] = [];
    const stop = chat.intents.handle('share-product', async (request, from) => {
      asked.push([request, from]);
      return { conversationId: 'c1', messageId: 'm1' };
    });
    await expect(shop.intents.dispatch('share-product', { productId: 'p1' })).resolves.toEqual({ conversationId: 'c1', messageId: 'm1' });
    expect(asked).toEqual([[{ productId: 'p1' }, 'shop']]);
    await expect(quiet.intents.dispatch('share-product', { productId: 'p1' })).rejects.toThrow(CapabilityError);
    expect(() => shop.intents.handle('share-product', async () => ({ conversationId: '', messageId: '' }))).toThrow(/may not handle "share-product"/);
    stop();
    await expect(shop.intents.dispatch('share-product', { productId: 'p1' })).rejects.toMatchObject({ code: SdkErrorCode.NO_INTENT_HANDLER });
  });

  it('lets a loaded mini-app take over an intent from the shell\'s handler, and gives it back when it unloads', async () => {
    const services = shell();
    const shop = createMiniAppContext(app('shop'), services);
    const chat = createMiniAppContext(app('chat'), services);
    services.intents.handle('chat', 'share-product', async () => ({ conversationId: 'from-dialog', messageId: 'm1' }));
    const stop = chat.intents.handle('share-product', async () => ({ conversationId: 'in-page', messageId: 'm2' }));
    await expect(shop.intents.dispatch('share-product', { productId: 'p1' })).resolves.toEqual({ conversationId: 'in-page', messageId: 'm2' });
    stop();
    await expect(shop.intents.dispatch('share-product', { productId: 'p1' })).resolves.toEqual({ conversationId: 'from-dialog', messageId: 'm1' });
  });
});
