/**
 * Hostile inputs found by the sixteenth fuzz campaign (scripts/fuzz.mjs --pack: mutants packed by the real
 * tools). Files and how they were made: test/regressions/files/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompleteManifest, runBuiltCli } from '../helpers/built-cli.js';

const files = path.join(import.meta.dirname, 'files');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-fuzz16-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('an archive whose first member is a PDF', () => {
  it('is the archive with both members listed (GNU and v7 TAR, stored ZIP), not a PDF whose header sits past offset 0', async () => {
    const src = fs.mkdtempSync(path.join(out, 'src-'));
    const names = ['tar-gnu-pdf-first-member.tar', 'tar-v7-pdf-first-member.tar', 'zip-stored-pdf-first-member.zip'];
    for (const n of names) fs.copyFileSync(path.join(files, n), path.join(src, n));
    const o = path.join(out, 'tar-pdf.json');
    const r = await runBuiltCli(['scan', src, '-o', o, '-q'], { timeoutMs: 50_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = readCompleteManifest(o);
    expect(m.items.map((i) => i.path).sort()).toEqual(
      names.flatMap((n) => [n, `${n}!/notes.txt`, `${n}!/report.pdf`]).sort(),
    );
    for (const n of names) {
      expect(m.items.find((i) => i.path === n)?.format?.id, n).toBe(n.endsWith('.zip') ? 'zip' : 'tar');
      expect(m.items.find((i) => i.path === `${n}!/report.pdf`)?.format?.id, n).toBe('pdf');
    }
  });
});
