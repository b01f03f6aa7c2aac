import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSubgraphConfig } from '../config.js';

const SECRET = 'a-real-secret-with-at-least-32-characters';

describe('subgraph configuration', () => {
  it('applies the documented defaults', () => {
    const config = readSubgraphConfig('comms', { GATEWAY_SECRET: SECRET });
    expect(config).toMatchObject({ env: 'development', host: '127.0.0.1', port: 4002, databaseUrl: undefined, redisUrl: undefined, seed: true });
    expect(config.dataDir).toBe(path.resolve('.data', 'comms'));
  });

  it('refuses to start without a gateway secret, in production too, naming the variable', () => {
    expect(() => readSubgraphConfig('accounts', { NODE_ENV: 'production' })).toThrow(/GATEWAY_SECRET/);
    expect(() => readSubgraphConfig('accounts', { GATEWAY_SECRET: 'short' })).toThrow(/GATEWAY_SECRET must be at least 32 characters/);
  });

  it('names every malformed variable at once', () => {
    const attempt = () => readSubgraphConfig('media', { GATEWAY_SECRET: SECRET, PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' });
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/REDIS_URL/);
  });
});
