import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readGatewayConfig } from '../config.js';
import { resolveStaticPath } from '../http/static-files.js';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';
const ROOT = path.resolve('/srv/playground');

describe('playground static files', () => {
  it('resolves paths inside the build folder only', () => {
    expect(resolveStaticPath(ROOT, 'index.html')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveStaticPath(ROOT, 'assets/index-abc123.js')).toBe(path.join(ROOT, 'assets', 'index-abc123.js'));
    expect(resolveStaticPath(ROOT, 'assets/a%20b.js')).toBe(path.join(ROOT, 'assets', 'a b.js'));
  });

  it('refuses traversal, encoded or not, backslashes, NUL, dot-files and malformed escapes', () => {
    for (const relative of ['../package.json', '..%2f..%2fpackage.json', '%2e%2e/secret', 'assets/..%5c..%5cindex.html', 'a%00.js', '.vite/manifest.json', 'assets/.hidden', '%E0%A4%A', '', '/']) {
      expect(resolveStaticPath(ROOT, relative), relative).toBeUndefined();
    }
  });
});

describe('playground configuration', () => {
  it('is on outside production when a build is given, with demo logins and for anyone', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, PLAYGROUND_DIR: 'playground/dist' }).playground).toEqual({
      dir: path.resolve('playground/dist'),
      adminsOnly: false,
      adminUserIds: [],
      demo: true,
    });
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET }).playground).toBeUndefined();
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, PLAYGROUND_DIR: 'dist', PLAYGROUND_ENABLED: 'false' }).playground).toBeUndefined();
  });

  it('is off in production unless enabled, and then only for the admins, without demo logins', () => {
    const production = { GATEWAY_SECRET: SECRET, NODE_ENV: 'production', REQUIRE_PERSISTED_DOCUMENTS: 'false', PLAYGROUND_DIR: '/srv/playground' };
    expect(readGatewayConfig(production).playground).toBeUndefined();
    expect(readGatewayConfig({ ...production, PLAYGROUND_ENABLED: 'true', ADMIN_USER_IDS: ' id-1, id-2 ,' }).playground).toEqual({
      dir: '/srv/playground',
      adminsOnly: true,
      adminUserIds: ['id-1', 'id-2'],
      demo: false,
    });
  });

  it('names what is missing: admins in production, the build when enabled', () => {
    const production = { GATEWAY_SECRET: SECRET, NODE_ENV: 'production', REQUIRE_PERSISTED_DOCUMENTS: 'false', PLAYGROUND_ENABLED: 'true' };
    expect(() => readGatewayConfig({ ...production, PLAYGROUND_DIR: '/srv/playground' })).toThrow(/ADMIN_USER_IDS: is required/);
    expect(() => readGatewayConfig({ ...production, ADMIN_USER_IDS: 'id-1' })).toThrow(ConfigError);
    expect(() => readGatewayConfig({ ...production, ADMIN_USER_IDS: 'id-1' })).toThrow(/PLAYGROUND_DIR: is required/);
  });
});
