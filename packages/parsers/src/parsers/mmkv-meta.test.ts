import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { testParser } from '@evtriage/core/testing';
import { mmkvDetector } from '../detectors/mmkv.js';
import { statisticsDetector } from '../detectors/statistics.js';
import { mmkvMetaParser } from './mmkv-meta.js';

// The mmkv detector's fixtures (written from MMKV's published layout by fixtures/mmkv/generate.sh): data
// files with their .crc meta files beside them. Each data file is identified as a scan would (the mmkv detector, else the
// statistics) and its .crc sibling is read by the parser.
testParser(
  mmkvMetaParser,
  {
    fixtures: new URL('../../fixtures/mmkv/', import.meta.url),
    detectors: [mmkvDetector, statisticsDetector],
    // Meta pages are read as siblings; the detector's meta look-alike has no data file.
    ignore: ['**/*.crc', 'meta-look-alike.bin'],
    valid: [
      {
        // CRC-32 of the ciphertext and a random IV in the meta: encrypted, certain.
        file: 'mmkv/secure-storage',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'mmkv-aes-cfb-128', keyHint: { kind: 'keystore' } },
        details: { meta: { version: 3, ivSet: true, crcMatches: true } },
      },
      {
        // The same instance outside an mmkv folder: the statistics call its short random body before
        // zero padding unrecognised binary; the meta file beside it decides.
        file: 'encrypted-elsewhere',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'mmkv-aes-cfb-128' },
      },
      {
        file: 'mmkv/mmkv.default',
        format: 'mmkv',
        status: 'analysable',
        details: { meta: { version: 3, sequence: 2, ivSet: false, crcMatches: true } },
      },
      {
        file: 'mmkv/com.example.settings',
        format: 'mmkv',
        status: 'analysable',
        details: { meta: { crcMatches: true } },
      },
    ],
    invalid: [
      // The meta's CRC is not the body's: the suspicion stays, with the mismatch reported.
      {
        file: 'mmkv/wrong-crc',
        format: 'mmkv-encrypted',
        diagnostics: ['MMKV_CRC_MISMATCH'],
        details: { meta: { crcMatches: false } },
      },
      // No meta file beside random bytes: nothing to say (the statistics set the page's zero padding aside and
      // read the rest as random data, as the name says).
      { file: 'random-page', format: 'random-data', diagnostics: [] },
    ],
  },
  { framework: { describe, it } },
);

describe('an MMKV instance larger than one read', () => {
  it('checks the CRC over a body read in pieces', async () => {
    // 1.5 MiB of (seeded) ciphertext behind a size header, padded to pages, in a folder not named mmkv,
    // with a meta page that holds its CRC-32 and an IV, as fixtures/mmkv/generate.sh writes them.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-mmkv-'));
    try {
      const body = Buffer.from(seededBytes(7, 1536 * 1024 + 100));
      const data = Buffer.alloc(Math.ceil((body.length + 4) / 4096) * 4096);
      data.writeUInt32LE(body.length, 0);
      body.copy(data, 4);
      const meta = Buffer.alloc(4096);
      meta.writeUInt32LE(zlib.crc32(body), 0);
      meta.writeUInt32LE(3, 4);
      meta.writeUInt32LE(1, 8);
      Buffer.from(seededBytes(8, 16)).copy(meta, 12);
      meta.writeUInt32LE(body.length, 28);
      fs.writeFileSync(path.join(dir, 'store'), data);
      fs.writeFileSync(path.join(dir, 'store.crc'), meta);
      const items = new Map<string, EvidenceItem>();
      for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
        items.set(item.path, item);
      expect(items.get('store')?.format?.id).toBe('mmkv-encrypted');
      expect(items.get('store')?.classification.status).toBe('encrypted');
      expect(items.get('store.crc')?.format?.id).toBe('mmkv-meta');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
