/**
 * The library-usage example on its own evidence folder (made by
 * fixtures/generate.sh with zip, gpg, openssl, age and sqlite3): the function
 * finds exactly the four encrypted files, and the script prints them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listEncrypted } from './list-encrypted.js';

const evidence = fileURLToPath(new URL('../fixtures/evidence/', import.meta.url));
const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('library usage: list the encrypted items of a folder', () => {
  it('returns the password-protected ZIP, the gpg and openssl files and the age file, not the plain ones', async () => {
    const found = await listEncrypted(evidence);
    expect(found.map((e) => [e.path, e.format, e.scheme])).toEqual([
      ['Documents/diary.txt.gpg', 'pgp-encrypted', 'openpgp-symmetric-aes-256'],
      ['Download/backup.enc', 'openssl-salted', 'openssl-enc'],
      ['Download/report.zip', 'zip-encrypted', 'zipcrypto'],
      ['Download/secret.age', 'age', 'age-v1'],
    ]);
    expect(found.find((e) => e.path === 'Download/report.zip')!.unlock).toMatch(/^password: /);
  });

  it('runs as a script and prints one line per encrypted item', () => {
    const tsx = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const r = spawnSync(process.execPath, ['--conditions=@evtriage/source', '--import', tsx, 'src/list-encrypted.ts', 'fixtures/evidence'], { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['Documents/diary.txt.gpg', 'Download/backup.enc', 'Download/report.zip', 'Download/secret.age']);
    expect(r.stderr).toBe(`4 encrypted item(s) in fixtures/evidence\n`);
  });
});
