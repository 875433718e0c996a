/**
 * What a file is must not hang on its name where its bytes carry the structure: real fixtures copied into a
 * temporary folder under a bare name, another format's extension and a name that claims encryption or key
 * material, scanned through the whole pipeline. Each copy must get the verdict its own name gives it.
 * (Name-only rules — key-material names, split-volume numbers, `.cpt` — are meant to depend on the name and
 * are not listed; see docs/detection.md, "Path and name".)
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from './index.js';
import { fixtureDir } from './scan-fixtures.test-helper.js';

const CASES = [
  { folder: 'windows-artifacts', file: 'recycled-record-v2', format: 'windows-recycle-bin-i', status: 'opaque' },
  { folder: 'windows-artifacts', file: 'recycled-record-v1.pptx', format: 'windows-recycle-bin-i', status: 'opaque' },
  { folder: 'sqlite', file: 'wal.db-shm', format: 'sqlite-shm', status: 'analysable' },
  { folder: 'leveldb', file: 'MANIFEST-000001', format: 'leveldb-manifest', status: 'analysable' },
  { folder: 'leveldb', file: '000003.log', format: 'leveldb-log', status: 'analysable' },
  { folder: 'whatsapp-backup', file: 'data/data/com.whatsapp/files/key', format: 'whatsapp-key', status: 'opaque' },
  { folder: 'sqlite', file: 'journal.db-journal', format: 'sqlite-journal', status: 'analysable' },
  { folder: 'sqlite-wal', file: 'journaled.db-journal', format: 'sqlite-journal', status: 'analysable' },
  { folder: 'dashlane', file: 'export.dash', format: 'dashlane-secure-archive', status: 'encrypted' },
  {
    folder: 'exoplayer-cache-index',
    file: 'plain/cached_content_index.exi',
    format: 'exoplayer-cache-index',
    status: 'analysable',
  },
  { folder: 'bcrypt-bfe', file: 'notes.txt.bfe', format: 'bcrypt-bfe', status: 'encrypted' },
  { folder: 'bcrypt-bfe', file: 'notes-bigendian.txt.bfe', format: 'bcrypt-bfe', status: 'encrypted' },
  { folder: 'bcrypt-bfe', file: 'notes-compressed.txt.bfe', format: 'bcrypt-bfe', status: 'encrypted' },
  { folder: 'mmkv', file: 'mmkv/mmkv.default.crc', format: 'mmkv-meta', status: 'analysable' },
  { folder: 'mmkv', file: 'mmkv/secure-storage.crc', format: 'mmkv-meta', status: 'analysable' },
  {
    folder: 'berkeley-db',
    file: 'fresh-aes/log.0000000001',
    format: 'berkeley-db-log-encrypted',
    status: 'encrypted',
  },
  { folder: 'berkeley-db', file: 'env-aes/log.0000000001', format: 'berkeley-db-log-encrypted', status: 'encrypted' },
  { folder: 'berkeley-db-region', file: '__db.001', format: 'berkeley-db-region', status: 'opaque' },
  { folder: 'aria', file: 'plain/ari.MAD', format: 'aria-data', status: 'analysable' },
  { folder: 'aria', file: 'encrypted/ari.MAD', format: 'aria-data-encrypted', status: 'encrypted' },
  { folder: 'aria', file: 'plain/aria_log_control', format: 'aria-log-control', status: 'analysable' },
  {
    folder: 'firefox-storage',
    file: 'metadata/site/.metadata-v2',
    format: 'firefox-origin-metadata',
    status: 'analysable',
  },
  {
    folder: 'firefox-storage',
    file: 'metadata/chrome/.metadata-v2',
    format: 'firefox-origin-metadata',
    status: 'analysable',
  },
  { folder: 'firefox-storage', file: 'rkv/data.safe.bin', format: 'rkv-safe-store', status: 'analysable' },
  { folder: 'file-geodatabase', file: 'a00000009.gdbtablx', format: 'esri-file-geodatabase', status: 'analysable' },
] as const;
const NAMES = ['f{i}', 'f{i}.zip', 'f{i}.jpg', 'encrypted_f{i}.bin', 'f{i}.enc', 'f{i}.key', 'f{i}.locked'];

describe('verdicts that rest on structure survive renaming', () => {
  let folder: string;
  const items = new Map<string, EvidenceItem>();
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'evtriage-renamed-'));
    CASES.forEach(({ folder: from, file }, i) => {
      for (const name of NAMES)
        copyFileSync(join(fixtureDir(from), file), join(folder, name.replace('{i}', String(i))));
    });
    const run = scan(new FolderSource(folder), { plugins: builtinPlugins, containers: builtinContainers });
    for await (const item of run) items.set(item.path, item);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  CASES.forEach(({ folder: from, file, format, status }, i) => {
    it(`${from}/${file} stays ${format} under any name`, () => {
      for (const name of NAMES) {
        const item = items.get(name.replace('{i}', String(i)));
        expect({ name, format: item?.format?.id, status: item?.classification.status }).toEqual({
          name,
          format,
          status,
        });
      }
    });
  });
});
