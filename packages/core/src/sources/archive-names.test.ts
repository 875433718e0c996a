/**
 * Member-name decoding (UTF-8 flag, 0x7075 Unicode Path field, CP437) and the
 * flags for names that would escape an extraction folder.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCp437, decodeZipName, nameProblems, tidyMemberName } from './archive-names.js';

describe('decodeCp437', () => {
  it('maps the upper half through code page 437', () => {
    expect(decodeCp437(Buffer.from([0x41, 0x82, 0x94, 0x81, 0xa4, 0xe1, 0xff]))).toBe('Aéöüñß\u00a0');
  });
});

describe('decodeZipName', () => {
  it('reads UTF-8 when flag 11 is set, or when the bytes are valid UTF-8 without it', () => {
    expect(decodeZipName(Buffer.from('café.txt'), 0x800, [])).toEqual({ text: 'café.txt', encoding: 'utf-8' });
    expect(decodeZipName(Buffer.from('café.txt'), 0, [])).toEqual({ text: 'café.txt', encoding: 'utf-8' });
  });

  it('falls back to CP437 for non-UTF-8 bytes without the flag, keeping the raw bytes', () => {
    const raw = Buffer.from([0x63, 0x61, 0x66, 0x82]);
    expect(decodeZipName(raw, 0, [])).toEqual({ text: 'café', raw: raw.toString('base64'), encoding: 'cp437' });
  });

  it('marks invalid UTF-8 under the flag as lossy, raw bytes kept', () => {
    const raw = Buffer.from([0x61, 0xff]);
    const d = decodeZipName(raw, 0x800, []);
    expect(d.encoding).toBe('utf-8-lossy');
    expect(d.raw).toBe(raw.toString('base64'));
  });

  it('prefers the 0x7075 Unicode Path field when its CRC matches the header name', () => {
    const header = Buffer.from([0x63, 0x61, 0x66, 0x82]);
    const data = Buffer.concat([Buffer.from([1]), Buffer.alloc(4), Buffer.from('café-unicode')]);
    data.writeUInt32LE(zlib.crc32(header), 1);
    expect(decodeZipName(header, 0, [{ id: 0x7075, data }]).text).toBe('café-unicode');
    data.writeUInt32LE(1, 1); // stale CRC: ignored
    expect(decodeZipName(header, 0, [{ id: 0x7075, data }]).text).toBe('café');
  });
});

describe('nameProblems', () => {
  it('flags parent references, absolute paths, backslashes and NUL bytes', () => {
    expect(nameProblems('a/../../etc/passwd').map((p) => p.code)).toEqual(['MEMBER_NAME_PARENT']);
    expect(nameProblems('/etc/passwd').map((p) => p.code)).toEqual(['MEMBER_NAME_ABSOLUTE']);
    expect(nameProblems('C:\\Windows\\x').map((p) => p.code)).toEqual([
      'MEMBER_NAME_BACKSLASH',
      'MEMBER_NAME_ABSOLUTE',
    ]);
    expect(nameProblems('..\\x').map((p) => p.code)).toEqual(['MEMBER_NAME_BACKSLASH', 'MEMBER_NAME_PARENT']);
    expect(nameProblems('a\0b').map((p) => p.code)).toEqual(['MEMBER_NAME_NUL']);
    expect(nameProblems('normal/..name/x..y')).toEqual([]);
  });

  it('tidies only directory markers and a leading ./', () => {
    expect(tidyMemberName('./a/b/')).toBe('a/b');
    expect(tidyMemberName('../a')).toBe('../a');
  });
});
