/** Reading NDJSON manifests back with a bound on the line: a damaged line of any length is a problem, never held whole. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestMutants, testManifestHeader } from './manifest-lines.test-helper.js';
import { MAX_MANIFEST_LINE_BYTES, readManifest, type ManifestProblem, type ManifestRecord } from './reader.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-reader-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const header = testManifestHeader;
const item = (p: string) => ({
  type: 'item',
  path: p,
  kind: 'file',
  size: 1,
  times: {},
  depth: 0,
  classification: {
    status: 'analysable',
    confidence: 1,
    certainty: 'certain',
    reasons: [{ code: 'X', message: 'x', by: 'engine' }],
  },
  errors: [],
});

async function read(file: string): Promise<{ records: ManifestRecord[]; problems: ManifestProblem[] }> {
  const problems: ManifestProblem[] = [];
  const records: ManifestRecord[] = [];
  for await (const r of readManifest(file, (p) => problems.push(p))) records.push(r);
  return { records, problems };
}

describe('readManifest (NDJSON)', () => {
  it('reports a line longer than MAX_MANIFEST_LINE_BYTES and reads the lines around it, CRLF too', async () => {
    const file = path.join(dir, 'huge-line.ndjson');
    const line = (r: object, end = '\n') => Buffer.from(JSON.stringify(r) + end);
    // The long line crosses many 1 MiB reads, and one more byte would not fit.
    const huge = Buffer.alloc(MAX_MANIFEST_LINE_BYTES + 1, 0x61);
    fs.writeFileSync(
      file,
      Buffer.concat([line(header), line(item('a'), '\r\n'), huge, Buffer.from('\n'), line(item('b'))]),
    );
    const { records, problems } = await read(file);
    expect(records.map((r) => (r.type === 'item' ? r.item.path : r.type))).toEqual(['header', 'a', 'b']);
    expect(problems).toEqual([{ where: 'line 3', message: `longer than ${MAX_MANIFEST_LINE_BYTES} bytes; not read` }]);
  });

  it('reports a long last line without newline, and reads one at the bound (as JSON, which it is not)', async () => {
    const file = path.join(dir, 'torn.ndjson');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), Buffer.alloc(MAX_MANIFEST_LINE_BYTES + 5, 0x62)]),
    );
    expect((await read(file)).problems).toEqual([
      { where: 'line 2', message: `longer than ${MAX_MANIFEST_LINE_BYTES} bytes; not read` },
    ]);
    const near = path.join(dir, 'near.ndjson');
    fs.writeFileSync(
      near,
      Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), Buffer.alloc(MAX_MANIFEST_LINE_BYTES, 0x62)]),
    );
    const [problem, ...more] = (await read(near)).problems;
    expect(more).toEqual([]);
    expect(problem?.where).toBe('line 2');
    expect(problem?.message).toMatch(/^not JSON: /);
  });

  it('reads 200 fixed-seed mutants of a manifest without throwing: every line is a record or a problem', async () => {
    const base = Buffer.from(
      [header, ...Array.from({ length: 20 }, (_, i) => item(`f${i}`))].map((r) => JSON.stringify(r) + '\n').join(''),
    );
    const file = path.join(dir, 'mutant.ndjson');
    let problems = 0;
    for (const m of manifestMutants(base, 0x3801, 200)) {
      fs.writeFileSync(file, m);
      const r = await read(file);
      problems += r.problems.length;
      expect(r.records.length).toBeLessThanOrEqual(m.toString('latin1').split('\n').length);
    }
    expect(problems).toBeGreaterThan(0);
  });
});
