import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  createCertificateAuthority,
  ensureLocalCertificates,
  httpsRequest,
  issueCertificate,
  TEST_GATEWAY_SECRET,
  type LocalCertificates,
} from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway, type GatewayOptions } from '../app.js';
import { ConfigError, readGatewayConfig } from '../config.js';
import { HSTS_HEADER_VALUE } from '../tls/server-tls.js';
import { createConnectionPool } from '../upstream/connection-pool.js';
import { memoryLogger, temporaryFolder, testSubgraphs, writeSupergraph } from './support/harness.js';
import { startProbeSubgraph, type ProbeSubgraph } from './support/probe-subgraph.js';

/** TLS 1.0/1.1 are below OpenSSL's default security level; a client must lower it to even offer them. */
const OLD_TLS_CLIENT = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

describe('gateway over TLS', () => {
  let probe: ProbeSubgraph;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let certificates: LocalCertificates;
  let supergraphFile: string;
  const started: Gateway[] = [];
  const log = memoryLogger();

  async function startGateway(options: Partial<GatewayOptions>) {
    const gateway = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: supergraphFile, logger: log.logger, ...options });
    started.push(gateway);
    return gateway.start();
  }

  const probeQuery = (url: string, tls: { ca?: string } = { ca: certificates.ca }) =>
    httpsRequest(url, { body: JSON.stringify({ query: '{ probe { requestId } }' }), tls });

  beforeAll(async () => {
    [probe, folder] = await Promise.all([startProbeSubgraph(), temporaryFolder()]);
    supergraphFile = folder.file('supergraph.graphql');
    await writeSupergraph(supergraphFile, await testSubgraphs({ probe: probe.url }));
    certificates = await ensureLocalCertificates(folder.file('tls'));
  });
  afterAll(async () => {
    await Promise.all(started.map((gateway) => gateway.stop()));
    await Promise.all([probe?.stop(), folder?.remove()]);
  });

  it('serves HTTPS from certificate files, reports an https URL, and sends HSTS on every response', async () => {
    const { url } = await startGateway({ tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);

    const answer = await probeQuery(url);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ data: { probe: { requestId: expect.any(String) } } });
    expect(answer.headers['strict-transport-security']).toBe(HSTS_HEADER_VALUE);
    expect(HSTS_HEADER_VALUE).toBe('max-age=31536000; includeSubDomains');

    const origin = new URL(url).origin;
    for (const [path, status] of [['/healthz', 200], ['/readyz', 200], ['/nowhere', 404]] as const) {
      const response = await httpsRequest(`${origin}${path}`, { tls: { ca: certificates.ca } });
      expect(response.status, path).toBe(status);
      expect(response.headers['strict-transport-security'], path).toBe(HSTS_HEADER_VALUE);
    }
  });

  it('is refused by clients that do not trust its CA, and keeps serving those that do', async () => {
    const { url } = await startGateway({ tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
    await expect(probeQuery(url, {})).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const stranger = await createCertificateAuthority({ commonName: 'Some other CA' });
    await expect(probeQuery(url, { ca: stranger.cert })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect((await probeQuery(url)).status).toBe(200);
  });

  it('refuses TLS 1.0 and 1.1 in the handshake, though the same client reaches a server that allows them', async () => {
    const { url } = await startGateway({ tls: { cert: certificates.cert, key: certificates.key } });
    await expect(httpsRequest(url, { tls: { ca: certificates.ca, ...OLD_TLS_CLIENT } })).rejects.toMatchObject({
      code: 'EPROTO',
      message: expect.stringMatching(/alert protocol version/),
    });
    expect((await probeQuery(url)).status).toBe(200);

    // The control: the refusal above is the gateway's minimum version, not the client's inability.
    const lenient = createHttpsServer({ cert: certificates.cert, key: certificates.key, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_req, res) =>
      res.end('old'),
    );
    await new Promise<void>((resolve) => lenient.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = lenient.address() as AddressInfo;
      const old = await httpsRequest(`https://127.0.0.1:${port}/`, { tls: { ca: certificates.ca, ...OLD_TLS_CLIENT } });
      expect(old.body).toBe('old');
    } finally {
      lenient.close();
    }
  });

  it('takes the certificate and key as PEM contents too', async () => {
    const { url } = await startGateway({ tls: { cert: certificates.cert, key: await readFile(certificates.keyFile) } });
    expect((await probeQuery(url)).status).toBe(200);
  });

  it('takes a renewed certificate on reloadTls() without a restart, and keeps the old one when the new files are bad', async () => {
    const renewedDir = folder.file('renewable');
    const first = await ensureLocalCertificates(renewedDir);
    const gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      supergraph: supergraphFile,
      logger: log.logger,
      tls: { certFile: first.certFile, keyFile: first.keyFile },
    });
    started.push(gateway);
    const { url } = await gateway.start();
    expect((await probeQuery(url, { ca: first.ca })).status).toBe(200);

    // A renewal with a new CA (here forced by losing the old CA's key): files replaced, then reloaded.
    await rm(first.caKeyFile);
    const second = await ensureLocalCertificates(renewedDir);
    expect(second.created.ca).toBe(true);
    await expect(probeQuery(url, { ca: second.ca })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    await gateway.reloadTls();
    expect((await probeQuery(url, { ca: second.ca })).status).toBe(200);
    await expect(probeQuery(url, { ca: first.ca })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });

    await writeFile(second.keyFile, first.key); // a key that does not match the certificate
    await expect(gateway.reloadTls()).rejects.toThrow(/key values mismatch/);
    expect((await probeQuery(url, { ca: second.ca })).status).toBe(200);
  });

  it('fails to start, naming the file, when the certificate cannot be read', async () => {
    await expect(startGateway({ tls: { certFile: folder.file('missing.pem'), keyFile: certificates.keyFile } })).rejects.toThrow(
      /Cannot read the TLS certificate .*missing\.pem: ENOENT/,
    );
  });
});

describe('gateway TLS configuration', () => {
  const SECRET = 'a-gateway-secret-of-at-least-32-characters';

  it('takes TLS_CERT_FILE and TLS_KEY_FILE together as absolute paths, and fails naming the one missing', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET }).tls).toBeUndefined();
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, TLS_CERT_FILE: 'tls/cert.pem', TLS_KEY_FILE: '/etc/tls/key.pem' }).tls).toEqual({
      certFile: `${process.cwd()}/tls/cert.pem`,
      keyFile: '/etc/tls/key.pem',
    });
    const certOnly = () => readGatewayConfig({ GATEWAY_SECRET: SECRET, TLS_CERT_FILE: 'cert.pem' });
    expect(certOnly).toThrow(ConfigError);
    expect(certOnly).toThrow(/TLS_KEY_FILE: is required when TLS_CERT_FILE is set/);
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, TLS_KEY_FILE: 'key.pem' })).toThrow(/TLS_CERT_FILE: is required when TLS_KEY_FILE is set/);
  });

  it('reads the upstream CA alone, or with a client certificate and key that come together', () => {
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET }).upstreamTls).toBeUndefined();
    expect(readGatewayConfig({ GATEWAY_SECRET: SECRET, UPSTREAM_TLS_CA_FILE: '/ca.pem' }).upstreamTls).toEqual({ caFile: '/ca.pem' });
    expect(
      readGatewayConfig({ GATEWAY_SECRET: SECRET, UPSTREAM_TLS_CA_FILE: '/ca.pem', UPSTREAM_TLS_CERT_FILE: '/c.pem', UPSTREAM_TLS_KEY_FILE: '/k.pem' })
        .upstreamTls,
    ).toEqual({ caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
    expect(() => readGatewayConfig({ GATEWAY_SECRET: SECRET, UPSTREAM_TLS_CERT_FILE: '/c.pem' })).toThrow(
      /UPSTREAM_TLS_KEY_FILE: is required when UPSTREAM_TLS_CERT_FILE is set/,
    );
  });
});

describe('connection pool with upstream TLS', () => {
  it('presents its client certificate and trusts only the configured CA', async () => {
    const folder = await temporaryFolder();
    const ca = await createCertificateAuthority({ commonName: 'Upstream test CA' });
    const server = await issueCertificate(ca, { commonName: 'subgraph', usage: 'server', hosts: ['127.0.0.1'] });
    const client = await issueCertificate(ca, { commonName: 'gateway', usage: 'client' });
    await Promise.all([
      writeFile(folder.file('ca.pem'), ca.cert),
      writeFile(folder.file('client.pem'), client.cert),
      writeFile(folder.file('client-key.pem'), client.key),
    ]);
    let requests = 0;
    const upstream = createHttpsServer({ cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      requests += 1;
      res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject.CN}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    const withCertificate = createConnectionPool({ tls: { caFile: folder.file('ca.pem'), certFile: folder.file('client.pem'), keyFile: folder.file('client-key.pem') } });
    const caOnly = createConnectionPool({ tls: { caFile: folder.file('ca.pem') } });
    const nodeCas = createConnectionPool();
    try {
      await withCertificate.open();
      expect(await (await withCertificate.fetch(url, { method: 'GET' }, 5_000)).text()).toBe('hello gateway');
      // Refused in the handshake: TLS 1.3 sends the alert after the client's Finished, so the client
      // sees the socket close (or the alert itself, depending on timing).
      await expect(caOnly.fetch(url, { method: 'GET' }, 5_000).then((response) => response.text())).rejects.toMatchObject({
        cause: { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)$/) },
      });
      await expect(nodeCas.fetch(url, { method: 'GET' }, 5_000)).rejects.toMatchObject({ cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
      expect(requests).toBe(1);
      await expect(createConnectionPool({ tls: { certFile: folder.file('client.pem') } }).open()).rejects.toThrow(/both a client certificate and its key/);
      await expect(createConnectionPool({ tls: { caFile: folder.file('nope.pem') } }).open()).rejects.toThrow(/Cannot read the upstream TLS CA certificate .*nope\.pem: ENOENT/);
    } finally {
      await Promise.all([withCertificate.close(), caOnly.close(), nodeCas.close()]);
      upstream.close();
      await folder.remove();
    }
  });
});
