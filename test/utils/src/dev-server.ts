import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort } from './ports.js';

/** A mini-app's `vite` dev server: its dev host page (remotes/kit). */
export interface MiniAppDevServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What the dev server printed so far (for failure messages). */
  output(): string;
  /** Stops the dev server. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Runs `vite` (dev) in a mini-app's folder, as its `dev` script does, on a free port, with the dev
 * host forwarding `/graphql` to `gatewayUrl`; resolves once the page is served.
 * @param timeoutMs how long to wait for the page @default 60000
 */
export async function startMiniAppDevServer(dir: string, gatewayUrl: string, timeoutMs = 60_000): Promise<MiniAppDevServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const child = spawn(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), '--port', String(port), '--strictPort'], {
    cwd: dir,
    env: { ...env, NODE_ENV: 'development', GATEWAY_URL: gatewayUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : (child.kill('SIGTERM'), exited.then(() => undefined));
    return stopped;
  };
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`vite (dev) in ${dir} exited with ${child.exitCode}:\n${output}`);
    const answered = await fetch(`${url}/`, { headers: { accept: 'text/html' } }).then((response) => response.ok, () => false);
    if (answered) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`vite (dev) in ${dir} did not serve ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { url, output: () => output, stop, [Symbol.asyncDispose]: stop };
}
