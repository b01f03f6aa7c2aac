import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createCertificateAuthority, httpsRequest, issueCertificate, TEST_GATEWAY_SECRET, type PemCertificate } from '@mega/test-utils';
import { gql } from 'graphql-tag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSubgraphConfig } from '../config.js';
import type { BaseContext } from '../context.js';
import { signIdentity } from '../identity.js';
import { createLogger } from '../logger.js';
import { startSubgraphServer, type SubgraphServer } from '../server.js';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';

/** A client whose certificate the subgraph refuses: the handshake fails or the socket is closed before any answer. */
const REFUSED = { code: expect.stringMatching(/^(ECONNRESET|EPIPE|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)$/) };

describe('subgraph TLS configuration', () => {
  it('takes TLS_CERT_FILE, TLS_KEY_FILE and TLS_CLIENT_CA_FILE together, as absolute paths', () => {
    expect(readSubgraphConfig('accounts', { GATEWAY_SECRET: SECRET }).tls).toBeUndefined();
    expect(readSubgraphConfig('accounts', { GATEWAY_SECRET: SECRET, TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: '/k.pem', TLS_CLIENT_CA_FILE: '/ca.pem' }).tls).toEqual({
      certFile: path.resolve('c.pem'),
      keyFile: '/k.pem',
      clientCaFile: '/ca.pem',
    });
  });

  it('fails fast naming each TLS variable that is missing when another is set', () => {
    const read = () => readSubgraphConfig('accounts', { GATEWAY_SECRET: SECRET, TLS_CERT_FILE: 'c.pem' });
    expect(read).toThrow(/TLS_KEY_FILE: is required/);
    expect(read).toThrow(/TLS_CLIENT_CA_FILE: is required/);
    expect(read).not.toThrow(/TLS_CERT_FILE: is required/);
  });
});

describe('subgraph server with mutual TLS', () => {
  const logger = createLogger('kit-tls-test', 'silent');
  let folder: string;
  let ca: PemCertificate;
  let gatewayClient: PemCertificate;
  let server: SubgraphServer;
  const schema = buildSubgraphSchema({
    typeDefs: gql`
      type Query {
        viewer: String
      }
    `,
    resolvers: { Query: { viewer: (_: unknown, __: unknown, context: unknown) => (context as BaseContext).identity.userId } },
  });

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'mega-kit-tls-'));
    ca = await createCertificateAuthority({ commonName: 'Subgraph test CA' });
    const serverCertificate = await issueCertificate(ca, { commonName: 'subgraph', usage: 'server', hosts: ['127.0.0.1'] });
    gatewayClient = await issueCertificate(ca, { commonName: 'gateway', usage: 'client' });
    await Promise.all([
      writeFile(path.join(folder, 'cert.pem'), serverCertificate.cert),
      writeFile(path.join(folder, 'key.pem'), serverCertificate.key),
      writeFile(path.join(folder, 'ca.pem'), ca.cert),
    ]);
    server = await startSubgraphServer({
      service: 'test',
      schema,
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      context: (identity) => ({ identity }),
      logger,
      tls: { certFile: path.join(folder, 'cert.pem'), keyFile: path.join(folder, 'key.pem'), clientCaFile: path.join(folder, 'ca.pem') },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  function signedQuery(tls: { ca?: string; cert?: string; key?: string }, userId: string) {
    const body = JSON.stringify({ query: '{ viewer }' });
    const headers = signIdentity(TEST_GATEWAY_SECRET, { userId, requestId: randomUUID(), clientIp: '127.0.0.1' }, { method: 'POST', path: '/graphql', body });
    return httpsRequest(server.url, { body, headers, tls });
  }

  it('serves HTTPS to a client presenting a certificate from the configured CA', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const userId = randomUUID();
    const answer = await signedQuery({ ca: ca.cert, ...gatewayClient }, userId);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { viewer: userId } });
  });

  it('refuses, in the handshake, a client without a certificate or with one from another CA, health checks included', async () => {
    await expect(signedQuery({ ca: ca.cert }, randomUUID())).rejects.toMatchObject(REFUSED);
    const otherCa = await createCertificateAuthority({ commonName: 'Another CA' });
    const stranger = await issueCertificate(otherCa, { commonName: 'gateway', usage: 'client' });
    await expect(signedQuery({ ca: ca.cert, ...stranger }, randomUUID())).rejects.toMatchObject(REFUSED);
    await expect(httpsRequest(server.url.replace('/graphql', '/healthz'), { tls: { ca: ca.cert } })).rejects.toMatchObject(REFUSED);

    const health = await httpsRequest(server.url.replace('/graphql', '/healthz'), { tls: { ca: ca.cert, ...gatewayClient } });
    expect(health.status).toBe(200);
  });

  it('still refuses unsigned requests from a client with a valid certificate: TLS is in addition to the signature', async () => {
    const answer = await httpsRequest(server.url, { body: JSON.stringify({ query: '{ viewer }' }), tls: { ca: ca.cert, ...gatewayClient } });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('fails to start, naming the file, when a TLS file cannot be read', async () => {
    await expect(
      startSubgraphServer({
        service: 'test',
        schema,
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        context: (identity) => ({ identity }),
        logger,
        tls: { certFile: path.join(folder, 'cert.pem'), keyFile: path.join(folder, 'key.pem'), clientCaFile: path.join(folder, 'missing-ca.pem') },
      }),
    ).rejects.toThrow(/Cannot read the TLS client CA certificate .*missing-ca\.pem: ENOENT/);
  });
});
