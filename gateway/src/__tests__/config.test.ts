import { availableParallelism } from 'node:os';
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
      workers: 1,
      gatewaySecret: SECRET,
      supergraph: DEFAULT_SUPERGRAPH_FILE,
      supergraphPollIntervalMs: 10_000,
      subgraphUrls: {},
      subgraphHealthCheckIntervalMs: undefined,
      jwksUrl: undefined,
      subgraphTimeoutMs: 10_000,
      maxBodyBytes: 1024 * 1024,
      queryPlanCacheMib: 30,
      metrics: { enabled: true },
      shutdownTimeoutMs: 10_000,
      tls: undefined,
      upstreamTls: undefined,
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      redisUrl: undefined,
      trustProxy: 0,
      persistedDocumentsDir: undefined,
      playground: undefined, // served only with PLAYGROUND_DIR (pnpm start sets it)
      requirePersistedDocuments: false,
      rateLimits: { perIp: undefined, perAnonymousIp: undefined, perUser: undefined },
      operationLimits: { maxDepth: undefined, maxAliases: undefined, maxDirectives: undefined, maxTokens: undefined, maxCost: undefined },
      subscriptions: {},
    });
    expect(DEFAULT_SUPERGRAPH_FILE).toMatch(/gateway[/\\]supergraph\.graphql$/);
  });

  it('reads the WebSocket limits and refuses malformed ones', () => {
    const config = readGatewayConfig({
      GATEWAY_SECRET: SECRET,
      WS_KEEPALIVE_MS: '30000',
      WS_CONNECTION_INIT_TIMEOUT_MS: '2000',
      WS_MAX_PAYLOAD_BYTES: '1024',
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '5',
      WS_MAX_SUBSCRIPTIONS_PER_USER: '10',
    });
    expect(config.subscriptions).toEqual({
      keepAliveMs: 30_000,
      connectionInitTimeoutMs: 2000,
      maxPayloadBytes: 1024,
      maxSubscriptionsPerConnection: 5,
      maxSubscriptionsPerUser: 10,
    });
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, WS_MAX_SUBSCRIPTIONS_PER_USER: 'many' })).toThrow(/WS_MAX_SUBSCRIPTIONS_PER_USER/);
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

  it('reads the hardening settings: CORS origins, Redis, trusted proxies, persisted documents, rate and operation limits', () => {
    const config = readGatewayConfig({
      GATEWAY_SECRET: SECRET,
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com, https://shop.example.com/',
      REDIS_URL: 'redis://cache:6379/2',
      TRUST_PROXY: '2',
      PERSISTED_DOCUMENTS_DIR: 'manifests',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '100',
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_COST: '0',
    });
    expect(config).toMatchObject({
      corsOrigins: ['https://app.example.com', 'https://shop.example.com'],
      redisUrl: 'redis://cache:6379/2',
      trustProxy: 2,
      persistedDocumentsDir: path.resolve('manifests'),
      requirePersistedDocuments: true,
      rateLimits: { perIp: false, perAnonymousIp: undefined, perUser: { points: 100, durationSeconds: 60 } },
      operationLimits: { maxDepth: 8, maxCost: false, maxAliases: undefined },
    });
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, TRUST_PROXY: 'true' }).trustProxy).toBe(1);
  });

  it('allows no CORS origin and runs only persisted documents in production unless told otherwise', () => {
    const production = { GATEWAY_SECRET: SECRET, NODE_ENV: 'production' };
    expect(() => readGatewayConfig(production)).toThrow(/PERSISTED_DOCUMENTS_DIR: is required .*NODE_ENV=production/);
    const config = readGatewayConfig({ ...production, REQUIRE_PERSISTED_DOCUMENTS: 'false' });
    expect(config.corsOrigins).toEqual([]);
    expect(config.requirePersistedDocuments).toBe(false);
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });

  it('names each malformed hardening setting', () => {
    const read = () =>
      readGatewayConfig({
        GATEWAY_SECRET: SECRET,
        CORS_ORIGINS: 'https://app.example.com/path,*',
        REDIS_URL: 'http://cache',
        TRUST_PROXY: 'yes',
        REQUIRE_PERSISTED_DOCUMENTS: 'maybe',
        RATE_LIMIT_PER_USER: '-1',
        GRAPHQL_MAX_TOKENS: 'many',
      });
    for (const name of ['CORS_ORIGINS: "https://app.example.com/path"', 'CORS_ORIGINS: "\\*"', 'REDIS_URL', 'TRUST_PROXY', 'REQUIRE_PERSISTED_DOCUMENTS', 'RATE_LIMIT_PER_USER', 'GRAPHQL_MAX_TOKENS']) {
      expect(read).toThrow(new RegExp(name));
    }
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

  it('reads several instances of a subgraph as comma-separated URLs, in either variable', () => {
    const config = readGatewayConfig({
      GATEWAY_SECRET: SECRET,
      SUBGRAPH_URLS: 'accounts=http://a1:4001/graphql,http://a2:4011/graphql, comms=http://comms:4002/graphql',
      SUBGRAPH_MEDIA_URL: 'http://m1:4003/graphql, http://m2:4013/graphql',
      SUBGRAPH_HEALTH_CHECK_INTERVAL_MS: '500',
    });
    expect(config.subgraphUrls).toEqual({
      accounts: ['http://a1:4001/graphql', 'http://a2:4011/graphql'],
      comms: 'http://comms:4002/graphql',
      media: ['http://m1:4003/graphql', 'http://m2:4013/graphql'],
    });
    expect(config.subgraphHealthCheckIntervalMs).toBe(500);
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, SUBGRAPH_URLS: 'http://a1:4001/graphql' })).toThrow(/SUBGRAPH_URLS/);
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, SUBGRAPH_MEDIA_URL: 'http://m1:4003/graphql,m2:4013' })).toThrow(/SUBGRAPH_MEDIA_URL/);
  });

  it('takes the supergraph from --supergraph over SUPERGRAPH, resolving paths and keeping URLs', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, SUPERGRAPH: 'https://registry/supergraph' }).supergraph).toBe('https://registry/supergraph');
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, SUPERGRAPH: 'https://registry/a' }, { supergraph: 'local.graphql' }).supergraph).toBe(
      path.resolve('local.graphql'),
    );
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET }, { supergraph: 'ftp://x/y' })).toThrow(/--supergraph/);
  });

  it('takes the number of workers from --workers over GATEWAY_WORKERS, auto meaning one per core', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, GATEWAY_WORKERS: '3' }).workers).toBe(3);
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, GATEWAY_WORKERS: '3' }, { workers: '2' }).workers).toBe(2);
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, GATEWAY_WORKERS: 'auto' }).workers).toBe(availableParallelism());
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, GATEWAY_WORKERS: '0' })).toThrow(/GATEWAY_WORKERS: must be a positive number or auto/);
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET }, { workers: 'many' })).toThrow(/--workers: must be a positive number or auto/);
  });
});
