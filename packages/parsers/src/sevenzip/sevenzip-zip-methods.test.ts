import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { builtinSources, DEFAULT_LIMITS, openSource, type EvidenceItem, type SourceEntry } from '@evtriage/core';
import { zipContainer } from '@evtriage/core/internal-readers';
import { fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';
import { memoryEntry } from '../memory-entry.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { sevenZipSourceKinds } from './sevenzip-source-kind.js';
import { DEFAULT_TIMEOUTS } from './sevenzip-container.js';
import { withSevenZipMethods, ZIP_METHOD_DECODER } from './sevenzip-zip-methods.js';
import { useOwnTmpdir } from './own-tmpdir.test-helper.js';

const dir = path.join(fixtureDir('sevenzip'), 'zip-methods');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(dir, name));

/** CRC-32 (ISO-HDLC, as ZIP's directory records it), computed here, not taken from a reader. */
function crc32(bytes: Uint8Array): string {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (~c >>> 0).toString(16).padStart(8, '0');
}

function item(p: string): EvidenceItem {
  return {
    path: p,
    errors: [],
    classification: { reasons: [] },
    format: { id: 'zip' },
  } as unknown as EvidenceItem;
}

const ctx = () => ({ limits: DEFAULT_LIMITS, budget: { expanded: 0, take: () => true }, depth: 1 });

interface Read {
  path: string;
  crc?: string;
  directoryCrc: unknown;
  decoder: unknown;
  error?: string;
}

/** Every member of a ZIP opened through the wrapped opener: its bytes' CRC-32, or its error. */
async function readAll(entry: SourceEntry, opener = withSevenZipMethods(zipContainer)): Promise<Read[]> {
  const source = await opener.open(entry, item(entry.path), ctx());
  const out: Read[] = [];
  try {
    for await (const e of source.entries()) {
      const c = e.facts?.container ?? {};
      const r: Read = { path: e.path, directoryCrc: c['crc32'], decoder: c['decoder'] };
      if (e.error) r.error = `${e.error.code}: ${e.error.message}`;
      else if (e.open) {
        const reader = await e.open();
        r.crc = crc32(await reader.read(0, reader.size));
        await reader.close();
      }
      e.release?.();
      out.push(r);
    }
  } finally {
    await source.close();
  }
  return out;
}

// Private folders are counted in a temp folder of this file's own.
const { dir: ownTmpdir, leftovers } = useOwnTmpdir('zip-methods-test-tmp-');

describe('ZIP members in methods core does not decode, read through 7-Zip', () => {
  it('gives PPMd, implode and shrink members the bytes their directory CRC names; stored and deflated stay in place', async () => {
    for (const name of ['ppmd.zip', 'mixed.zip', 'implode.zip', 'shrink.zip']) {
      const read = await readAll(memoryEntry(fixture(name), name));
      expect(read.length, name).toBeGreaterThan(0);
      for (const r of read) {
        expect(r.error, `${name}!/${r.path}`).toBeUndefined();
        expect(r.crc, `${name}!/${r.path}`).toBe(r.directoryCrc);
      }
    }
    const mixed = await readAll(memoryEntry(fixture('mixed.zip'), 'mixed.zip'));
    expect(mixed.map((r) => [r.path, r.decoder])).toEqual([
      ['docs/licence.txt', ZIP_METHOD_DECODER],
      ['docs/report.pdf', undefined],
      ['notes.txt', ZIP_METHOD_DECODER],
      ['deflated.txt', undefined],
    ]);
    expect(leftovers()).toEqual([]);
  });

  it('keeps a method 7-Zip cannot decode either (reduce) an error naming it', async () => {
    const [r] = await readAll(memoryEntry(fixture('reduce.zip'), 'reduce.zip'));
    expect(r?.error).toMatch(
      /^ZIP_METHOD_UNSUPPORTED: The member is compressed with reduce-1 \(method 2\).*Unsupported Method/,
    );
  });

  it('reads nothing for a member whose name 7-Zip also writes for another record', async () => {
    const read = await readAll(memoryEntry(fixture('same-name.zip'), 'same-name.zip'));
    expect(read[0]?.error).toMatch(
      /^ARCHIVE_MEMBER_NOT_EXTRACTED: .*ppmd \(method 98\).*2 entries written as "notes.txt"/,
    );
    // The deflated one is read in place, as before.
    expect(read[1]?.crc).toBe(read[1]?.directoryCrc);
  });

  it('never asks 7-Zip for an encrypted member, nor starts it for a ZIP that needs it not', async () => {
    let started = 0;
    const counting = () => {
      started++;
      return new Worker('process.exit(3)', { eval: true });
    };
    const opener = withSevenZipMethods(zipContainer, DEFAULT_TIMEOUTS, counting);
    const locked = await opener.open(memoryEntry(fixture('zipcrypto-ppmd.zip'), 'z.zip'), item('z.zip'), ctx());
    for await (const e of locked.entries()) {
      expect(e.facts?.encryption?.scheme).toBe('zipcrypto');
      expect(e.error).toBeUndefined();
    }
    await locked.close();
    // Stored and deflated members only (the 7-Zip opener's own fixture): read in place, as before.
    const plainZip = fs.readFileSync(path.join(fixtureDir('sevenzip'), 'container', 'nested.zip'));
    const plain = await readAll(memoryEntry(plainZip, 'nested.zip'), opener);
    expect(plain.length).toBeGreaterThan(0);
    for (const r of plain) expect(r.crc).toBe(r.directoryCrc);
    expect(started).toBe(0);
  });

  it('says why when 7-Zip cannot be asked (its thread fails): the member keeps an error, nothing is read', async () => {
    const dies = () => new Worker('process.exit(3)', { eval: true });
    const read = await readAll(
      memoryEntry(fixture('ppmd.zip'), 'ppmd.zip'),
      withSevenZipMethods(zipContainer, DEFAULT_TIMEOUTS, dies),
    );
    expect(read.find((r) => r.path === 'docs/report.pdf')?.crc).toBeDefined();
    expect(read.find((r) => r.path === 'notes.txt')?.error).toMatch(/ppmd \(method 98\).*7-Zip could not read it/);
  });

  it('extracts a member named ../../…/tmp/… into its private folder: the canary there is untouched', async () => {
    const canary = '/tmp/evtriage-zipmethods-canary/victim.txt';
    fs.mkdirSync(path.dirname(canary), { recursive: true });
    fs.writeFileSync(canary, `canary ${crypto.randomUUID()}\n`);
    const before = fs.readFileSync(canary);
    const evidence = fs.mkdtempSync(path.join(ownTmpdir(), 'evidence-'));
    fs.copyFileSync(path.join(dir, 'hostile.zip'), path.join(evidence, 'hostile.zip'));
    const local = {
      ...memoryEntry(fixture('hostile.zip'), 'hostile.zip'),
      localPath: path.join(evidence, 'hostile.zip'),
    };
    try {
      const read = await readAll(local);
      const climbing = read.find((r) => r.path.includes('evtriage-zipmethods-canary'));
      expect(climbing?.crc).toBe(climbing?.directoryCrc);
      expect(fs.readFileSync(canary)).toEqual(before);
      expect(fs.readdirSync(evidence)).toEqual(['hostile.zip']);
      expect(leftovers()).toEqual([]);
    } finally {
      fs.rmSync(path.dirname(canary), { recursive: true, force: true });
    }
  });

  it('is the ZIP source kind too, and the scan classifies what 7-Zip decoded', async () => {
    const source = await openSource(path.join(dir, 'mixed.zip'), {
      sources: [...sevenZipSourceKinds, ...builtinSources],
    });
    const decoded: string[] = [];
    try {
      for await (const e of source.entries()) {
        if (e.facts?.container?.['decoder'] === ZIP_METHOD_DECODER && e.open) decoded.push(e.path);
        e.release?.();
      }
    } finally {
      await source.close();
    }
    expect(decoded).toEqual(['docs/licence.txt', 'notes.txt']);
    const items = await scanFixtures('sevenzip/zip-methods');
    const status = (p: string) => [items.get(p)?.classification.status, items.get(p)?.format?.id];
    expect(status('ppmd.zip!/docs/licence.txt')).toEqual(['analysable', 'text']);
    expect(status('implode.zip!/ΓÑßΓ.txt')).toEqual(['analysable', 'text']);
    expect(status('shrink.zip!/TECT.TXT')).toEqual(['analysable', 'text']);
    expect(status('zipcrypto-ppmd.zip!/notes.txt')[0]).toBe('encrypted');
  });
});

describe('fuzz: ZIP members through 7-Zip', () => {
  it('mutated archives give members with bytes or a coded error, and leave no private folder', async () => {
    const seeds = ['ppmd.zip', 'mixed.zip', 'implode.zip', 'shrink.zip'].map(fixture);
    const noise = seededBytes(0x5a17, 16 * 1024);
    let k = 0;
    let members = 0;
    let decoded = 0;
    for (let round = 0; round < 12; round++) {
      for (const seed of seeds) {
        const bytes = Buffer.from(seed);
        const r = noise[k++ % noise.length]!;
        for (let i = 0; i < 1 + (r % 6); i++)
          bytes[(noise[k++ % noise.length]! * 256 + noise[k++ % noise.length]!) % bytes.length] =
            noise[k++ % noise.length]!;
        try {
          for (const m of await readAll(memoryEntry(bytes, 'x.zip'))) {
            members++;
            if (m.decoder === ZIP_METHOD_DECODER && m.crc === m.directoryCrc) decoded++;
            expect(m.crc !== undefined || /^[A-Z0-9_]+: /.test(m.error ?? ''), m.path).toBe(true);
          }
        } catch (err) {
          // The ZIP source refuses an archive it cannot list at all, with its own error.
          expect((err as Error).message.length).toBeGreaterThan(0);
        }
      }
    }
    expect(members).toBeGreaterThan(0);
    // Mutations that spare a member's bytes leave 7-Zip's reading of it whole.
    expect(decoded).toBeGreaterThan(0);
    expect(leftovers()).toEqual([]);
  });
});
