import { describe, expect, it } from 'vitest';
import { decodeEncodedText, MIN_DECODED_BYTES, recogniseEncodedText } from './encoded-text.js';
import { seededBytes } from './seeded-bytes.test-helper.js';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const wrap = (s: string, width: number) => s.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n') + '\n';

describe('decoding (RFC 4648 §10 test vectors)', () => {
  const vectors: Array<[string, string, string, string]> = [
    ['f', 'Zg==', 'MY======', '66'],
    ['fo', 'Zm8=', 'MZXQ====', '666F'],
    ['foo', 'Zm9v', 'MZXW6===', '666F6F'],
    ['foob', 'Zm9vYg==', 'MZXW6YQ=', '666F6F62'],
    ['fooba', 'Zm9vYmE=', 'MZXW6YTB', '666F6F6261'],
    ['foobar', 'Zm9vYmFy', 'MZXW6YTBOI======', '666F6F626172'],
  ];
  for (const [plain, b64, b32, b16] of vectors)
    it(JSON.stringify(plain), () => {
      expect(decodeEncodedText(b64, { encoding: 'base64' }).toString()).toBe(plain);
      expect(decodeEncodedText(b32, { encoding: 'base32' }).toString()).toBe(plain);
      expect(decodeEncodedText(b16, { encoding: 'base16' }).toString()).toBe(plain);
    });
  it('drops line breaks; base32 decodes what base32 wrote', () => {
    const bytes = Buffer.from(seededBytes(5, 1000));
    const b32 = base32(bytes);
    expect(decodeEncodedText(wrap(b32, 76), { encoding: 'base32' })).toEqual(bytes);
    expect(decodeEncodedText(wrap(bytes.toString('base64url'), 64), { encoding: 'base64', urlSafe: true })).toEqual(
      bytes,
    );
  });
});

describe('recognising one encoded stream', () => {
  const bytes = Buffer.from(seededBytes(9, 3000));
  it('wrapped or not, each alphabet', () => {
    expect(recogniseEncodedText(ascii(wrap(bytes.toString('base64'), 76)), true)).toMatchObject({
      encoding: 'base64',
      lineLength: 76,
      lines: 53,
      digits: 4000,
    });
    expect(recogniseEncodedText(ascii(bytes.toString('base64url')), true)).toMatchObject({
      encoding: 'base64',
      urlSafe: true,
      lines: 1,
    });
    expect(recogniseEncodedText(ascii(wrap(bytes.toString('hex'), 60)), true)?.encoding).toBe('base16');
    expect(recogniseEncodedText(ascii(wrap(base32(bytes), 76)), true)?.encoding).toBe('base32');
  });
  it('a head whose last line is cut, and CRLF line ends', () => {
    const text = wrap(bytes.toString('base64'), 76).replace(/\n/g, '\r\n');
    expect(recogniseEncodedText(ascii(text.slice(0, 1000)), false)?.encoding).toBe('base64');
    // Cut as a whole file: a last group of 2 or 3 characters is unpadded base64, one of 1 cannot be.
    expect(recogniseEncodedText(ascii(text.slice(0, 1003)), true)?.digits).toBe(979);
    expect(recogniseEncodedText(ascii(text.slice(0, 1001)), true)).toBeUndefined();
  });
  it('not: too short, lines of different lengths, other characters, hash lists', () => {
    const short = bytes.subarray(0, MIN_DECODED_BYTES - 1).toString('base64');
    expect(recogniseEncodedText(ascii(short), true)).toBeUndefined();
    expect(recogniseEncodedText(ascii(bytes.subarray(0, MIN_DECODED_BYTES).toString('base64')), true)).toBeDefined();
    const ragged = wrap(bytes.toString('base64'), 76).replace('\n', 'AAAA\n');
    expect(recogniseEncodedText(ascii(ragged), true)).toBeUndefined();
    expect(recogniseEncodedText(ascii(bytes.toString('base64').replace('A', '.')), true)).toBeUndefined();
    const digests = Array.from({ length: 20 }, (_, i) => bytes.subarray(i * 32, i * 32 + 32).toString('hex'));
    expect(recogniseEncodedText(ascii(digests.join('\n') + '\n'), true)).toBeUndefined();
    expect(recogniseEncodedText(bytes, true)).toBeUndefined();
  });
  it('not: words of one alphabet that lack the mix encoded bytes have', () => {
    // Only capitals and digits 2-7 is base32; capitals alone are not. Letters without digits are not base64.
    expect(recogniseEncodedText(ascii('ABCDEFGH'.repeat(40)), true)).toBeUndefined();
    expect(recogniseEncodedText(ascii('abcdEFGH'.repeat(40)), true)).toBeUndefined();
  });
});

/** RFC 4648 base32 with padding, for the tests (coreutils' `base32` wrote the fixtures). */
function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}
