/**
 * A local certificate authority for development and tests: makes a CA and certificates signed by
 * it, offline (Node's WebCrypto and @peculiar/x509; no network, no openssl binary). Keys are ECDSA
 * P-256, signatures SHA-256, files PEM (private keys PKCS #8).
 *
 * `pnpm start --tls` keeps one CA and one server certificate for localhost, 127.0.0.1 and ::1 under
 * `.data/tls/` ({@link ensureLocalCertificates}); the TLS tests make their own in a temporary folder.
 */
import 'reflect-metadata'; // @peculiar/x509 resolves its codecs through tsyringe, which needs the Reflect polyfill
import { randomBytes, X509Certificate as NodeX509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 24 * 60 * 60 * 1000;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Certificates start an hour in the past, so a clock a little behind still accepts them. */
const BACKDATE_MS = 60 * 60 * 1000;
/** X.509 name constraints (RFC 5280, 4.2.1.10). */
const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** The names a local development server certificate covers. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
/** A CA made by this module lives ten years. @default 3650 days */
export const DEFAULT_CA_VALIDITY_DAYS = 3650;
/** Below the 825 days macOS accepts from a locally trusted CA, and under the 398 days browsers allow public ones. @default 397 days */
export const DEFAULT_CERTIFICATE_VALIDITY_DAYS = 397;
/** {@link ensureLocalCertificates} replaces a certificate this close to its end. @default 30 days */
export const DEFAULT_RENEW_WITHIN_DAYS = 30;

/** A certificate and its private key, both PEM. */
export interface PemCertificate {
  cert: string;
  key: string;
}

export interface CertificateAuthorityOptions {
  /** @default `Mega App development CA (<hostname>)` */
  commonName?: string;
  /** @default DEFAULT_CA_VALIDITY_DAYS */
  validityDays?: number;
  /**
   * When given, the CA may sign only for these names and addresses (a critical name-constraints
   * extension): a leaked key of a CA trusted on a laptop then cannot impersonate other sites.
   * @default unconstrained
   */
  permittedHosts?: readonly string[];
  /** @default new Date() */
  now?: Date;
}

export interface IssueCertificateOptions {
  /** The subject's common name, e.g. `localhost` or `gateway`. */
  commonName: string;
  /** `server`: TLS server authentication; `client`: TLS client authentication (mutual TLS). */
  usage: 'server' | 'client';
  /** DNS names and IP addresses (subject alternative names). @default [] */
  hosts?: readonly string[];
  /** @default DEFAULT_CERTIFICATE_VALIDITY_DAYS */
  validityDays?: number;
  /** @default new Date() */
  now?: Date;
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // positive
  return bytes.toString('hex');
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
}

/** A DER type-length-value of up to 255 bytes (plenty for a few host names). */
function der(tag: number, value: Buffer): Buffer {
  if (value.length > 0xff) throw new Error('Too many permitted hosts for one name-constraints extension.');
  const length = value.length < 0x80 ? [value.length] : [0x81, value.length];
  return Buffer.concat([Buffer.from([tag, ...length]), value]);
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const url = new URL(`http://[${address}]/`).hostname.slice(1, -1); // normalised IPv6
  const [head = '', tail = ''] = url.includes('::') ? url.split('::') : [url, ''];
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  return Buffer.concat(all.map((group) => Buffer.from(group.padStart(4, '0'), 'hex')));
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees } with one exact subtree per host. */
function nameConstraints(hosts: readonly string[]): x509.Extension {
  const subtrees = hosts.map((host) => {
    const base = isIP(host) ? der(0x87, Buffer.concat([ipBytes(host), Buffer.alloc(ipBytes(host).length, 0xff)])) : der(0x82, Buffer.from(host, 'ascii'));
    return der(0x30, base);
  });
  const value = der(0x30, der(0xa0, Buffer.concat(subtrees)));
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, value);
}

/** Makes a self-signed certificate authority that may sign certificates but no further CAs. */
export async function createCertificateAuthority(options: CertificateAuthorityOptions = {}): Promise<PemCertificate> {
  const keys = await generateKeys();
  const name = `CN=${options.commonName ?? `Mega App development CA (${hostname()})`}, O=Mega App development`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name,
    ...validity(options.now ?? new Date(), options.validityDays ?? DEFAULT_CA_VALIDITY_DAYS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...(options.permittedHosts ? [nameConstraints(options.permittedHosts)] : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportPrivateKey(keys.privateKey) };
}

/** Makes a key pair and a certificate for it signed by `ca`. */
export async function issueCertificate(ca: PemCertificate, options: IssueCertificateOptions): Promise<PemCertificate> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.key), KEY_ALGORITHM, false, ['sign']);
  const keys = await generateKeys();
  const hosts = options.hosts ?? [];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${options.commonName}`,
    issuer: caCert.subject,
    ...validity(options.now ?? new Date(), options.validityDays ?? DEFAULT_CERTIFICATE_VALIDITY_DAYS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ...(hosts.length > 0
        ? [new x509.SubjectAlternativeNameExtension(hosts.map((host) => ({ type: isIP(host) ? ('ip' as const) : ('dns' as const), value: host })))]
        : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportPrivateKey(keys.privateKey) };
}

/** Where {@link ensureLocalCertificates} keeps its files inside its folder. */
export interface LocalCertificateFiles {
  /** The CA certificate: what clients trust (`NODE_EXTRA_CA_CERTS`, `curl --cacert`, the OS store). */
  caFile: string;
  /** The CA's private key, mode 0600. */
  caKeyFile: string;
  /** The server certificate (TLS_CERT_FILE). */
  certFile: string;
  /** The server's private key (TLS_KEY_FILE), mode 0600. */
  keyFile: string;
}

export interface LocalCertificates extends LocalCertificateFiles {
  /** The CA certificate, PEM. */
  ca: string;
  /** The server certificate, PEM. */
  cert: string;
  /** The server's private key, PEM. */
  key: string;
  /** When the server certificate ends. */
  expiresAt: Date;
  /** What this call wrote: nothing when both files were reused. */
  created: { ca: boolean; certificate: boolean };
}

export interface EnsureLocalCertificatesOptions {
  /** The names the server certificate must cover. @default LOCAL_HOSTS */
  hosts?: readonly string[];
  /** Replace a CA or certificate that ends within this many days. @default DEFAULT_RENEW_WITHIN_DAYS */
  renewWithinDays?: number;
  /** @default new Date() */
  now?: Date;
}

/** The file names inside `dir`. */
export function localCertificateFiles(dir: string): LocalCertificateFiles {
  return {
    caFile: path.join(dir, 'ca.pem'),
    caKeyFile: path.join(dir, 'ca-key.pem'),
    certFile: path.join(dir, 'cert.pem'),
    keyFile: path.join(dir, 'key.pem'),
  };
}

async function readPair(certFile: string, keyFile: string): Promise<PemCertificate | undefined> {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}

/** Written beside, then renamed over: a reader never sees half a file, and the mode is the new file's. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode, flag: 'wx' });
  await rename(temporary, file);
}

function usable(pair: PemCertificate, now: Date, renewWithinDays: number): NodeX509Certificate | undefined {
  try {
    const cert = new NodeX509Certificate(pair.cert);
    if (!cert.checkPrivateKey(createPrivateKey(pair.key))) return undefined;
    if (new Date(cert.validFrom).getTime() > now.getTime()) return undefined;
    if (new Date(cert.validTo).getTime() - now.getTime() <= renewWithinDays * DAY_MS) return undefined;
    return cert;
  } catch {
    return undefined; // unreadable: make a new one
  }
}

function covers(cert: NodeX509Certificate, hosts: readonly string[]): boolean {
  return hosts.every((host) => (isIP(host) ? cert.checkIP(host) : cert.checkHost(host)) !== undefined);
}

/**
 * Makes sure `dir` holds a CA and a server certificate for `hosts` signed by it, and returns them.
 * Both are reused while valid; either is made anew when missing, unreadable, not matching its key,
 * or ending within `renewWithinDays` (a new CA also means a new server certificate, and clients
 * must trust the new CA). The CA is name-constrained to `hosts`. Private keys are written with mode
 * 0600, the folder with 0700.
 */
export async function ensureLocalCertificates(dir: string, options: EnsureLocalCertificatesOptions = {}): Promise<LocalCertificates> {
  const now = options.now ?? new Date();
  const hosts = options.hosts ?? LOCAL_HOSTS;
  const renewWithinDays = options.renewWithinDays ?? DEFAULT_RENEW_WITHIN_DAYS;
  const files = localCertificateFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const existingCa = await readPair(files.caFile, files.caKeyFile);
  const reusedCa = existingCa && usable(existingCa, now, renewWithinDays)?.ca ? existingCa : undefined;
  const ca = reusedCa ?? (await createCertificateAuthority({ permittedHosts: hosts, now }));
  if (!reusedCa) {
    await writeAtomically(files.caKeyFile, ca.key, 0o600);
    await writeAtomically(files.caFile, ca.cert, 0o644);
  }
  const issuer = new NodeX509Certificate(ca.cert);

  const existing = reusedCa ? await readPair(files.certFile, files.keyFile) : undefined;
  const existingCert = existing && usable(existing, now, renewWithinDays);
  const reused = existingCert && existingCert.verify(issuer.publicKey) && covers(existingCert, hosts) ? existing : undefined;
  const server = reused ?? (await issueCertificate(ca, { commonName: hosts[0] ?? 'localhost', usage: 'server', hosts, now }));
  if (!reused) {
    await writeAtomically(files.keyFile, server.key, 0o600);
    await writeAtomically(files.certFile, server.cert, 0o644);
  }
  // Keys copied in by hand, or left by an older version, are still kept private.
  await Promise.all([chmod(files.caKeyFile, 0o600), chmod(files.keyFile, 0o600)]);

  return {
    ...files,
    ca: ca.cert,
    cert: server.cert,
    key: server.key,
    expiresAt: new Date(new NodeX509Certificate(server.cert).validTo),
    created: { ca: !reusedCa, certificate: !reused },
  };
}
