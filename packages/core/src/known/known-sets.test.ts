/**
 * Known-file sets on real files: an NSRL RDSv3-shaped database made by
 * sqlite3 and plain lists made by sha256sum/md5sum
 * (packages/core/fixtures/known/generate.sh).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDigestSet, sortDigests } from './digest-set.js';
import { createKnownMatcher, KnownSetError, loadKnownSet, parseKnownSpec } from './known-sets.js';

const FIX = path.resolve(__dirname, '../../fixtures/known');
const sha = (algo: string, file: string) =>
  crypto
    .createHash(algo)
    .update(fs.readFileSync(path.join(FIX, file)))
    .digest('hex');
let cacheDir: string;

beforeAll(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-known-'));
});
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe('parseKnownSpec', () => {
  it('reads good:, bad: and a name, and leaves a bare path for the loader to decide', () => {
    expect(parseKnownSpec('good:/x/nsrl.db')).toEqual({ status: 'known-good', file: '/x/nsrl.db' });
    expect(parseKnownSpec('bad=malware:list.txt')).toEqual({ status: 'known-bad', file: 'list.txt', name: 'malware' });
    expect(parseKnownSpec('list.txt')).toEqual({ file: 'list.txt' });
    // Only the two words are prefixes: a path with a colon stays a path.
    expect(parseKnownSpec('cases:2024/list.txt')).toEqual({ file: 'cases:2024/list.txt' });
  });
});

describe('sorted digest sets', () => {
  it('sorts, de-duplicates and finds every member and no non-member', () => {
    const n = 5000;
    const raw = Buffer.alloc(n * 20);
    for (let i = 0; i < n; i++)
      crypto
        .createHash('sha1')
        .update(String(i % 4000))
        .digest()
        .copy(raw, i * 20);
    const { count } = sortDigests(raw, n, 20);
    expect(count).toBe(4000);
    const set = new MemoryDigestSet(20, raw, n);
    expect(set.size).toBe(4000);
    for (let i = 0; i < 4000; i++) expect(set.has(crypto.createHash('sha1').update(String(i)).digest())).toBe(true);
    for (let i = 4000; i < 6000; i++) expect(set.has(crypto.createHash('sha1').update(String(i)).digest())).toBe(false);
    expect(set.has(Buffer.alloc(16))).toBe(false);
  });
});

describe('loadKnownSet', () => {
  it('loads an NSRL RDSv3 database through its FILE view by SHA-256, caching a sorted extract outside the evidence', () => {
    const set = loadKnownSet(`good:${path.join(FIX, 'nsrl-rdsv3.db')}`, { cacheDir });
    expect(set).toMatchObject({ format: 'nsrl-rds-sqlite', status: 'known-good', name: 'nsrl-rdsv3', entries: 3001 });
    expect(Object.keys(set.digests)).toEqual(['sha256']);
    const cached = fs.readdirSync(path.join(cacheDir, 'known'));
    expect(cached).toHaveLength(1);
    expect(fs.statSync(path.join(cacheDir, 'known', cached[0]!)).size).toBe(3001 * 32);
    const m = createKnownMatcher([set]);
    expect(m.algorithms).toEqual(['sha256']);
    expect(m.match({ sha256: sha('sha256', 'evidence/system/good.txt') })).toEqual({
      set: 'nsrl-rdsv3',
      status: 'known-good',
    });
    expect(m.match({ sha256: sha('sha256', 'evidence/user/unknown.txt') })).toBeUndefined();
    // Reopened from the cache: same answers, nothing re-extracted.
    const again = loadKnownSet(path.join(FIX, 'nsrl-rdsv3.db'), { cacheDir });
    expect(again.status).toBe('known-good');
    expect(createKnownMatcher([again]).match({ sha256: sha('sha256', 'evidence/system/good.txt') })?.status).toBe(
      'known-good',
    );
    expect(fs.readdirSync(path.join(cacheDir, 'known'))).toEqual(cached);
    m.close();
  });

  it('loads a plain list mixing SHA-256 and MD5 lines, skipping comments and counting junk', () => {
    const set = loadKnownSet(`bad:${path.join(FIX, 'bad-hashes.txt')}`);
    expect(set).toMatchObject({ format: 'hash-list', status: 'known-bad', entries: 2, skippedLines: 1 });
    const m = createKnownMatcher([set]);
    expect(m.algorithms).toEqual(['md5', 'sha256']);
    expect(m.match({ sha256: sha('sha256', 'evidence/user/bad.bin') })).toEqual({
      set: 'bad-hashes',
      status: 'known-bad',
    });
    expect(
      m.match({ md5: sha('md5', 'evidence/user/bad-md5.txt'), sha256: sha('sha256', 'evidence/user/bad-md5.txt') })
        ?.status,
    ).toBe('known-bad');
    expect(m.match({ md5: sha('md5', 'evidence/user/unknown.txt') })).toBeUndefined();
  });

  it('checks known-bad sets before known-good ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-known-both-'));
    try {
      const h = sha('sha256', 'evidence/system/good.txt');
      fs.writeFileSync(path.join(dir, 'also-bad.txt'), `${h}  good.txt\n`);
      const good = loadKnownSet(`good:${path.join(FIX, 'nsrl-rdsv3.db')}`, { cacheDir });
      const bad = loadKnownSet(`bad=watchlist:${path.join(dir, 'also-bad.txt')}`);
      expect(createKnownMatcher([good, bad]).match({ sha256: h })).toEqual({ set: 'watchlist', status: 'known-bad' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot use, saying what to do', () => {
    const expectCode = (fn: () => unknown, code: string) => {
      try {
        fn();
        throw new Error('expected a KnownSetError');
      } catch (err) {
        expect(err).toBeInstanceOf(KnownSetError);
        expect((err as KnownSetError).code).toBe(code);
      }
    };
    expectCode(() => loadKnownSet(path.join(FIX, 'bad-hashes.txt')), 'KNOWN_SET_STATUS_MISSING');
    expectCode(() => loadKnownSet(`bad:${path.join(FIX, 'not-nsrl.db')}`, { cacheDir }), 'KNOWN_SET_NOT_NSRL');
    expectCode(() => loadKnownSet(`bad:${path.join(FIX, 'missing.txt')}`), 'KNOWN_SET_UNREADABLE');
    expectCode(() => loadKnownSet(`bad:${path.join(FIX, 'evidence/user/unknown.txt')}`), 'KNOWN_SET_EMPTY');
  });
});
