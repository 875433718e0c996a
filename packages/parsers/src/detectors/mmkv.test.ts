import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { decodeMmkvBody, inMmkvFolder, mmkvDetector, readMmkvMeta } from './mmkv.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from MMKV's published layout (no Debian tool writes MMKV): fixtures/mmkv/generate.sh.
testDetector(
  mmkvDetector,
  {
    fixtures: new URL('../../fixtures/mmkv/', import.meta.url),
    valid: [
      {
        // A full write-back of four keys, then appends: a key set again, one deleted.
        file: 'mmkv/mmkv.default',
        format: 'mmkv',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['MMKV_PLAIN'],
        details: { keys: 3, pairs: 6, actualSize: 118 },
      },
      {
        // Appends only, behind the first-append placeholder 0x00ffffff.
        file: 'mmkv/com.example.settings',
        format: 'mmkv',
        status: 'analysable',
        reasons: ['MMKV_PLAIN'],
        details: { keys: 4, pairs: 4 },
      },
      {
        // AES-128-CFB body in an mmkv folder: suspected until the mmkv-meta parser reads the .crc.
        file: 'mmkv/secure-storage',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        confidence: { max: 0.65 },
        reasons: ['MMKV_RANDOM_BODY'],
        encryption: { scheme: 'mmkv-aes-cfb-128', keyHint: { kind: 'keystore' } },
      },
      {
        // The detector cannot see the meta file: the same suspicion (the parser then keeps it suspected).
        file: 'mmkv/wrong-crc',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        confidence: { max: 0.65 },
      },
      {
        file: 'mmkv/secure-storage.crc',
        format: 'mmkv-meta',
        status: 'analysable',
        reasons: ['MMKV_META'],
        details: { version: 3, encryptedInstance: true },
      },
      {
        file: 'mmkv/mmkv.default.crc',
        format: 'mmkv-meta',
        status: 'analysable',
        details: { sequence: 2, encryptedInstance: false },
      },
      { file: 'mmkv/com.example.settings.crc', format: 'mmkv-meta', status: 'analysable' },
      { file: 'mmkv/wrong-crc.crc', format: 'mmkv-meta', status: 'analysable' },
      { file: 'encrypted-elsewhere.crc', format: 'mmkv-meta', status: 'analysable' },
    ],
    invalid: [
      // Random bodies outside an mmkv folder are left to the statistics (and the parser, with a .crc beside).
      { file: 'encrypted-elsewhere' },
      { file: 'random-page' },
      // A meta page whose last confirmed size has a zero CRC-32 (MMKV writes none such), under another name.
      { file: 'meta-look-alike.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('MMKV structure checks', () => {
  it('takes the folder MMKV keeps its files in, directly', () => {
    expect(inMmkvFolder('data/data/com.example/files/mmkv/mmkv.default')).toBe(true);
    expect(inMmkvFolder('AppDomain-com.example/Library/MMKV/secure')).toBe(true);
    expect(inMmkvFolder('files/mmkv/backup/secure')).toBe(false);
    expect(inMmkvFolder('files/notmmkv/secure')).toBe(false);
  });

  it('decodes no body from random bytes', () => {
    let decoded = 0;
    for (let i = 0; i < 20000; i++) {
      const b = seededBytes(i, 64 + (i % 4000));
      if (decodeMmkvBody(b, true) || decodeMmkvBody(b, false)) decoded++;
    }
    expect(decoded).toBe(0);
  });

  it('needs the pairs to end exactly at the actual size', () => {
    const body = Buffer.from([0x0b, 0x03, 0x6b, 0x65, 0x79, 0x06, 0x05, 0x76, 0x61, 0x6c, 0x75, 0x65]);
    expect(decodeMmkvBody(body, true)).toMatchObject({ pairs: 1, keys: 1 });
    expect(decodeMmkvBody(Buffer.concat([body, Buffer.from([0x01])]), true)).toBeUndefined();
    // A control character in a key is not an MMKV key.
    const bad = Buffer.from(body);
    bad[3] = 0x01;
    expect(decodeMmkvBody(bad, true)).toBeUndefined();
  });

  it('takes a meta page only when the fields past the known ones are zero', () => {
    const page = Buffer.alloc(4096);
    page.writeUInt32LE(0x12345678, 0);
    page.writeUInt32LE(3, 4);
    page.writeUInt32LE(1, 8);
    page.writeUInt32LE(200, 28);
    expect(readMmkvMeta(page)).toMatchObject({ version: 3, ivSet: false, actualSize: 200 });
    page[3000] = 1;
    expect(readMmkvMeta(page)).toBeUndefined();
  });

  it('finds nothing in random page-rounded files with a fitting size header, outside an mmkv folder', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    let found = 0;
    for (let i = 0; i < 4000; i++) {
      const size = 4096 * (1 + (i % 4));
      const b = seededBytes(i + 1, size);
      // The size header of an encrypted instance: it fits the file.
      new DataView(b.buffer).setUint32(0, 64 + ((i * 7919) % (size - 68)), true);
      if (mmkvDetector.detect(wholeFileProbe(b, `files/x${i}`), ctx)) found++;
      if (mmkvDetector.detect(wholeFileProbe(b, `files/x${i}.crc`), ctx)) found++;
    }
    expect(found).toBe(0);
  });
});

describe('MMKV meta page under another name', () => {
  const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
  const fixture = (name: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/mmkv/${name}`, import.meta.url)));
  const detect = (b: Uint8Array, name: string) => mmkvDetector.detect(wholeFileProbe(b, name), ctx) as Detection;

  it('takes the four meta pages by their layout, with the lower-confidence reason', () => {
    for (const file of ['mmkv/mmkv.default.crc', 'mmkv/com.example.settings.crc', 'mmkv/secure-storage.crc']) {
      const named = detect(fixture(file), 'x.crc');
      const bare = detect(fixture(file), 'f');
      expect(bare).toMatchObject({ format: { id: 'mmkv-meta' }, status: 'analysable' });
      expect(bare.reasons[0]!.code).toBe('MMKV_META_STRUCTURE');
      expect(bare.reasons[0]!.message).toContain("the name is not MMKV's");
      expect(bare.confidence).toBeLessThan(named.confidence);
    }
    expect(detect(fixture('mmkv/secure-storage.crc'), 'f.bin').reasons[0]!.figures).toMatchObject({
      version: 3,
      actualSize: 925,
      encryptedInstance: true,
    });
  });

  it('leaves a page whose last confirmed size has no CRC-32 (MMKV writes none such)', () => {
    expect(detect(fixture('meta-look-alike.bin'), 'meta-look-alike.bin')).toBeUndefined();
    // Under the .crc name the layout alone is enough, as before.
    expect(detect(fixture('meta-look-alike.bin'), 'x.crc')?.format.id).toBe('mmkv-meta');
  });

  it('leaves versions before 3 and flag bytes in a version 3 page', () => {
    const page = Buffer.from(fixture('mmkv/mmkv.default.crc'));
    page.writeUInt32LE(2, 4);
    expect(detect(page, 'f')).toBeUndefined();
    page.writeUInt32LE(3, 4);
    page[104] = 1;
    expect(detect(page, 'f')).toBeUndefined();
    page.writeUInt32LE(4, 4);
    expect(detect(page, 'f')?.format.id).toBe('mmkv-meta');
  });
});
