/**
 * `--known` end to end: a tiny evidence folder scanned against an NSRL
 * RDSv3-shaped database (known-good) and a sha256sum/md5sum list
 * (known-bad), both made by real tools (packages/core/fixtures/known/generate.sh).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { readNdjsonManifest } from '../helpers/manifest.js';
import type { EvidenceItem } from '@evtriage/core';

const FIX = path.join(repoRoot, 'packages/core/fixtures/known');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-known-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('evtriage scan --known', () => {
  it('marks known-good and known-bad items, enables the digests the sets need, and flags known-bad first', async () => {
    const out = path.join(tmp, 'm.ndjson');
    const r = await runCli(
      [
        'scan',
        path.join(FIX, 'evidence'),
        '-f',
        'ndjson',
        '-o',
        out,
        '--known',
        `good:${path.join(FIX, 'nsrl-rdsv3.db')}`,
        '--known',
        `bad:${path.join(FIX, 'bad-hashes.txt')}`,
      ],
      { env: { EVTRIAGE_CACHE_DIR: path.join(tmp, 'cache') } },
    );
    expect(r.stderr).toContain('KNOWN-BAD: 2 item(s)');
    expect(r.stderr.indexOf('KNOWN-BAD')).toBeLessThan(r.stderr.indexOf('status'));
    const m = readNdjsonManifest(out);
    // No --hash given: the sets asked for sha256 (NSRL) and md5 + sha256 (the list).
    expect(m.header.options.hash).toEqual(['md5', 'sha256']);
    const byPath: Record<string, EvidenceItem> = Object.fromEntries(m.items.map((i: EvidenceItem) => [i.path, i]));
    expect(byPath['system/good.txt']!.known).toEqual({ set: 'nsrl-rdsv3', status: 'known-good' });
    expect(byPath['user/bad.bin']!.known).toEqual({ set: 'bad-hashes', status: 'known-bad' });
    expect(byPath['user/bad-md5.txt']!.known).toEqual({ set: 'bad-hashes', status: 'known-bad' });
    expect(byPath['user/unknown.txt']!.known).toBeUndefined();
    const sha256 = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(FIX, 'evidence/user/unknown.txt')))
      .digest('hex');
    expect(byPath['user/unknown.txt']!.hashes?.sha256).toBe(sha256);
    expect(m.summary.known).toMatchObject({
      knownGood: { count: 1 },
      knownBad: { count: 2, examples: ['user/bad-md5.txt', 'user/bad.bin'] },
      collapsed: false,
    });
    expect(m.summary.known?.sets).toEqual([
      { name: 'nsrl-rdsv3', status: 'known-good', format: 'nsrl-rds-sqlite', entries: 3001, matched: 1 },
      { name: 'bad-hashes', status: 'known-bad', format: 'hash-list', entries: 2, matched: 2 },
    ]);
    // The cached NSRL extract went to the cache folder, never beside the evidence or the database.
    expect(fs.readdirSync(path.join(tmp, 'cache', 'known'))).toHaveLength(1);
    expect(fs.readdirSync(FIX).sort()).toEqual([
      'bad-hashes.txt',
      'evidence',
      'generate.sh',
      'not-nsrl.db',
      'nsrl-rdsv3.db',
    ]);
  });

  it('collapses known-good items out of the format table with --collapse-known, still counting them', async () => {
    const out = path.join(tmp, 'c.ndjson');
    const r = await runCli(
      [
        'scan',
        path.join(FIX, 'evidence'),
        '-f',
        'ndjson',
        '-o',
        out,
        '-q',
        '--collapse-known',
        '--known',
        `good=vendor:${path.join(FIX, 'nsrl-rdsv3.db')}`,
      ],
      { env: { EVTRIAGE_CACHE_DIR: path.join(tmp, 'cache') } },
    );
    expect(r.code).toBe(0);
    const m = readNdjsonManifest(out);
    expect(m.summary.counts.items).toBe(4);
    expect(m.summary.known).toMatchObject({ knownGood: { count: 1, bytes: 48 }, collapsed: true });
    const formatted = m.summary.formats.reduce((n, f) => n + f.count, 0);
    expect(formatted).toBe(3);
  });

  it('refuses a plain list that does not say good or bad, and --collapse-known without a set', async () => {
    const a = await runCli([
      'scan',
      path.join(FIX, 'evidence'),
      '-o',
      path.join(tmp, 'x.json'),
      '--known',
      path.join(FIX, 'bad-hashes.txt'),
    ]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain(`--known bad:${path.join(FIX, 'bad-hashes.txt')}`);
    const b = await runCli(['scan', path.join(FIX, 'evidence'), '-o', path.join(tmp, 'y.json'), '--collapse-known']);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toContain('--collapse-known needs');
  });
});
