/**
 * The library-usage example on its own evidence folder (made by
 * fixtures/generate.sh with zip, gpg, openssl, age and sqlite3): the function
 * finds exactly the encrypted files (and the encrypted member of the
 * ZIP), and the script prints them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineSource, FolderSource } from '@evtriage/core';
import { describe, expect, it } from 'vitest';
import { listEncrypted } from './list-encrypted.js';

const evidence = fileURLToPath(new URL('../fixtures/evidence/', import.meta.url));
const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('library usage: list the encrypted items of a folder', () => {
  it('returns the password-protected ZIP and its member, the gpg and openssl files and the age file, not the plain ones', async () => {
    const found = await listEncrypted(evidence);
    expect(found.map((e) => [e.path, e.scheme])).toEqual([
      ['Documents/diary.txt.gpg', 'openpgp-symmetric-aes-256'],
      ['Download/backup.enc', 'openssl-enc'],
      ['Download/report.zip', 'zipcrypto'],
      ['Download/report.zip!/report.txt', 'zipcrypto'],
      ['Download/secret.age', 'age-v1'],
    ]);
    expect(found.filter((e) => !e.path.includes('!/')).map((e) => e.format)).toEqual([
      'pgp-encrypted',
      'openssl-salted',
      'zip-encrypted',
      'age',
    ]);
    expect(found.find((e) => e.path === 'Download/report.zip')!.unlock).toMatch(/^password: /);
  });

  it('opens the location with a source kind passed beside the built-ins (asked first)', async () => {
    let opened = 0;
    // A third-party kind for this one folder: a plain folder walk, counted, whose decisions must equal the built-in one's.
    const counted = defineSource({
      id: 'counted-folder',
      guess: (p, st) => st.isDirectory() && p === evidence,
      open: async (p) => (opened++, new FolderSource(p)),
    });
    const viaCounted = await listEncrypted(evidence, { sources: [counted] });
    expect(opened).toBe(1);
    expect(viaCounted).toEqual(await listEncrypted(evidence));
  });

  it('runs as a script and prints one line per encrypted item', () => {
    const tsx = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const r = spawnSync(
      process.execPath,
      ['--conditions=@evtriage/source', '--import', tsx, 'src/list-encrypted.ts', 'fixtures/evidence'],
      { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual([
      'Documents/diary.txt.gpg',
      'Download/backup.enc',
      'Download/report.zip',
      'Download/report.zip!/report.txt',
      'Download/secret.age',
    ]);
    expect(r.stderr).toBe(`5 encrypted item(s) in fixtures/evidence\n`);
  });
});
