/**
 * GZIP read as gzip(1) reads it: members one after another, trailing bytes reported, not fatal. Fixtures by GNU
 * gzip, pigz and fwupd's test data (fixtures/gzip-members/generate.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gunzipMembers, type GzipTrailing } from './gzip-members.js';
import { openSource } from './open.js';
import { mutant, rng } from './stream-codec.test-helper.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/gzip-members');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(dir, name));
const numbers = Buffer.from(Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join(''));
const second = Buffer.from(Array.from({ length: 50 }, (_, i) => `second member: ${i + 1}\n`).join(''));

/** The members' bytes, the trailing bytes heard of, and the error the stream ended on; fed in `pieces`-byte chunks. */
async function gunzip(
  bytes: Buffer,
  pieces = bytes.length || 1,
): Promise<{ out: Buffer; trailing: GzipTrailing[]; error?: Error & { code?: string } }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += pieces) chunks.push(bytes.subarray(i, i + pieces));
  const trailing: GzipTrailing[] = [];
  const parts: Buffer[] = [];
  try {
    for await (const b of gunzipMembers(Readable.from(chunks), (t) => trailing.push(t))) parts.push(b);
  } catch (err) {
    return { out: Buffer.concat(parts), trailing, error: err as Error };
  }
  return { out: Buffer.concat(parts), trailing };
}

describe('GZIP members and what follows them', () => {
  it("reads fwupd's .jcat (a member, then IHATECDN) and reports the 8 trailing bytes", async () => {
    const jcat = fixture('fakedevice124.jcat');
    const r = await gunzip(jcat);
    expect(r.error).toBeUndefined();
    expect(JSON.parse(r.out.toString('utf8'))).toHaveProperty('JcatVersionMajor');
    expect(r.trailing).toEqual([{ offset: jcat.length - 8, length: 8 }]);
    expect(jcat.subarray(jcat.length - 8).toString('latin1')).toBe('IHATECDN');
  });

  it('reads members one after another, in any chunking, and ignores zeros after them as gzip does', async () => {
    const two = fixture('two-members.txt.gz');
    for (const pieces of [two.length, 4096, 7, 1]) {
      const r = await gunzip(two, pieces);
      expect(r.error, `${pieces}`).toBeUndefined();
      expect(r.out.equals(Buffer.concat([numbers, second])), `${pieces}`).toBe(true);
      expect(r.trailing, `${pieces}`).toEqual([{ offset: two.length - 16, length: 16 }]);
    }
    const garbage = await gunzip(fixture('trailing-garbage.txt.gz'));
    expect(garbage.out.equals(numbers)).toBe(true);
    expect(garbage.trailing).toEqual([{ offset: 4218, length: 16 }]);
    const zeros = await gunzip(fixture('trailing-zeros.txt.gz'), 100);
    expect([zeros.out.equals(numbers), zeros.trailing, zeros.error]).toEqual([true, [], undefined]);
    const named = await gunzip(fixture('named-comment.gz'), 5);
    expect([named.out.equals(second), named.trailing, named.error]).toEqual([true, [], undefined]);
  });

  it('checks each member: a wrong CRC-32 or size, a cut, or no GZIP at all is an error after the bytes before it', async () => {
    const one = fixture('trailing-zeros.txt.gz').subarray(0, 4218);
    const crc = Buffer.from(one);
    crc[one.length - 8] = crc[one.length - 8]! ^ 1;
    expect((await gunzip(crc)).error).toMatchObject({ message: 'incorrect data check', code: 'Z_DATA_ERROR' });
    const size = Buffer.from(one);
    size[one.length - 1] = size[one.length - 1]! ^ 1;
    const sized = await gunzip(size);
    expect(sized.error).toMatchObject({ message: 'incorrect length check' });
    expect(sized.out.equals(numbers)).toBe(true);
    const cut = await gunzip(one.subarray(0, 3000), 512);
    expect(cut.error).toMatchObject({ message: 'unexpected end of file', code: 'Z_BUF_ERROR' });
    expect(cut.out.length).toBeGreaterThan(0);
    expect(numbers.subarray(0, cut.out.length).equals(cut.out)).toBe(true);
    // A second member that starts (1f 8b) and breaks is damage, not trailing bytes (gzip -t fails on it too).
    const broken = await gunzip(Buffer.concat([one, Buffer.from([0x1f, 0x8b, 8, 0, 0])]));
    expect(broken.error?.message).toBe('unexpected end of file');
    expect((await gunzip(Buffer.from('plain text, no gzip'))).error).toMatchObject({
      message: 'incorrect header check',
    });
  });

  it('gives the source member its bytes and a warning, not damage', async () => {
    const source = await openSource(path.join(dir, 'trailing-garbage.txt.gz'));
    try {
      for await (const e of source.entries()) {
        expect(e.size).toBe(numbers.length);
        expect(e.error).toBeUndefined();
        expect(e.facts?.problems?.map((p) => [p.code, p.severity])).toEqual([['GZIP_TRAILING_BYTES', undefined]]);
        expect(e.facts?.problems?.[0]?.message).toMatch(/^16 byte\(s\) from offset 4218 follow the last GZIP member/);
      }
    } finally {
      await source.close();
    }
  });
});

describe('a .tar.gz source with bytes after its member', () => {
  it('reads the TAR and says so in an item of its own, as a ZIP source says ZIP_TRAILING_BYTES', async () => {
    const source = await openSource(path.join(dir, 'trailing-garbage.tar.gz'));
    const seen: Array<[string, string | undefined]> = [];
    try {
      for await (const e of source.entries()) {
        seen.push([e.path, e.error?.code]);
        e.release?.();
      }
    } finally {
      await source.close();
    }
    expect(seen).toEqual([
      ['second.txt', undefined],
      ['trailing-garbage.tar.gz!/', 'GZIP_TRAILING_BYTES'],
    ]);
  });
});

describe('fuzz: GZIP members', () => {
  it('mutants end with the members read or a zlib-coded error, never more than the seeds could hold', async () => {
    const r = rng(0x6a7a);
    const seeds = ['two-members.txt.gz', 'fakedevice124.jcat', 'named-comment.gz'].map(fixture);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 150; i++) {
      const m = mutant(seeds[i % seeds.length]!, r);
      const got = await gunzip(m, 1 + Math.floor(r() * 2048));
      const outcome = got.error ? String(got.error.code) : got.trailing.length ? 'trailing' : 'whole';
      expect(['whole', 'trailing', 'Z_DATA_ERROR', 'Z_BUF_ERROR']).toContain(outcome);
      // A mutant can make a member longer only as far as DEFLATE goes (1032:1 of its bytes).
      expect(got.out.length).toBeLessThanOrEqual(m.length * 1032);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Mutants hit the members (few bytes are trailing): damage and cuts are each found.
    expect(outcomes.get('Z_DATA_ERROR')).toBeGreaterThan(0);
    expect(outcomes.get('Z_BUF_ERROR')).toBeGreaterThan(0);
  });
});
