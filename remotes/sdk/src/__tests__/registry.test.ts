import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SdkErrorCode } from '../capabilities.js';
import { compatibility, parseRegistry } from '../registry.js';
import { checkSdkRange, SDK_VERSION } from '../version.js';

const chat = {
  id: 'chat',
  title: 'Chat',
  icon: '💬',
  route: '/chat',
  manifestUrl: 'http://127.0.0.1:5174/mf-manifest.json',
  sdk: '^1.0.0',
  capabilities: ['session', 'graphql', 'navigation', 'intents'],
  handles: ['share-product', 'open-conversation'],
};
const shop = { ...chat, id: 'shop', title: 'Shop', icon: '🛍️', route: '/shop', manifestUrl: 'http://127.0.0.1:5176/mf-manifest.json', handles: [] };

function problemsOf(document: unknown): string {
  try {
    parseRegistry(document);
  } catch (error) {
    expect((error as { code?: string }).code).toBe(SdkErrorCode.INVALID_REGISTRY);
    return (error as Error).message;
  }
  throw new Error('the registry was accepted');
}

describe('mini-app registry', () => {
  it('reads a valid registry, with handles defaulting to none', () => {
    const { handles: _handles, ...withoutHandles } = shop;
    const registry = parseRegistry({ version: 1, apps: [chat, withoutHandles] });
    expect(registry.apps.map((app) => app.id)).toEqual(['chat', 'shop']);
    expect(registry.apps[1]!.handles).toEqual([]);
  });

  it('names every problem with its path: bad ids, routes, URLs, ranges, unknown capabilities and fields', () => {
    const message = problemsOf({
      version: 1,
      apps: [{ ...chat, id: 'Chat!', route: 'chat', manifestUrl: 'ftp://x/mf-manifest.json', sdk: 'latest', capabilities: ['camera'], extra: 1 }],
    });
    for (const path of ['apps.0.id', 'apps.0.route', 'apps.0.manifestUrl', 'apps.0.sdk', 'apps.0.capabilities.0', 'apps.0']) expect(message).toContain(`${path}:`);
  });

  it('refuses duplicate ids, duplicate routes, two handlers of one intent, and other versions of the format', () => {
    expect(problemsOf({ version: 1, apps: [chat, { ...shop, id: 'chat' }] })).toContain('apps.1.id: duplicate id "chat"');
    expect(problemsOf({ version: 1, apps: [chat, { ...shop, route: '/chat' }] })).toContain('apps.1.route: duplicate route "/chat"');
    expect(problemsOf({ version: 1, apps: [chat, { ...shop, handles: ['open-conversation'] }] })).toContain('"open-conversation" is already handled by "chat"');
    expect(problemsOf({ version: 2, apps: [] })).toContain('version:');
    expect(problemsOf('not json')).toContain('(root):');
  });

  it('loads only mini-apps whose SDK range the shell satisfies, and says why otherwise', () => {
    const registry = parseRegistry({ version: 1, apps: [chat, { ...shop, sdk: '^2.0.0' }] });
    expect(compatibility(registry.apps[0]!)).toEqual({ ok: true });
    const refused = compatibility(registry.apps[1]!);
    expect(refused).toEqual({ ok: false, message: `Shop needs a newer or older shell (it works with SDK ^2.0.0; this shell provides ${SDK_VERSION}).` });
    expect(compatibility(registry.apps[1]!, '2.3.0')).toEqual({ ok: true });
    expect(checkSdkRange('not a range')).toEqual({ ok: false, reason: 'invalid-range' });
  });

  it('declares the version of its package', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
