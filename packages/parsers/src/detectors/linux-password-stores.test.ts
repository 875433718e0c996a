import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { linuxPasswordStoresDetector } from './linux-password-stores.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/linux-password-stores/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

testDetector(
  linuxPasswordStoresDetector,
  {
    fixtures,
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/yapet2-lf.pet',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS', 'TRAILING_DATA'],
      },
      {
        file: 'appended/yapet2-nul.pet',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/yapet2-text2k.pet',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS', 'TRAILING_DATA'],
      },
      {
        file: 'appended/yapet2-zpad4k.pet',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'yapet2.pet',
        format: 'yapet',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['YAPET_RECORDS'],
        encryption: { scheme: 'yapet-2-argon2-aes256-cbc', scope: 'full', keyHint: { kind: 'password' } },
      },
      {
        file: 'yapet2-empty.pet',
        name: 'a store without entries: the clear record and the encrypted header, two records ending the file',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS'],
      },
      {
        file: 'yapet1.pet',
        format: 'yapet',
        status: 'encrypted',
        reasons: ['YAPET_RECORDS'],
        encryption: { scheme: 'yapet-1-blowfish-cbc' },
      },
      {
        file: 'v2.rvl',
        format: 'revelation',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['REVELATION_HEADER'],
        encryption: { scheme: 'revelation-2-pbkdf2-sha1-aes256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'v1.rvl',
        format: 'revelation',
        status: 'encrypted',
        reasons: ['REVELATION_HEADER'],
        encryption: { scheme: 'revelation-1-aes-cbc' },
      },
      {
        file: 'default.grg',
        format: 'gringotts',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['GRINGOTTS_HEADER'],
        encryption: { scheme: 'gringotts-serpent-cfb-ripemd-160', keyHint: { kind: 'password' } },
      },
      {
        file: 'aes.grg',
        format: 'gringotts',
        status: 'encrypted',
        reasons: ['GRINGOTTS_HEADER'],
        encryption: { scheme: 'gringotts-rijndael-128-cfb-sha-1' },
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/yapet2-cut.pet' },
      { file: 'yapet-notes.txt' },
      { file: 'rvl-notes.txt' },
      { file: 'grg-notes.txt' },
    ],
  },
  { framework: { describe, it } },
);

const detect = (bytes: Uint8Array, name = 'x') =>
  linuxPasswordStoresDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never }) as Detection | undefined;

describe('linux-password-stores header fields', () => {
  it('reads the Argon2 costs from the clear YAPET 2.0 record', () => {
    expect(detect(read('yapet2.pet'))?.reasons[0]?.figures).toMatchObject({
      fileVersion: '2.0',
      argon2TimeCost: 5,
      argon2Parallelism: 16,
      argon2MemoryKiB: 262144,
      records: 3,
    });
  });

  it('needs the YAPET record chain to end at the end of the file, or before NULs or text only', () => {
    const bytes = read('yapet2.pet');
    expect(detect(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    // NULs after the last record are set aside and named; binary bytes that are no record still refuse the file.
    const padded = detect(Buffer.concat([bytes, Buffer.alloc(3)]));
    expect(padded?.reasons.find((r) => r.code === 'TRAILING_ZERO_PADDING')?.figures).toEqual({ zeroPaddingBytes: 3 });
    expect(detect(Buffer.concat([bytes, Buffer.from([0x01, 0x02, 0x03])]))).toBeUndefined();
    expect(detect(Buffer.concat([bytes, bytes.subarray(0, 40)]))).toBeUndefined();
  });

  it('follows the YAPET chain to the end of the probe when the file is larger', () => {
    const bytes = read('yapet2.pet');
    const probe: Probe = { ...wholeFileProbe(bytes.subarray(0, 1000), 'x.pet'), size: bytes.length, complete: false };
    expect(
      (linuxPasswordStoresDetector.detect(probe, { limits: {} as never }) as Detection | undefined)?.format.id,
    ).toBe('yapet');
  });

  it('needs a Revelation body of whole AES blocks', () => {
    const bytes = read('v2.rvl');
    expect(detect(bytes.subarray(0, bytes.length - 5))).toBeUndefined();
    expect(detect(bytes)?.reasons[0]?.figures).toMatchObject({ dataVersion: 2, appVersion: '0.4.7' });
  });

  it('verifies the Gringotts CRC-32 and refuses a file whose CRC does not match', () => {
    const bytes = Buffer.from(read('default.grg'));
    expect(detect(bytes)?.reasons[0]?.figures?.crc).toBe('match');
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    expect(detect(bytes)).toBeUndefined();
  });
});

describe('linux-password-stores mutation fuzz', () => {
  const seeds = ['yapet2.pet', 'yapet2-empty.pet', 'yapet1.pet', 'v2.rvl', 'v1.rvl', 'default.grg', 'aes.grg'].map(
    (name) => [name, read(name)] as const,
  );
  fuzzFlipCutGrow(linuxPasswordStoresDetector, seeds, 200, { wholeHalf: true });
});
