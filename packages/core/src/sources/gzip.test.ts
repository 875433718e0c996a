/**
 * The GZIP source's one pass: the measuring pass keeps the bytes of a small,
 * complete stream, and the member is then read from them. The streams are the
 * container fixtures made by GNU gzip (test/containers/fixtures/make-fixtures.sh):
 * a lone compressed note, a gzipped tar, and that tar.gz cut short.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipSource, measureGzip } from './gzip.js';
import { bufferReader } from './readers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/containers/fixtures');
const note = fs.readFileSync(path.join(fixtures, 'tree/nested/note.txt.gz'));
const tarGz = fs.readFileSync(path.join(fixtures, 'tree.tar.gz'));
const truncated = fs.readFileSync(path.join(fixtures, 'truncated.tar.gz'));

/** The member's bytes as the GZIP source hands them out (open, then one read of the whole). */
async function memberBytes(gz: Buffer, keepUpTo: number): Promise<{ bytes: Buffer; size: number; kept: boolean }> {
  const base = bufferReader(gz);
  const measured = await measureGzip(base, {}, keepUpTo);
  const source = new GzipSource(
    base,
    async () => undefined,
    { name: 'member', ...measured },
    { path: 'x.gz', kind: 'file' },
    {},
  );
  for await (const entry of source.entries()) {
    const reader = await entry.open!();
    const bytes = await reader.read(0, entry.size);
    entry.release?.();
    return { bytes, size: entry.size, kept: measured.whole !== undefined };
  }
  throw new Error('no member');
}

describe('measureGzip', () => {
  it('returns the inflated bytes of a complete stream within the limit, and only their count past it', async () => {
    for (const gz of [note, tarGz]) {
      const want = zlib.gunzipSync(gz);
      const kept = await measureGzip(bufferReader(gz), {}, want.length);
      expect(kept.size).toBe(want.length);
      expect(kept.problem).toBeUndefined();
      expect(kept.whole?.equals(want)).toBe(true);
      const over = await measureGzip(bufferReader(gz), {}, want.length - 1);
      expect(over).toEqual({ size: want.length });
      expect(await measureGzip(bufferReader(gz), {})).toEqual({ size: want.length });
    }
  });

  it('keeps nothing of a stream cut short', async () => {
    const m = await measureGzip(bufferReader(truncated), {}, 1 << 30);
    expect(m.problem?.code).toBe('ARCHIVE_TRUNCATED');
    expect(m.whole).toBeUndefined();
    expect(m.size).toBeGreaterThan(0);
  });
});

describe('GzipSource member', () => {
  it('reads the same bytes whether the measuring pass kept them or the reader inflates again', async () => {
    for (const gz of [note, tarGz]) {
      const want = zlib.gunzipSync(gz);
      const once = await memberBytes(gz, 8 * 1024 * 1024);
      const twice = await memberBytes(gz, 0);
      expect(once.kept).toBe(true);
      expect(twice.kept).toBe(false);
      expect(once.size).toBe(want.length);
      expect(once.bytes.equals(want)).toBe(true);
      expect(twice.bytes.equals(want)).toBe(true);
    }
  });

  it('reads a stream cut short up to the damage, as before', async () => {
    const kept = await memberBytes(truncated, 1 << 30);
    const not = await memberBytes(truncated, 0);
    expect(kept.kept).toBe(false);
    expect(kept.bytes.equals(not.bytes)).toBe(true);
    expect(kept.size).toBe(not.size);
  });
});
