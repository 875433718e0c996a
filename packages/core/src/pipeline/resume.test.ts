/**
 * Finding where a partial NDJSON manifest can be resumed, on real files
 * written line by line as the writer does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestMutants, testManifestHeader } from '../writers/manifest-lines.test-helper.js';
import { findResumePoint, MAX_RESUME_LINE_BYTES, recordedItems, ResumeError } from './resume.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-resume-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const header = testManifestHeader;
const item = (p: string, depth = 0, format?: string) => ({
  type: 'item',
  path: p,
  kind: 'file',
  size: 1,
  times: {},
  depth,
  classification: {
    status: 'analysable',
    confidence: 1,
    certainty: 'certain',
    reasons: [{ code: 'X', message: 'x', by: 'engine' }],
  },
  errors: [],
  ...(format ? { format: { id: format, name: format, extensionMismatch: false, detector: 't' } } : {}),
});
const summary = (complete: boolean) => ({
  type: 'summary',
  finishedAt: '2026-01-01T00:00:01.000Z',
  complete,
  counts: { enumerated: 0, items: 0, itemsWithErrors: 0, bytes: 0 },
  byStatus: Object.fromEntries(
    ['analysable', 'encrypted', 'opaque', 'unreadable'].map((s) => [s, { count: 0, bytes: 0 }]),
  ),
  formats: [],
  encrypted: [],
  apps: [],
  errors: [],
});

function write(name: string, records: object[], tail = ''): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, records.map((r) => JSON.stringify(r) + '\n').join('') + tail);
  return file;
}
const lengthOf = (records: object[]) => Buffer.byteLength(records.map((r) => JSON.stringify(r) + '\n').join(''));

describe('findResumePoint', () => {
  it('keeps the header and every item, and drops the closing partial summary', async () => {
    const kept = [header, item('a'), item('b')];
    const file = write('summary.ndjson', [...kept, summary(false)]);
    const point = await findResumePoint(file);
    expect(point).toMatchObject({
      keepBytes: lengthOf(kept),
      items: 2,
      topLevelItems: 2,
      redone: 0,
      ending: 'summary',
    });
    const paths = [];
    for await (const i of recordedItems(file, point.keepBytes)) paths.push(i.path);
    expect(paths).toEqual(['a', 'b']);
  });

  it('drops a torn last line (a hard kill in the middle of a write)', async () => {
    const kept = [header, item('a')];
    const file = write('torn.ndjson', kept, JSON.stringify(item('b')).slice(0, 40));
    expect(await findResumePoint(file)).toMatchObject({ keepBytes: lengthOf(kept), items: 1, ending: 'torn-line' });
  });

  it('redoes the last archive and its members, which may be incomplete, but keeps archives followed by another entry', async () => {
    const kept = [header, item('a.zip', 0, 'zip'), item('a.zip!/x', 1), item('b')];
    const file = write('members.ndjson', [...kept, item('c.zip', 0, 'zip'), item('c.zip!/1', 1), summary(false)]);
    expect(await findResumePoint(file, ['zip'])).toMatchObject({
      keepBytes: lengthOf(kept),
      items: 3,
      topLevelItems: 2,
      redone: 2,
    });
    // An archive recorded last, before any member was written, is redone too.
    const file2 = write('container-last.ndjson', [...kept, item('c.zip', 0, 'zip')]);
    expect(await findResumePoint(file2, ['zip'])).toMatchObject({ keepBytes: lengthOf(kept), redone: 1 });
  });

  it('refuses a complete manifest, a JSON document, and a damaged line that is not the last', async () => {
    await expect(findResumePoint(write('complete.ndjson', [header, item('a'), summary(true)]))).rejects.toMatchObject({
      code: 'RESUME_ALREADY_COMPLETE',
    });
    await expect(findResumePoint(write('doc.json', [{ header, items: [] }]))).rejects.toBeInstanceOf(ResumeError);
    const damaged = path.join(dir, 'damaged.ndjson');
    fs.writeFileSync(damaged, `${JSON.stringify(header)}\n{not json\n${JSON.stringify(item('a'))}\n`);
    await expect(findResumePoint(damaged)).rejects.toMatchObject({ code: 'RESUME_CORRUPT' });
  });

  it('reads a partial manifest of 100,000 items in bounded memory (it keeps positions, not paths)', async () => {
    const file = path.join(dir, 'big.ndjson');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, JSON.stringify(header) + '\n');
    const line = (i: number) => JSON.stringify(item(`folder/${'x'.repeat(200)}/${i}`)) + '\n';
    for (let i = 0; i < 100_000; i += 1000)
      fs.writeSync(fd, Array.from({ length: 1000 }, (_, k) => line(i + k)).join(''));
    fs.closeSync(fd);
    const size = fs.statSync(file).size;
    // Peak heap while reading, sampled: a set of the 100,000 paths alone would hold ~23 MB of strings.
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - before)), 5);
    const point = await findResumePoint(file);
    clearInterval(timer);
    expect(point.items).toBe(100_000);
    expect(point.keepBytes).toBe(size);
    expect(size).toBeGreaterThan(40e6);
    console.log(
      `resume point of a ${(size / 1e6).toFixed(0)} MB manifest: peak heap growth ${(peak / 1e6).toFixed(1)} MB`,
    );
    expect(peak).toBeLessThan(size / 2);
  });

  it('refuses a line longer than MAX_RESUME_LINE_BYTES, whole or torn, instead of holding it', async () => {
    const kept = [header, item('a')];
    const huge = Buffer.alloc(MAX_RESUME_LINE_BYTES + 1, 0x78);
    const file = path.join(dir, 'huge-line.ndjson');
    for (const tail of [Buffer.from(`\n${JSON.stringify(item('b'))}\n`), Buffer.alloc(0)]) {
      fs.writeFileSync(
        file,
        Buffer.concat([Buffer.from(kept.map((r) => JSON.stringify(r) + '\n').join('')), huge, tail]),
      );
      const err = await findResumePoint(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResumeError);
      expect(err).toMatchObject({ code: 'RESUME_CORRUPT' });
      expect((err as Error).message).toContain(
        `longer than ${MAX_RESUME_LINE_BYTES} bytes from byte ${lengthOf(kept)}`,
      );
    }
    // A long but ordinary record (a 1 MiB path) is kept.
    const long = write('long-path.ndjson', [header, item(`d/${'y'.repeat(1 << 20)}`), item('e')]);
    expect((await findResumePoint(long)).items).toBe(2);
  });

  it('answers 200 fixed-seed mutants of a partial manifest with a resume point or a ResumeError, nothing else', async () => {
    const records = [header, ...Array.from({ length: 20 }, (_, i) => item(`f${i}`)), summary(false)];
    const base = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''));
    const file = path.join(dir, 'mutant.ndjson');
    const outcomes = new Set<string>();
    for (const m of manifestMutants(base, 0x3802, 200)) {
      fs.writeFileSync(file, m);
      const point = await findResumePoint(file).catch((err: unknown) => {
        expect(err).toBeInstanceOf(ResumeError);
        return (err as ResumeError).code;
      });
      if (typeof point === 'string') outcomes.add(point);
      else {
        expect(point.keepBytes).toBeLessThanOrEqual(m.length);
        outcomes.add('resumable');
      }
    }
    expect(outcomes.has('resumable')).toBe(true);
    expect(outcomes.has('RESUME_CORRUPT')).toBe(true);
  });
});
