/**
 * The CLI on archives: the source kind is detected from the path, --source-type
 * overrides it, and --max-ratio / --max-members / --max-expanded reach the
 * limits (recorded in the header) with the messages on the items.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSourceKind } from '@evtriage/core';
import { runCli } from '../helpers/cli.js';
import { fixtures } from './helpers.js';

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-cli-archives-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function manifest(file: string): {
  header: { source: { kind: string }; options: { limits: Record<string, number> } };
  items: Array<{ path: string; errors: Array<{ code: string; message: string }> }>;
} {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReturnType<typeof manifest>;
}

describe('evtriage scan <archive>', () => {
  it('detects the kind from the path and magic; --source-type overrides it', async () => {
    for (const [f, kind] of [
      ['tree.zip', 'zip'],
      ['tree.tar', 'tar'],
      ['tree.tar.gz', 'tar.gz'],
      ['ios-backup-plain', 'ios-backup'],
      ['tree', 'folder'],
    ] as const) {
      expect(detectSourceKind(path.join(fixtures, f))).toBe(kind);
    }
    // A ZIP with another name is known by its magic.
    const renamed = path.join(out, 'evidence.bin');
    fs.copyFileSync(path.join(fixtures, 'tree.zip'), renamed);
    expect(detectSourceKind(renamed)).toBe('zip');
    const o = path.join(out, 'override.json');
    const r = await runCli(['scan', path.join(fixtures, 'ios-backup-plain'), '--source-type', 'folder', '-o', o, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(manifest(o).header.source.kind).toBe('folder');
  });

  it('--max-ratio, --max-members and --max-expanded are applied and recorded', async () => {
    const o = path.join(out, 'limits.json');
    const r = await runCli([
      'scan',
      path.join(fixtures, 'tree.zip'),
      '--max-ratio',
      '50',
      '--max-members',
      '4',
      '--max-expanded',
      '512M',
      '-o',
      o,
      '-q',
    ]);
    expect(r.code).toBe(1); // items with errors
    const m = manifest(o);
    expect(m.header.options.limits).toMatchObject({
      maxExpansionRatio: 50,
      maxArchiveMembers: 4,
      maxExpandedBytes: 512 * 1024 * 1024,
    });
    const limit = m.items.find((i) => i.errors.some((e) => e.code === 'ARCHIVE_MEMBER_LIMIT'));
    expect(limit?.errors[0]?.message).toMatch(/only the first 4 were read .*--max-members/);
  });

  it('refuses a malformed byte count with a usage message', async () => {
    const r = await runCli([
      'scan',
      path.join(fixtures, 'tree.zip'),
      '--max-expanded',
      'lots',
      '-o',
      path.join(out, 'x.json'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--max-expanded must be a byte count/);
  });

  it('a corrupt archive given as the source is reported, not a crash', async () => {
    const bad = path.join(out, 'bad.zip');
    fs.writeFileSync(bad, Buffer.from('PK\x03\x04 this is not really a zip file at all'));
    const r = await runCli(['scan', bad, '-o', path.join(out, 'bad.json'), '-q']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.zip cannot be read as a ZIP archive/);
  });
});
