/**
 * Nothing lost: every entry of the gauntlet tree (files, symlinks, FIFOs,
 * sockets, device nodes, names that are not text, paths over 1,000
 * characters) is an item, compared with an independent listing by `find`;
 * every member of the archives inside it is an item, compared with
 * `zipinfo -1` and `tar -tf`; the summary's enumerated count equals the
 * items written; items that fail carry the stage and a code.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestLine, openSource, scan, type EvidenceItem, type ManifestSummary } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { buildGauntlet, type GauntletReport } from '../gauntlet/generate.mjs';

let root: string;
let report: GauntletReport;
let items: EvidenceItem[];
let summary: ManifestSummary;

/** The raw bytes of an item's path (relative to the source, or to its archive for members). */
function rawOf(item: EvidenceItem, prefix = ''): Buffer {
  if (item.rawPath) return Buffer.from(item.rawPath, 'base64');
  // A second member with the same name has a qualified path (`dup~2.txt`) and keeps the stored one here.
  const stored = (item.details?.['container'] as { storedName?: string } | undefined)?.storedName;
  return Buffer.from(stored ?? item.path.slice(prefix.length), 'utf8');
}

function lines0(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let from = 0, i = buf.indexOf(0); i !== -1; from = i + 1, i = buf.indexOf(0, from))
    out.push(buf.subarray(from, i));
  return out;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-lost-'));
  report = await buildGauntlet(root);
  const run = scan(await openSource(root), { plugins: builtinPlugins, containers: builtinContainers, concurrency: 8 });
  items = [];
  for await (const item of run) items.push(item);
  summary = await run.summary;
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('nothing lost', () => {
  it('has one top-level item per entry that find lists (every type but folders), with the same raw names', () => {
    const found = lines0(
      execFileSync('find', ['.', '-mindepth', '1', '!', '-type', 'd', '-print0'], { cwd: root, maxBuffer: 64 << 20 }),
    )
      .map((b) => b.subarray(2).toString('base64'))
      .sort();
    const top = items
      .filter((i) => i.depth === 0)
      .map((i) => rawOf(i).toString('base64'))
      .sort();
    expect(top).toEqual(found);
    expect(found.length).toBeGreaterThan(60);
  });

  it('records every kind of entry: file, symlink, FIFO, socket and device nodes (or says why none could be made)', () => {
    const kinds = new Set(items.map((i) => i.kind));
    for (const k of ['file', 'symlink', 'fifo', 'socket'] as const) expect(kinds).toContain(k);
    if (report.devices.failed.length === 0) {
      expect(kinds).toContain('char-device');
      expect(kinds).toContain('block-device');
    } else {
      // mknod needs CAP_MKNOD; without it the only acceptable failure is a permission error.
      for (const f of report.devices.failed) expect(f.stderr).toMatch(/not permitted|permission denied/i);
    }
    const special = items.filter((i) => ['fifo', 'socket', 'char-device', 'block-device'].includes(i.kind));
    for (const s of special) expect(s.classification.reasons[0]?.code).toBe('SPECIAL_FILE_NOT_OPENED');
  });

  it('keeps names that are not UTF-8, with newlines and control characters, and paths of more than 1,000 characters', () => {
    expect(items.filter((i) => i.rawPath).length).toBeGreaterThanOrEqual(2);
    expect(items.some((i) => i.path.includes('\n'))).toBe(true);
    expect(items.some((i) => i.path.includes('\x1b'))).toBe(true);
    expect(Math.max(...items.map((i) => i.path.length))).toBeGreaterThan(1000);
  });

  it('has one item per ZIP member that zipinfo lists, hostile names (../, absolute, backslash, duplicate) included', () => {
    for (const name of ['good.zip', 'hostile-names.zip', 'bomb-ratio.zip', 'size-lie.zip', 'claims-more-members.zip']) {
      const prefix = `zip/${name}!/`;
      // zipinfo exits 3 (with what it could list) on the archive that claims more members than it has.
      let listing: Buffer;
      try {
        listing = execFileSync('zipinfo', ['-1', path.join(root, 'zip', name)], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch (err) {
        listing = (err as { stdout: Buffer }).stdout;
      }
      const expected = listing
        .toString('latin1')
        .split('\n')
        .filter(Boolean)
        .map((l) => Buffer.from(l, 'latin1').toString('base64'))
        .sort();
      const members = items
        .filter((i) => i.depth === 1 && i.path.startsWith(prefix))
        .map((i) => rawOf(i, prefix).toString('base64'))
        .sort();
      expect({ name, members }).toEqual({ name, members: expected });
    }
  });

  it('has one item per TAR member that tar -tf lists, plain and gzip-compressed', () => {
    for (const [rel, flags] of [
      ['tar/good.tar', '-tf'],
      ['gzip/good.tar.gz', '-tzf'],
    ] as const) {
      const listed = execFileSync('tar', [flags, path.join(root, rel)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .sort();
      const prefix = `${rel}!/`;
      const members = items
        .filter((i) => i.depth === 1 && i.path.startsWith(prefix))
        .map((i) => i.path.slice(prefix.length))
        .sort();
      expect(members).toEqual(listed);
    }
  });

  it('counts enumerated entries and written items, and they are equal', () => {
    expect(summary.complete).toBe(true);
    expect(summary.counts.enumerated).toBe(items.length);
    expect(summary.counts.items).toBe(items.length);
    expect(summary.counts.itemsWithErrors).toBe(items.filter((i) => i.errors.length > 0).length);
  });

  it('gives every failure its stage and code, and every item validates against the manifest schema', () => {
    for (const item of items) {
      expect(ManifestLine.safeParse({ type: 'item', ...item }).success).toBe(true);
      for (const e of item.errors) {
        expect(e.stage).toMatch(/^[a-z]+$/);
        expect(e.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
        expect(e.message.length).toBeGreaterThan(10);
      }
    }
  });
});
