import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { hiveBoxDetector, walkHiveFrames } from './hive-box.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from hive 2.2.3's published layout (no Dart SDK here): fixtures/hive-box/generate.sh.
testDetector(
  hiveBoxDetector,
  {
    fixtures: new URL('../../fixtures/hive-box/', import.meta.url),
    valid: [
      {
        // String and integer keys, a key written twice, a deletion frame: every CRC-32 checks.
        file: 'settings.hive',
        format: 'hive',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['HIVE_FRAMES'],
        details: { frames: 9, deleted: 1, stringKeys: 7 },
      },
      {
        // HiveAesCipher: keys clear, values IV + AES-256-CBC, CRCs seeded with the key's hash.
        file: 'vault.hive',
        format: 'hive-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['HIVE_ENCRYPTED_FRAMES'],
        encryption: { scheme: 'hive-aes-256-cbc', keyHint: { kind: 'keystore' } },
      },
      {
        // A copy stopped mid-frame: the whole frames before the cut still check.
        file: 'cut.hive',
        format: 'hive',
        status: 'analysable',
        confidence: { max: 0.9 },
      },
    ],
    invalid: [
      // One CRC changed: neither every frame checking (plain) nor none (encrypted).
      { file: 'bad-crc.hive' },
      { file: 'random.hive' },
    ],
  },
  { framework: { describe, it } },
);

describe('Hive frame walk', () => {
  it('reads keys and checks each CRC', () => {
    const key = Buffer.from([0x01, 0x01, 0x61]);
    const value = Buffer.from([0x03, 0x01]);
    const f = Buffer.alloc(4 + key.length + value.length + 4);
    f.writeUInt32LE(f.length, 0);
    key.copy(f, 4);
    value.copy(f, 4 + key.length);
    f.writeUInt32LE(zlib.crc32(f.subarray(0, f.length - 4)), f.length - 4);
    expect(walkHiveFrames(f)).toMatchObject({ frames: [{ key: 'a', valueLength: 2, crcPlain: true }], cut: false });
    // A control character in a string key is not a Hive key.
    const bad = Buffer.from(f);
    bad[6] = 0x01;
    expect(walkHiveFrames(bad)).toBeUndefined();
  });

  it('wants an encrypted value to start with a random IV', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    // Three frames of integer keys whose values are 32 bytes, CRCs not checking: encrypted-shaped.
    const frame = (key: number, value: Uint8Array) => {
      const f = Buffer.alloc(4 + 5 + value.length + 4);
      f.writeUInt32LE(f.length, 0);
      f[4] = 0;
      f.writeUInt32LE(key, 5);
      Buffer.from(value).copy(f, 9);
      f.writeUInt32LE(0x12345678, f.length - 4);
      return f;
    };
    const box = (value: (i: number) => Uint8Array) => Buffer.concat([0, 1, 2].map((i) => frame(i, value(i))));
    const random = box((i) => seededBytes(100 + i, 32));
    expect(hiveBoxDetector.detect(wholeFileProbe(random, 'box.hive'), ctx)).toMatchObject({ status: 'encrypted' });
    // Records of another format: a payload starting with zeros and small numbers is not an IV.
    const records = box((i) => Uint8Array.from({ length: 32 }, (_, j) => (j < 16 ? j % 4 : (i * 31 + j) & 0xff)));
    expect(hiveBoxDetector.detect(wholeFileProbe(records, 'records.bin'), ctx)).toBeUndefined();
  });

  it('finds no box in random bytes, even behind a first length that fits', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const size = 16 + (i % 3000);
      const b = seededBytes(i + 7, size);
      // Half of them begin like a frame: a length within the file and a key type byte.
      if (i % 2 === 0) {
        new DataView(b.buffer).setUint32(0, 11 + ((i * 7919) % (size - 10)), true);
        b[4] = i % 4 === 0 ? 0 : 1;
      }
      if (hiveBoxDetector.detect(wholeFileProbe(b, `app_flutter/box${i}.hive`), ctx)) found++;
    }
    expect(found).toBe(0);
  });
});
