import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What can be checked without a Docker daemon: the targets' shape, not that they build.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = path.join(ROOT, 'deploy/docker/Dockerfile');

interface Stage {
  from: string;
  name: string;
  instructions: { keyword: string; args: string }[];
}

/** The Dockerfile's stages: comment lines dropped (as Docker does, inside a continuation too), then continuations joined. */
function readStages(file: string): Stage[] {
  const uncommented = readFileSync(file, 'utf8').split('\n').filter((line) => !line.trim().startsWith('#'));
  const lines = uncommented.join('\n').replace(/\\\n/g, ' ').split('\n');
  const stages: Stage[] = [];
  for (const line of lines.map((text) => text.trim()).filter(Boolean)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: match[1]!, name: match[2] ?? '', instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/** Every `keyword` instruction of a stage and of the stages it is built FROM, nearest first. */
function allInherited(stages: Stage[], stage: Stage, keyword: string): string[] {
  const own = stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args).reverse();
  const parent = stages.find((candidate) => candidate.name === stage.from);
  return [...own, ...(parent ? allInherited(stages, parent, keyword) : [])];
}

/** The instruction in effect: the last one of the stage or of the stages it is built FROM. */
function inherited(stages: Stage[], stage: Stage, keyword: string): string | undefined {
  return allInherited(stages, stage, keyword)[0];
}

const SERVICES = { gateway: 'gateway', accounts: 'subgraphs/accounts', comms: 'subgraphs/comms', media: 'subgraphs/media', commerce: 'subgraphs/commerce' };

describe('deploy/docker/Dockerfile', () => {
  const stages = readStages(DOCKERFILE);
  const target = (name: string) => stages.find((stage) => stage.name === name)!;

  it('has a target per deployable, each built from a separate build stage (multi-stage)', () => {
    const keywords = new Set(stages.flatMap((stage) => stage.instructions.map((instruction) => instruction.keyword)));
    expect([...keywords].filter((keyword) => !['ARG', 'ENV', 'WORKDIR', 'COPY', 'RUN', 'USER', 'EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD'].includes(keyword)), 'parsed as instructions').toEqual([]);
    for (const name of [...Object.keys(SERVICES), 'web']) {
      expect(target(name), name).toBeDefined();
      expect(target(name).instructions.some((instruction) => instruction.keyword === 'COPY' && instruction.args.includes('--from=build')), name).toBe(true);
    }
  });

  it('runs every target as a non-root user by number, with a HEALTHCHECK on /healthz', () => {
    for (const name of [...Object.keys(SERVICES), 'web']) {
      const user = inherited(stages, target(name), 'USER');
      expect(user, name).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(inherited(stages, target(name), 'HEALTHCHECK'), name).toMatch(/\/healthz/);
    }
  });

  it('starts each service\'s bundle in production under tini, from a folder the build really makes', () => {
    const build = readFileSync(path.join(ROOT, 'test/utils/src/build.ts'), 'utf8');
    for (const [name, dir] of Object.entries(SERVICES)) {
      const stage = target(name);
      expect(inherited(stages, stage, 'CMD'), name).toBe('["node", "--enable-source-maps", "dist/main.mjs"]');
      expect(allInherited(stages, stage, 'ENV').join(' '), name).toMatch(/\bNODE_ENV=production\b/);
      // tini forwards SIGTERM to node (whose handlers drain requests) and reaps zombies.
      expect(inherited(stages, stage, 'ENTRYPOINT'), name).toBe('["/usr/bin/tini", "--"]');
      // `pnpm build` writes <package>/dist/main.mjs from src/main.ts; the image copies that dist.
      expect(existsSync(path.join(ROOT, dir, 'src/main.ts')), `${dir}/src/main.ts`).toBe(true);
      expect(build).toContain(`'${dir}/src/main.ts'`);
      expect(readFileSync(DOCKERFILE, 'utf8')).toContain(`${name}:${dir}`);
      if (dir.startsWith('subgraphs/')) expect(existsSync(path.join(ROOT, dir, 'drizzle')), `${dir}/drizzle (migrations, beside dist/)`).toBe(true);
    }
    expect(existsSync(path.join(ROOT, 'gateway/supergraph.graphql'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'shell-web/src/gql/persisted-documents.json'))).toBe(true);
  });

  it('keeps installed, built and local data out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['**/node_modules', '**/dist', '.data', '.git']) expect(ignored, entry).toContain(entry);
  });
});
