import { eventually } from '@mega/test-utils';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPersistedDocuments, PersistedDocumentsError, usePersistedDocuments } from '../plugins/persisted-documents.js';
import { memoryLogger, temporaryFolder } from './support/harness.js';


describe('persisted-document manifests', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function folder() {
    const created = await temporaryFolder();
    cleanups.push(created.remove);
    return created;
  }

  it('merges every *.json manifest, treating sha256:<hash> and <hash> as one id', async () => {
    const dir = await folder();
    await writeFile(dir.file('a.json'), JSON.stringify({ aaa: '{ a }', 'sha256:bbb': '{ b }' }));
    await writeFile(dir.file('b.json'), JSON.stringify({ bbb: '{ b }' }));
    await writeFile(dir.file('notes.txt'), 'not a manifest');
    expect(await loadPersistedDocuments(dir.path)).toEqual(new Map([['aaa', '{ a }'], ['bbb', '{ b }']]));
  });

  it('refuses a manifest that is not JSON, not an object of strings, does not parse, or gives one id two documents', async () => {
    const cases: [string, RegExp][] = [
      ['{ "a": ', /bad\.json: not JSON/],
      ['["{ a }"]', /bad\.json: must be an object/],
      ['{ "a": 1 }', /bad\.json: the document of "a" is not a string/],
      ['{ "a": "{ a " }', /bad\.json: the document of "a" does not parse/],
      ['{ "sha256:aaa": "{ other }" }', /bad\.json: "sha256:aaa" names another document/],
    ];
    for (const [text, message] of cases) {
      const dir = await folder();
      await writeFile(dir.file('a.json'), JSON.stringify({ aaa: '{ a }' }));
      await writeFile(dir.file('bad.json'), text);
      const load = loadPersistedDocuments(dir.path);
      await expect(load).rejects.toThrow(PersistedDocumentsError);
      await expect(load).rejects.toThrow(message);
    }
  });

  it('reloads when the folder changes, and keeps the previous documents while a manifest is broken', async () => {
    const dir = await folder();
    const log = memoryLogger();
    await writeFile(dir.file('persisted-documents.json'), JSON.stringify({ aaa: '{ a }' }));
    const plugin = usePersistedDocuments({ dir: dir.path, logger: log.logger, watchDebounceMs: 10 });
    cleanups.push(() => plugin.stop!());
    await plugin.start!();
    expect([...plugin.documents().keys()]).toEqual(['aaa']);

    await writeFile(dir.file('more.json'), JSON.stringify({ ccc: '{ c }' }));
    await eventually(() => expect([...plugin.documents().keys()].sort()).toEqual(['aaa', 'ccc']));

    await writeFile(dir.file('broken.json'), '{ "d": ');
    await eventually(() => expect(log.records.some((record) => record.msg.startsWith('persisted documents not reloaded'))).toBe(true));
    expect([...plugin.documents().keys()].sort()).toEqual(['aaa', 'ccc']);
  });
});
