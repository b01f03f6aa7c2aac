import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SUPERGRAPH_FILE, readGatewayConfig } from '../config.js';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';

describe('gateway configuration', () => {
  it('applies the documented defaults', () => {
    const config = readGatewayConfig({ GATEWAY_SECRET: SECRET });
    expect(config).toEqual({
      env: 'development',
      host: '127.0.0.1',
      port: 4000,
      logLevel: 'info',
      gatewaySecret: SECRET,
      supergraph: DEFAULT_SUPERGRAPH_FILE,
      supergraphPollIntervalMs: 10_000,
      subgraphUrls: {},
      jwksUrl: undefined,
      subgraphTimeoutMs: 10_000,
      maxBodyBytes: 1024 * 1024,
      shutdownTimeoutMs: 10_000,
    });
    expect(DEFAULT_SUPERGRAPH_FILE).toMatch(/gateway[/\\]supergraph\.graphql$/);
  });

  it('fails fast, naming each missing or malformed variable', () => {
    const read = () => readGatewayConfig({ GATEWAY_SECRET: 'short', PORT: 'eighty', JWKS_URL: 'ftp://keys', MAX_BODY_BYTES: '-1' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/GATEWAY_SECRET: must be at least 32 characters/);
    expect(read).toThrow(/PORT/);
    expect(read).toThrow(/JWKS_URL/);
    expect(read).toThrow(/MAX_BODY_BYTES/);
    expect(() => readGatewayConfig({})).toThrow(/GATEWAY_SECRET/);
  });

  it('reads subgraph URL overrides from SUBGRAPH_URLS and SUBGRAPH_<NAME>_URL, the latter winning', () => {
    const config = readGatewayConfig({
      GATEWAY_SECRET: SECRET,
      SUBGRAPH_URLS: 'accounts=http://accounts:4001/graphql, comms=http://comms:4002/graphql',
      SUBGRAPH_COMMS_URL: 'https://comms.internal/graphql',
      SUBGRAPH_MEDIA_URL: 'http://media:4003/graphql',
    });
    expect(config.subgraphUrls).toEqual({
      accounts: 'http://accounts:4001/graphql',
      comms: 'https://comms.internal/graphql',
      media: 'http://media:4003/graphql',
    });
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, SUBGRAPH_URLS: 'accounts' })).toThrow(/SUBGRAPH_URLS/);
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, SUBGRAPH_MEDIA_URL: 'media:4003' })).toThrow(/SUBGRAPH_MEDIA_URL/);
  });

  it('takes the supergraph from --supergraph over SUPERGRAPH, resolving paths and keeping URLs', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, SUPERGRAPH: 'https://registry/supergraph' }).supergraph).toBe('https://registry/supergraph');
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, SUPERGRAPH: 'https://registry/a' }, { supergraph: 'local.graphql' }).supergraph).toBe(
      path.resolve('local.graphql'),
    );
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET }, { supergraph: 'ftp://x/y' })).toThrow(/--supergraph/);
  });
});
