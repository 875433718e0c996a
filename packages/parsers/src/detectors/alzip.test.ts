import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { alzipDetector } from './alzip.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/alzip/', import.meta.url);

testDetector(
  alzipDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted.alz',
        format: 'alz-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['ALZ_ENCRYPTED_FLAG'],
        encryption: { scheme: 'alz-pkware-traditional', keyHint: { kind: 'password' } },
      },
      { file: 'plain.alz', format: 'alz', status: 'analysable', reasons: ['ALZ_NOT_ENCRYPTED'] },
    ],
    invalid: [{ file: 'alz-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('alzip local headers', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array) =>
    (await alzipDetector.detect(wholeFileProbe(bytes, 'x.alz'), { limits: {} as never })) as Detection | undefined;

  it('walks every entry to the central directory, past the 12-byte encryption headers', async () => {
    const d = await detect(read('encrypted.alz'));
    expect(d?.reasons[0]?.figures).toMatchObject({ entries: 2, encrypted: 2, walkEnd: 'directory' });
    expect(d?.encryption?.scope).toBe('full');
    const p = await detect(read('plain.alz'));
    expect(p?.reasons[0]?.figures).toMatchObject({ entries: 2, encrypted: 0, walkEnd: 'directory' });
  });

  it('calls an archive with one encrypted entry of two partially encrypted', async () => {
    const bytes = read('plain.alz');
    const second = bytes.indexOf('BLZ\x01', 12, 'latin1');
    bytes[second + 11]! |= 0x01;
    const d = await detect(bytes);
    expect(d?.status).toBe('encrypted');
    expect(d?.encryption?.scope).toBe('partial');
    expect(d?.reasons[0]?.figures).toMatchObject({ entries: 2, encrypted: 1 });
  });

  it('refuses the magic when the first record is not a local header or has an undefined size width', async () => {
    const bytes = read('encrypted.alz');
    const width = Buffer.from(bytes);
    width[19] = 0x31; // width 3 is not defined
    expect(await detect(width)).toBeUndefined();
    const noName = Buffer.from(bytes);
    noName.writeUInt16LE(0, 12);
    expect(await detect(noName)).toBeUndefined();
  });

  it('stops at the end of a truncated probe without throwing', async () => {
    const d = await detect(read('encrypted.alz').subarray(0, 30));
    expect(d?.reasons[0]?.figures).toMatchObject({ walkEnd: 'probe' });
  });
});
