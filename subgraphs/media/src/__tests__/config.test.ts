import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMediaConfig } from '../config.js';

const BASE = { GATEWAY_SECRET: 'a-gateway-secret-of-at-least-32-characters', DATA_DIR: '/var/mega' };

describe('media configuration', () => {
  it('keeps files under <DATA_DIR>/media/files and derives links from the server address by default', () => {
    const config = readMediaConfig(BASE);
    expect(config.filesDir).toBe(path.join('/var/mega', 'media', 'files'));
    expect(config.publicBaseUrl).toBeUndefined();
    expect(config.port).toBe(4003);
  });

  it('reads MEDIA_PUBLIC_URL and MEDIA_FILES_DIR', () => {
    const config = readMediaConfig({ ...BASE, MEDIA_PUBLIC_URL: 'https://media.example.com', MEDIA_FILES_DIR: '/srv/files' });
    expect(config).toMatchObject({ publicBaseUrl: 'https://media.example.com', filesDir: '/srv/files' });
  });

  it('fails naming MEDIA_PUBLIC_URL when it is not an http(s) URL', () => {
    expect(() => readMediaConfig({ ...BASE, MEDIA_PUBLIC_URL: 'ftp://media.example.com' })).toThrow(/MEDIA_PUBLIC_URL/);
  });
});
