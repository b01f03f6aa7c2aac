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

  it('uses the upload defaults and the development CORS origins outside production', () => {
    const config = readMediaConfig(BASE);
    expect(config.uploadLimits).toEqual({ maxBytes: 50 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024, tokenTtlSeconds: 86_400 });
    expect(config.corsOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(readMediaConfig({ ...BASE, NODE_ENV: 'production' }).corsOrigins).toEqual([]);
  });

  it('reads MAX_UPLOAD_BYTES, UPLOAD_QUOTA_BYTES, UPLOAD_TOKEN_TTL_SECONDS and CORS_ORIGINS', () => {
    const config = readMediaConfig({
      ...BASE,
      MAX_UPLOAD_BYTES: '1000',
      UPLOAD_QUOTA_BYTES: '5000000000',
      UPLOAD_TOKEN_TTL_SECONDS: '600',
      CORS_ORIGINS: 'https://app.example.com, https://shop.example.com/',
    });
    expect(config.uploadLimits).toEqual({ maxBytes: 1000, quotaBytes: 5_000_000_000, tokenTtlSeconds: 600 });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'https://shop.example.com']);
    expect(readMediaConfig({ ...BASE, CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });

  it('fails naming each malformed upload or CORS setting', () => {
    for (const [name, value] of [
      ['MAX_UPLOAD_BYTES', '0'],
      ['MAX_UPLOAD_BYTES', '3000000000'],
      ['MAX_UPLOAD_BYTES', 'lots'],
      ['UPLOAD_QUOTA_BYTES', '-1'],
      ['UPLOAD_TOKEN_TTL_SECONDS', '10'],
      ['CORS_ORIGINS', 'https://app.example.com/path'],
      ['CORS_ORIGINS', '*'],
    ] as const) {
      expect(() => readMediaConfig({ ...BASE, [name]: value }), `${name}=${value}`).toThrow(new RegExp(name));
    }
  });

  it('keeps files on disk unless MEDIA_STORAGE=s3, which reads the S3_* settings', () => {
    expect(readMediaConfig(BASE).s3).toBeUndefined();
    const config = readMediaConfig({
      ...BASE,
      MEDIA_STORAGE: 's3',
      S3_BUCKET: 'mega-media',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_KEY_PREFIX: 'media/',
    });
    expect(config.s3).toEqual({
      bucket: 'mega-media',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      keyPrefix: 'media/',
    });
    expect(readMediaConfig({ ...BASE, MEDIA_STORAGE: 's3', S3_BUCKET: 'b' }).s3).toEqual({
      bucket: 'b',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: undefined,
      keyPrefix: '',
    });
  });

  it('fails naming each missing or malformed storage setting', () => {
    const s3 = { ...BASE, MEDIA_STORAGE: 's3', S3_BUCKET: 'b' };
    for (const [env, name] of [
      [{ ...BASE, MEDIA_STORAGE: 'ftp' }, 'MEDIA_STORAGE'],
      [{ ...BASE, MEDIA_STORAGE: 's3' }, 'S3_BUCKET'],
      [{ ...s3, S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
      [{ ...s3, S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
      [{ ...s3, S3_ACCESS_KEY_ID: 'key' }, 'S3_SECRET_ACCESS_KEY'],
      [{ ...s3, S3_KEY_PREFIX: 'media' }, 'S3_KEY_PREFIX'],
    ] as const) {
      expect(() => readMediaConfig(env), name).toThrow(new RegExp(name));
    }
  });
});
