/**
 * Bytes read that are not as many as the entry was listed with mean two different things, and the manifest says
 * which: a file read in place that grew between listing and reading changed while the scan ran (`SIZE_CHANGED`);
 * an archive member whose data yields fewer bytes than its container declares did not (`MEMBER_SIZE_MISMATCH`),
 * and gets no digest of part of it (`E_MEMBER_TRUNCATED`). A source test double stands for both: it changes the
 * file itself between stat and yield, so nothing depends on timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { SourceInfo } from '../model/manifest.js';
import type { ByteReader, EvidenceSource, SourceEntry } from '../sources/source.js';
import { scan } from './scan.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-size-mismatch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const memoryReader = (bytes: Buffer): ByteReader => ({
  size: bytes.length,
  read: (p: number, l: number) => Promise.resolve(bytes.subarray(p, p + l)),
  close: () => Promise.resolve(),
});

class ChangingSource implements EvidenceSource {
  readonly info: SourceInfo = { path: dir, kind: 'test' };
  async *entries(): AsyncIterable<SourceEntry> {
    const file = path.join(dir, 'grows.log');
    fs.writeFileSync(file, 'first line\n');
    const listed = fs.statSync(file).size;
    // The world changes between listing and reading: the file grows.
    fs.appendFileSync(file, 'a line written after the listing\n');
    yield {
      path: 'grows.log',
      kind: 'file',
      size: listed,
      times: {},
      depth: 0,
      localPath: file,
      open: () => Promise.resolve(memoryReader(fs.readFileSync(file))),
    };
    // A member whose header declares 120 bytes and whose data holds 100 (what 7-Zip writes for a raised size).
    const data = Buffer.alloc(100, 0x61);
    yield {
      path: 'x.7z!/a.txt',
      kind: 'file',
      size: 120,
      times: {},
      depth: 1,
      open: () => Promise.resolve(memoryReader(data)),
    };
    // A header whose size field is no number (Python's tarfile test `neg-size.tar`, listed with no size): said so.
    yield {
      path: 'x.tar!/odd',
      kind: 'file',
      size: null as unknown as number,
      times: {},
      depth: 1,
      open: () => Promise.resolve(memoryReader(data)),
    };
  }
  async close(): Promise<void> {}
}

describe('a size that differs from the listing', () => {
  it('is a change during the scan for a file read in place, and a damaged header for an archive member', async () => {
    const items: EvidenceItem[] = [];
    for await (const i of scan(new ChangingSource(), { plugins: [], concurrency: 1, hash: ['sha256'] })) items.push(i);
    const [grown, member, odd] = items;
    expect(grown?.errors).toEqual([
      {
        stage: 'probe',
        code: 'SIZE_CHANGED',
        message: 'The size changed from 11 to 44 bytes between listing and reading, while the scan ran.',
        severity: 'warning',
      },
    ]);
    expect(grown?.hashes?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(member?.size).toBe(120);
    expect(member?.errors.map((e) => [e.stage, e.code, e.severity])).toEqual([
      ['probe', 'MEMBER_SIZE_MISMATCH', 'warning'],
      ['hash', 'E_MEMBER_TRUNCATED', 'error'],
    ]);
    expect(member?.errors[0]?.message).toBe(
      'Its container declares 120 bytes for this member and yields 100: the container is damaged, cut short or missing a volume, or its header is false; not a change during the scan.',
    );
    expect(member?.errors.map((e) => e.message).join(' ')).not.toMatch(/while the scan ran/);
    expect(member?.hashes).toBeUndefined();
    expect(odd?.errors[0]?.message).toMatch(/^Its container declares no valid size for this member and yields 100:/);
  });
});
