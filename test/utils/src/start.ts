/**
 * `pnpm start`: the whole system on its embedded defaults (PGlite, in-process pub/sub) with demo
 * data, prefixed logs, and the URLs and demo logins printed once everything is ready: the
 * subgraphs, the gateway, and the web (the shell on SHELL_PORT, each mini-app from MINI_APPS_PORT
 * on, built when their build is missing or stale; WEB=0 leaves the web out).
 * Ctrl-C stops every process cleanly; the next start reuses `.data/`.
 *
 * `pnpm start --tls` (or `TLS=1`): the gateway serves HTTPS with a certificate from a local CA kept
 * in `.data/tls/` (made offline on first use, renewed when it nears its end), and the way to trust
 * that CA is printed.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USERS } from '@mega/subgraph-kit/demo';
import { demoLoginLines, developmentSecret, portFromEnv, stopOnCtrlC, webEnabled } from './launcher.js';
import { ensureLocalCertificates, type LocalCertificates } from './local-ca.js';
import { formatLogLine } from './log-format.js';
import { DEFAULT_STACK_PORTS, REPO_ROOT, SERVICES } from './services.js';
import { startStack } from './stack.js';

const started = performance.now();
const { values: flags } = parseArgs({ options: { tls: { type: 'boolean', default: false } }, strict: true });
const tlsOn = flags.tls || ['1', 'true'].includes(process.env.TLS ?? '');
const dataDir = path.resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data');
const cold = !existsSync(dataDir);
await mkdir(dataDir, { recursive: true });
const certificates: LocalCertificates | undefined = tlsOn ? await ensureLocalCertificates(path.join(dataDir, 'tls')) : undefined;

const webOn = webEnabled();
const web = webOn ? { shellPort: portFromEnv('SHELL_PORT', 5173), miniAppsPort: portFromEnv('MINI_APPS_PORT', 5174) } : undefined;

const color = process.stdout.isTTY;
const stack = await startStack({
  dataDir,
  gatewaySecret: await developmentSecret(dataDir),
  ports: Object.fromEntries(SERVICES.map((s) => [s, portFromEnv(`${s.toUpperCase()}_PORT`, DEFAULT_STACK_PORTS[s])])),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  nodeEnv: 'development',
  ...(certificates ? { tls: { caFile: certificates.caFile, certFile: certificates.certFile, keyFile: certificates.keyFile } } : {}),
  onLine: (service, line) => console.log(formatLogLine(service, SERVICES.indexOf(service), line, color)),
  ...(web ? { web: { ...web, onBuild: (dir: string) => console.log(`Building ${path.relative(REPO_ROOT, dir)} (its build is missing or stale)…`) } } : {}),
}).catch((error: unknown) => {
  console.error(`\nMega App failed to start: ${(error as Error).message}`);
  process.exit(1);
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);
/** A path as short as it can be from here: relative inside the working directory, absolute outside it. */
const shortPath = (file: string) => {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
};

/** How to trust the local CA, for the kinds of client people use. */
function trustInstructions(tls: LocalCertificates): string {
  const made = tls.created.ca ? 'new CA: trust it once' : tls.created.certificate ? 'certificate renewed, same CA' : 'reused';
  return `
  HTTPS            certificate for localhost, 127.0.0.1, ::1 until ${tls.expiresAt.toISOString().slice(0, 10)} (${made})
  Trust the CA     ${tls.caFile}
    Node clients   NODE_EXTRA_CA_CERTS=${tls.caFile} node your-client.js
    curl           curl --cacert ${shortPath(tls.caFile)} ${stack.urls.gateway}
    Browsers, OS   import it as a trusted root CA (Firefox: Settings > Certificates; macOS: Keychain Access, Always Trust; Debian/Ubuntu:
                   copy to /usr/local/share/ca-certificates/mega-app.crt, then update-ca-certificates). It signs only for these hosts.
`;
}
console.log(`
${bold('Mega App is running')} (${cold ? 'cold' : 'warm'} start in ${seconds} s, data in ${path.relative(REPO_ROOT, dataDir) || '.'})

${stack.web ? `  Web app          ${bold(`${stack.web.shellUrl}/`)}\n` : ''}  GraphQL API      ${bold(stack.urls.gateway)}
${stack.web ? `  Playground       ${new URL('/playground/', stack.urls.gateway).toString()} (GraphiQL; a browser opening the GraphQL API URL lands there too)\n` : ''}${SERVICES.filter((s) => s !== 'gateway')
  .map((s) => `  ${s.padEnd(16)} ${stack.urls[s]}`)
  .join('\n')}
${
  stack.web
    ? `  Mini-apps (registry at ${stack.web.shellUrl}/registry.json)\n${[...stack.web.remotes.values()].map((remote) => `    ${remote.id.padEnd(14)} ${remote.manifestUrl}`).join('\n')}\n`
    : ''
}${certificates ? trustInstructions(certificates) : ''}
  Demo logins (email / password):
${demoLoginLines()}

  Try it:
    curl -s ${certificates ? `--cacert ${shortPath(certificates.caFile)} ` : ''}${stack.urls.gateway} -H 'content-type: application/json' \\
      -d '{"query":"mutation { logIn(email: \\"${DEMO_USERS.alice.email}\\", password: \\"${DEMO_USERS.alice.password}\\") { accessToken } }"}'

Press Ctrl-C to stop.
`);

stopOnCtrlC(() => stack.stop());
