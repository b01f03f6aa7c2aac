import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import {
  createCertificateAuthority,
  DEFAULT_RENEW_WITHIN_DAYS,
  ensureLocalCertificates,
  issueCertificate,
  localCertificateFiles,
  type PemCertificate,
} from '@mega/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Serves `server` over TLS and connects to it as `host`, trusting `ca`; resolves with 'ok' or the verification error. */
async function handshake(server: PemCertificate, ca: string, host: string): Promise<'ok' | string> {
  const https = createServer({ cert: server.cert, key: server.key }, (_req, res) => res.end());
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = https.address() as AddressInfo;
    return await new Promise((resolve) => {
      // An IP address is checked against the certificate's IP names; a host name is sent as SNI and checked.
      const socket = connect({ host: '127.0.0.1', port, ca, ...(isIP(host) ? {} : { servername: host }) }, () => {
        socket.end();
        resolve('ok');
      });
      socket.on('error', (error) => resolve(error.message));
    });
  } finally {
    https.close();
  }
}

describe('local CA for `pnpm start --tls`', () => {
  let folder: string;
  let dir: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'mega-local-ca-'));
    dir = path.join(folder, 'tls');
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('makes a CA and a server certificate for localhost, 127.0.0.1 and ::1, with private keys readable by the owner only', async () => {
    const made = await ensureLocalCertificates(dir);
    expect(made.created).toEqual({ ca: true, certificate: true });
    expect(made).toMatchObject(localCertificateFiles(dir));
    const cert = new X509Certificate(made.cert);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.verify(new X509Certificate(made.ca).publicKey)).toBe(true);
    expect(new X509Certificate(made.ca).ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect((await stat(made.caKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(made.keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const host of ['localhost', '127.0.0.1']) expect(await handshake(made, made.ca, host)).toBe('ok');
  });

  it('reuses the CA and the certificate on later starts', async () => {
    const first = await ensureLocalCertificates(dir);
    const second = await ensureLocalCertificates(dir, { now: new Date(Date.now() + 100 * DAY_MS) });
    expect(second.created).toEqual({ ca: false, certificate: false });
    expect([second.ca, second.cert, second.key]).toEqual([first.ca, first.cert, first.key]);
  });

  it(`renews the certificate within ${DEFAULT_RENEW_WITHIN_DAYS} days of its end, signed by the same CA, and not before`, async () => {
    const first = await ensureLocalCertificates(dir);
    const end = first.expiresAt.getTime();
    const early = await ensureLocalCertificates(dir, { now: new Date(end - (DEFAULT_RENEW_WITHIN_DAYS + 1) * DAY_MS) });
    expect(early.created).toEqual({ ca: false, certificate: false });

    const now = new Date(end - (DEFAULT_RENEW_WITHIN_DAYS - 1) * DAY_MS);
    const renewed = await ensureLocalCertificates(dir, { now });
    expect(renewed.created).toEqual({ ca: false, certificate: true });
    expect(renewed.ca).toBe(first.ca);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(end);
    expect(new X509Certificate(renewed.cert).verify(new X509Certificate(first.ca).publicKey)).toBe(true);
    expect(await readFile(renewed.certFile, 'utf8')).toBe(renewed.cert);
    expect((await stat(renewed.keyFile)).mode & 0o777).toBe(0o600);
  });

  it('makes a new CA, and a certificate from it, when the CA nears its end or its key does not match', async () => {
    const first = await ensureLocalCertificates(dir);
    const caEnd = new Date(new X509Certificate(first.ca).validTo).getTime();
    const late = await ensureLocalCertificates(dir, { now: new Date(caEnd - DAY_MS) });
    expect(late.created).toEqual({ ca: true, certificate: true });
    expect(late.ca).not.toBe(first.ca);

    await writeFile(late.caKeyFile, (await createCertificateAuthority()).key);
    const mismatched = await ensureLocalCertificates(dir);
    expect(mismatched.created).toEqual({ ca: true, certificate: true });
    expect(new X509Certificate(mismatched.cert).verify(new X509Certificate(mismatched.ca).publicKey)).toBe(true);
  });

  it('issues a new certificate when one of the wanted hosts is not covered', async () => {
    await ensureLocalCertificates(dir, { hosts: ['localhost'] });
    const wider = await ensureLocalCertificates(dir, { hosts: ['localhost', 'dev.localhost'] });
    expect(wider.created.certificate).toBe(true);
    expect(new X509Certificate(wider.cert).checkHost('dev.localhost')).toBe('dev.localhost');
  });

  it('makes a CA that cannot vouch for other sites: clients refuse a certificate for example.com signed by its key', async () => {
    const local = await ensureLocalCertificates(dir);
    const localCa = { cert: local.ca, key: await readFile(local.caKeyFile, 'utf8') };
    const forged = await issueCertificate(localCa, { commonName: 'example.com', usage: 'server', hosts: ['example.com'] });
    expect(await handshake(forged, local.ca, 'example.com')).toBe('permitted subtree violation');

    // The control: an unconstrained CA's certificate for example.com is accepted by the same client.
    const open = await createCertificateAuthority();
    const fine = await issueCertificate(open, { commonName: 'example.com', usage: 'server', hosts: ['example.com'] });
    expect(await handshake(fine, open.cert, 'example.com')).toBe('ok');
  });
});
