import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { kindleFilesDetector } from './kindle-files.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/kindle-files/', import.meta.url);

testDetector(
  kindleFilesDetector,
  {
    fixtures,
    valid: [
      { file: 'book.tpz', format: 'topaz', status: 'analysable', reasons: ['TOPAZ_CLEAR'], confidence: { min: 0.9 } },
      {
        // A dkey record: the book key wrapped under the reader's PID, the pages encrypted.
        file: 'book-drm.tpz',
        format: 'topaz-drm',
        status: 'encrypted',
        reasons: ['TOPAZ_DKEY'],
        encryption: { scheme: 'kindle-topaz', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'B0EXAMPLE1.voucher',
        format: 'kindle-voucher',
        status: 'encrypted',
        reasons: ['KINDLE_VOUCHER'],
        encryption: { scheme: 'kindle-pidv3-voucher', scope: 'full', keyHint: { kind: 'keystore' } },
      },
      // ProtectedData imported second: still a voucher, its envelope version unnamed.
      {
        file: 'B0EXAMPLE2.voucher',
        format: 'kindle-voucher',
        status: 'encrypted',
        encryption: { scheme: 'kindle-pidv3-voucher' },
      },
      // Ion without Amazon's DRM symbols is no voucher, but readable data.
      { file: 'notes.ion', format: 'amazon-ion', status: 'analysable', reasons: ['ION_BINARY'] },
    ],
    // "TPZ0" whose records point past the file's end is no book; nor the Ion marker before values that do not chain.
    invalid: [{ file: 'tpz-no-end.bin' }, { file: 'ion-broken.bin' }],
  },
  { framework: { describe, it } },
);

describe('kindle-files', () => {
  const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array, name = 'x') =>
    (await kindleFilesDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never })) as Detection | undefined;

  it('reads the envelope version and every Topaz header record', async () => {
    expect((await detect(read('B0EXAMPLE1.voucher')))?.reasons[0]?.figures).toMatchObject({ envelopeVersion: 1 });
    expect((await detect(read('B0EXAMPLE2.voucher')))?.reasons[0]?.figures).toEqual({});
    expect((await detect(read('book-drm.tpz')))?.reasons[0]?.figures).toMatchObject({
      headerRecords: 4,
      complete: true,
    });
  });

  it('believes a Topaz header cut by the probe less, and says so', async () => {
    const book = read('book.tpz');
    // The probe's head ends inside the third record's tag; the file goes on (its size is the whole book's).
    const head = book.subarray(0, 40);
    const probe = { ...wholeFileProbe(book, 'book.tpz'), head, complete: false };
    const partial = (await kindleFilesDetector.detect(probe, { limits: {} as never })) as Detection | undefined;
    expect(partial?.format?.id).toBe('topaz');
    expect(partial?.confidence).toBeLessThan(0.9);
    expect(partial?.reasons[0]?.figures).toMatchObject({ headerRecords: 2, complete: false });
    // The same 40 bytes as a whole file: record offsets past its end, no book.
    expect(await detect(head)).toBeUndefined();
  });

  it('refuses annotation wrappers nested in wrappers (hostile input) without recursing through them', async () => {
    const b = new Uint8Array(16384);
    b.set([0xe0, 0x01, 0x00, 0xea]);
    for (let i = 4; i + 3 <= b.length; i += 3) b.set([0xe3, 0x81, 0x83], i);
    expect(await detect(b)).toBeUndefined();
  });
});
