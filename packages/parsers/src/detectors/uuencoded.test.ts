/** The uuencoded detector and container on libarchive's test files and sharutils' output (fixtures/uuencoded/generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, expect, it } from 'vitest';
import { decodeUuencoded, recogniseUuencoded } from '../uuencoded.js';
import { uuencodedMemberName } from '../encoded-text-container.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { uuencodedDetector } from './uuencoded.js';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/uuencoded/${name}`, import.meta.url));

testDetector(
  uuencodedDetector,
  {
    fixtures: new URL('../../fixtures/uuencoded/', import.meta.url),
    valid: [
      {
        file: 'test_read_format_zip_traditional_encryption_data.zip.uu',
        format: 'uuencoded',
        status: 'analysable',
        reasons: ['UUENCODED'],
      },
      {
        file: 'test_compat_bzip2_1.tbz.uu',
        format: 'uuencoded',
        status: 'analysable',
        reasons: ['UUENCODED'],
        name: 'behind a FreeBSD id line and a blank line',
      },
      { file: 'encrypted.zip.b64.uu', format: 'uuencoded', status: 'analysable', reasons: ['UUENCODED'] },
    ],
    invalid: [{ file: 'not-uuencoded.txt', name: 'prose that opens with a begin line' }],
  },
  { framework: { describe, it } },
);

describe('uuencoded files decoded', () => {
  it('decodes both forms to the same bytes', () => {
    const historical = decodeUuencoded(
      fixture('test_read_format_zip_traditional_encryption_data.zip.uu').toString('latin1'),
    );
    const base64 = decodeUuencoded(fixture('encrypted.zip.b64.uu').toString('latin1'));
    expect(historical?.found).toMatchObject({ form: 'historical', mode: '644' });
    expect(base64?.found).toMatchObject({ form: 'base64', name: 'encrypted.zip' });
    expect(historical?.bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(base64?.bytes.equals(historical!.bytes)).toBe(true);
  });

  it('refuses a file whose lines do not hold the bytes their length character says', () => {
    const text = fixture('test_read_format_zip_traditional_encryption_data.zip.uu').toString('latin1');
    const lines = text.split('\n');
    lines[2] = lines[2]!.slice(0, 20);
    expect(recogniseUuencoded(lines.join('\n'), true)).toBeUndefined();
    expect(decodeUuencoded(lines.join('\n'))).toBeUndefined();
  });

  it('never throws on damaged text', () => {
    const text = fixture('test_compat_bzip2_1.tbz.uu').toString('latin1');
    for (let i = 0; i < 400; i++) {
      const at = (i * 7919) % text.length;
      const damaged = text.slice(0, at) + String.fromCharCode((i * 31) % 256) + text.slice(at + 1);
      expect(() => decodeUuencoded(damaged.slice(0, text.length - (i % 50)))).not.toThrow();
    }
  });

  it('names the member from the begin line, as one path segment', () => {
    expect(uuencodedMemberName('a/x.uu', '../../etc/passwd')).toBe('passwd');
    expect(uuencodedMemberName('a/x.uu', '..')).toBe('x.uu.decoded');
  });

  it('opens the decoded file as a member: the uuencoded ZIP is an encrypted ZIP', async () => {
    const items = await scanFixtures('uuencoded');
    const member = items.get(
      'test_read_format_zip_traditional_encryption_data.zip.uu!/test_read_format_zip_traditional_encryption_data.zip',
    );
    expect(member?.classification.status).toBe('encrypted');
    expect(items.get('encrypted.zip.b64.uu!/encrypted.zip')?.classification.status).toBe('encrypted');
    expect(items.get('test_compat_bzip2_1.tbz.uu')?.classification.status).toBe('analysable');
  });
});
