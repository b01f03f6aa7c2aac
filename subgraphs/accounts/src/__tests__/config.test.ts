import { describe, expect, it } from 'vitest';
import { createLogger } from '@mega/subgraph-kit';
import { accountsStartOptionsFromConfig, readAccountsConfig } from '../config.js';

const BASE = { GATEWAY_SECRET: 'a-gateway-secret-of-at-least-32-characters' };

describe('accounts configuration', () => {
  it('rotates the signing key every 30 days by default', () => {
    const config = readAccountsConfig(BASE);
    expect(config.signingKeyMaxAgeDays).toBe(30);
    expect(config.port).toBe(4001);
  });

  it('reads SIGNING_KEY_MAX_AGE_DAYS and passes it and REDIS_URL to the start options', () => {
    const config = readAccountsConfig({ ...BASE, SIGNING_KEY_MAX_AGE_DAYS: '7.5', REDIS_URL: 'redis://cache:6379' });
    const options = accountsStartOptionsFromConfig(config, createLogger('accounts', 'silent'));
    expect(options).toMatchObject({ signingKeyMaxAgeDays: 7.5, redisUrl: 'redis://cache:6379' });
  });

  it('fails naming SIGNING_KEY_MAX_AGE_DAYS when it is not a positive number of days', () => {
    for (const value of ['0', '-3', 'monthly', '1000']) {
      expect(() => readAccountsConfig({ ...BASE, SIGNING_KEY_MAX_AGE_DAYS: value })).toThrow(/SIGNING_KEY_MAX_AGE_DAYS/);
    }
  });
});
