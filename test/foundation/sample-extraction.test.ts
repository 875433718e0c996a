/**
 * The bundled sample extraction, scanned end to end through the CLI: every
 * file exactly once (against an independent fast-glob walk) and a manifest
 * that validates against the schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manifest, ManifestLine } from '@evtriage/core';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

const sample = path.join(repoRoot, 'examples/sample-extraction');
let out: string;
let json: CliResult;
let ndjson: CliResult;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-sample-'));
  [json, ndjson] = await Promise.all([
    runCli(['scan', sample, '-o', path.join(out, 'm.json'), '--case-id', 'CASE-1', '--examiner', 'A. Analyst']),
    runCli(['scan', sample, '-o', path.join(out, 'm.ndjson'), '--format', 'ndjson', '-q']),
  ]);
}, 120_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('scanning the sample extraction', () => {
  it('completes and prints a summary', () => {
    expect(json.stderr).toContain('Scan complete');
    expect([0, 1]).toContain(json.code);
    expect([0, 1], ndjson.stderr).toContain(ndjson.code);
  });

  it('lists every file exactly once, compared with an independent walk', async () => {
    const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(out, 'm.json'), 'utf8')));
    const walked = (
      await fg('**', { cwd: sample, dot: true, onlyFiles: false, markDirectories: true, followSymbolicLinks: false })
    )
      .filter((p) => !p.endsWith('/'))
      .sort();
    const listed = manifest.items.filter((i) => i.depth === 0).map((i) => i.path);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(walked);
    expect(manifest.summary.counts.enumerated).toBe(manifest.summary.counts.items);
  });

  it('records the case fields in the header', () => {
    const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(out, 'm.json'), 'utf8')));
    expect(manifest.header.case).toEqual({ id: 'CASE-1', examiner: 'A. Analyst' });
    expect(manifest.header.source.kind).toBe('folder');
  });

  it('writes NDJSON whose every line validates: header first, summary last', () => {
    const lines = fs
      .readFileSync(path.join(out, 'm.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => ManifestLine.parse(JSON.parse(l)));
    expect(lines[0]!.type).toBe('header');
    expect(lines.at(-1)!.type).toBe('summary');
    expect(lines.slice(1, -1).every((l) => l.type === 'item')).toBe(true);
  });

  it('finds what an analyst looks for first: readable databases and locked files', () => {
    const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(out, 'm.json'), 'utf8')));
    const byPath = new Map(manifest.items.map((i) => [i.path, i]));
    expect(byPath.get('android/data/data/com.android.providers.telephony/databases/mmssms.db')!.format?.id).toBe(
      'sqlite',
    );
    expect(byPath.get('android/data/data/org.thoughtcrime.securesms/databases/signal.db')!.classification.status).toBe(
      'encrypted',
    );
    expect(byPath.get('android/data/media/0/Download/invoice.pdf.txt')!.format).toMatchObject({
      id: 'jpeg',
      extensionMismatch: true,
    });
    expect(manifest.summary.byStatus.encrypted.count).toBeGreaterThanOrEqual(1);
  });
});
