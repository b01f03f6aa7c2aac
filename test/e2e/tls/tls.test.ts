import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, ensureLocalCertificates, eventually, httpsRequest, type LocalCertificates, type Stack, startStack, type TestDatabase } from '@mega/test-utils';

const PRODUCTS = JSON.stringify({ query: '{ products(first: 1) { edges { node { id } } } }' });


describe('`pnpm start --tls`: the real gateway process over HTTPS with the local CA', () => {
  let dataDir: string;
  let database: TestDatabase;
  let certificates: LocalCertificates;
  let stack: Stack;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mega-e2e-tls-'));
    database = await createPostgresDatabase();
    certificates = await ensureLocalCertificates(path.join(dataDir, 'tls'));
    stack = await startStack({
      dataDir,
      databaseUrl: database.options.url!,
      seed: false,
      gatewaySecret: 'e2e-tls-secret-0123456789abcdef0123456789abcdef',
      tls: { caFile: certificates.caFile, certFile: certificates.certFile, keyFile: certificates.keyFile },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('reports an https URL for the gateway only, and answers a client that trusts the CA, with HSTS', async () => {
    expect(stack.urls.gateway).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(stack.urls.accounts).toMatch(/^http:\/\//);
    const answer = await httpsRequest(stack.urls.gateway, { body: PRODUCTS, tls: { ca: certificates.ca } });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(JSON.parse(answer.body)).toEqual({ data: { products: { edges: [] } } });
  });

  it('works for a Node client given NODE_EXTRA_CA_CERTS, as the start banner says, and refuses one without it', async () => {
    const script = `fetch(${JSON.stringify(stack.urls.gateway)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(PRODUCTS)} })
      .then((r) => console.log(r.status), (e) => console.log(e.cause?.code))`;
    const run = (env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, ['-e', script], { env }).then(({ stdout }) => stdout.trim());
    const { NODE_EXTRA_CA_CERTS: _ignored, ...withoutCa } = process.env;
    expect(await run({ ...withoutCa, NODE_EXTRA_CA_CERTS: certificates.caFile })).toBe('200');
    expect(await run(withoutCa)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('takes a renewed certificate on SIGHUP without restarting', async () => {
    await rm(certificates.caKeyFile); // lose the CA: the next ensure makes a new CA and certificate
    const renewed = await ensureLocalCertificates(path.join(dataDir, 'tls'));
    expect(renewed.created).toEqual({ ca: true, certificate: true });
    const pid = stack.pids().gateway!;
    process.kill(pid, 'SIGHUP');
    const answer = await eventually(() => httpsRequest(stack.urls.gateway, { body: PRODUCTS, tls: { ca: renewed.ca } }));
    expect(answer.status).toBe(200);
    expect(stack.pids().gateway).toBe(pid);
    await expect(httpsRequest(stack.urls.gateway, { body: PRODUCTS, tls: { ca: certificates.ca } })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });
});
