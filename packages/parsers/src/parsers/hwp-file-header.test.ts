import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { readCompoundFile } from './compound-file.js';
import { hwpVerdict } from './hwp-file-header.js';

const fixture = (name: string): Buffer =>
  fs.readFileSync(new URL(`../../fixtures/ole2-encryption/${name}`, import.meta.url));

/** The FileHeader stream of a fixture, with its properties word replaced when asked. */
function header(props?: number, name = 'hwp-plain.hwp'): Buffer {
  const h = Buffer.from(readCompoundFile(fixture(name)).read('FileHeader', 256)!);
  if (props !== undefined) h.writeUInt32LE(props >>> 0, 36);
  return h;
}

describe('hwpVerdict', () => {
  it('names each fixture by its properties word', () => {
    const ids = ['plain', 'password', 'certificate', 'drm', 'distribution'].map(
      (n) => hwpVerdict(header(undefined, `hwp-${n}.hwp`))?.id,
    );
    expect(ids).toEqual(['hwp', 'hwp-encrypted', 'hwp-encrypted', 'hwp-drm', 'hwp']);
  });

  it('reads the version and the encryption version from the header', () => {
    const v = hwpVerdict(header(undefined, 'hwp-password.hwp'))!;
    expect(v.encrypted).toBe(true);
    expect(v.message).toContain('Hangul 5.1.1.0');
    expect(v.message).toContain('encryption version 4, Hangul 7.0 and later');
  });

  it('puts DRM before the password bit, and names certificate DRM', () => {
    expect(hwpVerdict(header(0x13))?.scheme).toBe('hwp-drm');
    expect(hwpVerdict(header(1 | (1 << 10)))?.scheme).toBe('hwp-certificate-drm');
    expect(hwpVerdict(header(1 | (1 << 8) | (1 << 1)))?.scheme).toBe('hwp-certificate');
  });

  it('keeps a privacy-protected document readable and says which part is locked', () => {
    const v = hwpVerdict(header(1 | (1 << 13)))!;
    expect(v.encrypted).toBe(false);
    expect(v.message).toContain('personal details');
  });

  it('claims nothing for a stream that is not a Hangul 5 FileHeader', () => {
    const other = header(1 << 1);
    other.write('HWP Document Filx', 0, 'latin1');
    expect(hwpVerdict(other)).toBeUndefined();
    const trailing = header(1 << 1);
    trailing[20] = 0x41; // text after the signature inside its 32 bytes
    expect(hwpVerdict(trailing)).toBeUndefined();
    expect(hwpVerdict(header(1 << 1).subarray(0, 39))).toBeUndefined();
    expect(hwpVerdict(Buffer.alloc(0))).toBeUndefined();
  });
});
