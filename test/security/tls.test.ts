import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGateway, createLogger, type Gateway } from '@mega/gateway';
import {
  createCertificateAuthority,
  ensureLocalCertificates,
  httpsRequest,
  issueCertificate,
  postGraphQL,
  startFederation,
  TEST_GATEWAY_SECRET,
  type Federation,
  type LocalCertificates,
  type PemCertificate,
} from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PRODUCTS = JSON.stringify({ query: '{ products(first: 1) { edges { node { id } } } }' });
const HSTS = 'max-age=31536000; includeSubDomains';
/** Below OpenSSL's default security level, so the client must lower it to offer TLS 1.1 at all. */
const TLS_1_1_CLIENT = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
/** What a client sees when a server refuses its certificate (TLS 1.3 alerts after the client's Finished). */
const CLIENT_CERTIFICATE_REFUSED = {
  code: expect.stringMatching(/^(ECONNRESET|EPIPE|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)$/),
};

describe('TLS at the gateway: HTTPS with a certificate from the local CA', () => {
  let folder: string;
  let certificates: LocalCertificates;
  let federation: Federation;

  /** The gateway still answers a trusting client: each refusal below left it serving. */
  async function expectStillServing() {
    const answer = await httpsRequest(federation.gatewayUrl, { body: PRODUCTS, tls: { ca: certificates.ca } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { products: { edges: [] } } });
  }

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'mega-tls-'));
    certificates = await ensureLocalCertificates(path.join(folder, 'tls'));
    federation = await startFederation({ gateway: { tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } } });
  });
  afterAll(async () => {
    await federation?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers GraphQL over HTTPS to a client that trusts the generated CA, with HSTS', async () => {
    expect(federation.gatewayUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const answer = await httpsRequest(federation.gatewayUrl, { body: PRODUCTS, tls: { ca: certificates.ca } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
    expect(answer.headers['strict-transport-security']).toBe(HSTS);
    expect(JSON.parse(answer.body)).toEqual({ data: { products: { edges: [] } } });
  });

  it('sends HSTS on error responses too (400 GRAPHQL_PARSE_FAILED)', async () => {
    const answer = await httpsRequest(federation.gatewayUrl, { body: JSON.stringify({ query: '{' }), tls: { ca: certificates.ca } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    expect(answer.headers['strict-transport-security']).toBe(HSTS);
  });

  it('is refused by a client that does not trust the CA (certificate error), and still serves afterwards', async () => {
    await expect(httpsRequest(federation.gatewayUrl, { body: PRODUCTS })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    await expect(fetch(federation.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: PRODUCTS })).rejects.toMatchObject({
      cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
    await expectStillServing();
  });

  it('refuses plain HTTP on the TLS port, and still serves afterwards', async () => {
    const plain = federation.gatewayUrl.replace('https://', 'http://');
    // Not a TLS record: the server closes the connection without an HTTP answer.
    await expect(fetch(plain, { method: 'POST', headers: { 'content-type': 'application/json' }, body: PRODUCTS })).rejects.toMatchObject({
      cause: { code: 'UND_ERR_SOCKET' },
    });
    await expectStillServing();
  });

  it('refuses TLS 1.1 in the handshake (protocol_version alert), and still serves afterwards', async () => {
    await expect(httpsRequest(federation.gatewayUrl, { body: PRODUCTS, tls: { ca: certificates.ca, ...TLS_1_1_CLIENT } })).rejects.toMatchObject({
      code: 'EPROTO',
      message: expect.stringMatching(/alert protocol version/),
    });
    await expectStillServing();
  });
});

describe('mutual TLS from the gateway to the subgraphs', () => {
  let folder: string;
  let ca: PemCertificate;
  let files: { ca: string; cert: string; key: string; clientCert: string; clientKey: string };
  let federation: Federation;
  const others: Gateway[] = [];
  const SUBGRAPHS = ['accounts', 'comms', 'media', 'commerce'] as const;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'mega-mtls-'));
    ca = await createCertificateAuthority({ commonName: 'Mega App internal CA (test)' });
    const subgraph = await issueCertificate(ca, { commonName: 'subgraphs', usage: 'server', hosts: ['127.0.0.1', 'localhost'] });
    const gateway = await issueCertificate(ca, { commonName: 'gateway', usage: 'client' });
    files = {
      ca: path.join(folder, 'ca.pem'),
      cert: path.join(folder, 'subgraph.pem'),
      key: path.join(folder, 'subgraph-key.pem'),
      clientCert: path.join(folder, 'gateway.pem'),
      clientKey: path.join(folder, 'gateway-key.pem'),
    };
    await Promise.all([
      writeFile(files.ca, ca.cert),
      writeFile(files.cert, subgraph.cert),
      writeFile(files.key, subgraph.key, { mode: 0o600 }),
      writeFile(files.clientCert, gateway.cert),
      writeFile(files.clientKey, gateway.key, { mode: 0o600 }),
    ]);
    federation = await startFederation({
      subgraphTls: { certFile: files.cert, keyFile: files.key, clientCaFile: files.ca },
      gateway: { connectionPool: { tls: { caFile: files.ca, certFile: files.clientCert, keyFile: files.clientKey } } },
    });
  });
  afterAll(async () => {
    await Promise.all(others.map((gateway) => gateway.stop()));
    await federation?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it.each(SUBGRAPHS)('%s serves HTTPS and refuses a client without a certificate, or with one from another CA, before any HTTP', async (name) => {
    const url = federation[name].url;
    expect(url).toMatch(/^https:\/\//);
    await expect(httpsRequest(url, { body: PRODUCTS, tls: { ca: ca.cert } })).rejects.toMatchObject(CLIENT_CERTIFICATE_REFUSED);
    const stranger = await issueCertificate(await createCertificateAuthority({ commonName: 'Not the internal CA' }), { commonName: 'gateway', usage: 'client' });
    await expect(httpsRequest(url, { body: PRODUCTS, tls: { ca: ca.cert, cert: stranger.cert, key: stranger.key } })).rejects.toMatchObject(CLIENT_CERTIFICATE_REFUSED);
    // Still serving: with the gateway's certificate the health check answers (probes need one too).
    const client = { cert: await readFile(files.clientCert, 'utf8'), key: await readFile(files.clientKey, 'utf8') };
    const health = await httpsRequest(url.replace('/graphql', '/healthz'), { tls: { ca: ca.cert, ...client } });
    expect(health.status).toBe(200);
  });

  it('lets the gateway, presenting its client certificate, sign up, verify the token (keys fetched over mutual TLS) and join every subgraph', async () => {
    const signUp = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(federation.gatewayUrl, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
      variables: { input: { email: 'mtls@example.com', password: 'correct horse battery', handle: 'mtls_user', displayName: 'Mutual' } },
    });
    expect(signUp.status).toBe(200);
    expect(signUp.errors).toBeUndefined();
    const { accessToken, user } = signUp.data!.signUp;

    const everywhere = await postGraphQL<{ me: Record<string, unknown> }>(
      federation.gatewayUrl,
      {
        query: `{ me { id handle conversations(first: 1) { edges { cursor } } media(first: 1) { edges { cursor } } cart { itemCount } }
                  products(first: 1) { edges { cursor } } }`,
      },
      { authorization: `Bearer ${accessToken}` },
    );
    expect(everywhere.status).toBe(200);
    expect(everywhere.errors).toBeUndefined();
    expect(everywhere.data).toEqual({
      me: { id: user.id, handle: 'mtls_user', conversations: { edges: [] }, media: { edges: [] }, cart: { itemCount: 0 } },
      products: { edges: [] },
    });
  });

  it('gives a gateway without the client certificate SUBGRAPH_UNAVAILABLE, not data, while the configured one keeps serving', async () => {
    const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((name) => [name, federation[name].url]));
    const withoutCertificate = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      subgraphUrls,
      connectionPool: { tls: { caFile: files.ca } },
      logger: createLogger('silent'),
    });
    others.push(withoutCertificate);
    const { url } = await withoutCertificate.start();
    const refused = await postGraphQL(url, { query: '{ products(first: 1) { edges { cursor } } }' });
    expect(refused.status).toBe(200);
    expect(refused.data).toEqual({ products: null });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'commerce' });

    const served = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 1) { edges { cursor } } }' });
    expect(served.status).toBe(200);
    expect(served.data).toEqual({ products: { edges: [] } });
  });
});
