import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FolderSource, scan, type EvidenceItem, type ScanLimits } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from './index.js';
import { decodedMemberName, encodedTextContainer, MAX_ENCODED_BYTES } from './encoded-text-container.js';
import { decodedSize, recogniseEncodedText } from './encoded-text.js';
import { seededBytes } from './seeded-bytes.test-helper.js';
import { memoryEntry } from './memory-entry.test-helper.js';

const fixtures = fileURLToPath(new URL('../fixtures/encoded-text/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-encoded-text-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function scanFolder(dir: string, limits?: Partial<ScanLimits>): Promise<Map<string, EvidenceItem>> {
  const items = new Map<string, EvidenceItem>();
  const run = scan(new FolderSource(dir), {
    plugins: builtinPlugins,
    containers: builtinContainers,
    ...(limits ? { limits } : {}),
  });
  for await (const item of run) items.set(item.path, item);
  return items;
}

describe('encoded text opened as a container of its decoded bytes', () => {
  it('every detector judges the decoded bytes: a ZIP and its member, text, headerless ciphertext', async () => {
    const items = await scanFolder(fixtures);
    const zip = items.get('report.zip.b64!/report.zip')!;
    expect(zip.format?.id).toBe('zip');
    expect(zip.details?.['container']).toMatchObject({ archive: 'base64', encoding: 'base64', encodedSize: 361 });
    expect(items.get('report.zip.b64!/report.zip!/notes.txt')?.format?.id).toBe('text');
    for (const member of ['notes.b32!/notes', 'notes.hex!/notes', 'notes.b64url!/notes'])
      expect(items.get(member)?.format?.id, member).toBe('text');
    // AES-256-CTR output in base64: an encoding of ciphertext (ciphertext-payload), opened all the same, and the
    // decoded bytes are ciphertext by their statistics.
    expect(items.get('blob.dat')?.format?.id).toBe('base64-ciphertext');
    expect(items.get('blob.dat')?.classification.status).toBe('encrypted');
    const blob = items.get('blob.dat!/blob.dat.decoded')!;
    expect(blob.classification.status).toBe('encrypted');
    expect(blob.classification.reasons.map((r) => r.code)).toContain('STATISTICALLY_RANDOM');
    // The look-alikes stay text, with nothing inside.
    for (const name of ['hashes.txt', 'codes.txt', 'two-streams.b64', 'token.b64'])
      expect(
        [...items.keys()].filter((p) => p.startsWith(`${name}!/`)),
        name,
      ).toEqual([]);
  });

  it('the whole file is checked, not only the head and tail the detector saw', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'damaged-'));
    const lines = Buffer.from(seededBytes(3, 90_000))
      .toString('base64')
      .match(/.{1,76}/g)!;
    // A character outside the alphabet in the middle, past the probe's head (16 KiB) and before its tail (8 KiB).
    lines[800] = lines[800]!.replace(/^./, '.');
    fs.writeFileSync(path.join(dir, 'middle.b64'), lines.join('\n') + '\n');
    const item = (await scanFolder(dir)).get('middle.b64')!;
    // Random bytes encoded: base64 of ciphertext to the ciphertext-payload detector, opened as an encoding.
    expect(item.format?.id).toBe('base64-ciphertext');
    expect(item.errors).toContainEqual(expect.objectContaining({ stage: 'container', code: 'ENCODED_TEXT_INVALID' }));
  });

  it('a run of padding before the end is refused at once (the padding is counted from the end, not by regex)', async () => {
    // Lines of `=` then a last line: the regex /=*$/ tried every start of the run (quadratic); a scan of 200,000
    // such lines (15 MB) ran 10 minutes, deaf to SIGTERM, before the count from the end (text-ends.ts).
    const dir = fs.mkdtempSync(path.join(tmp, 'padding-run-'));
    const lines = Buffer.from(seededBytes(7, 57 * 300))
      .toString('base64')
      .match(/.{76}/g)!
      .concat(Array<string>(50_000).fill('='.repeat(76)), 'QQ==');
    fs.writeFileSync(path.join(dir, 'pad-run.b64'), lines.join('\n') + '\n');
    const item = (await scanFolder(dir)).get('pad-run.b64')!;
    expect(item.format?.id).toMatch(/^base64/);
    expect(item.errors).toContainEqual(expect.objectContaining({ stage: 'container', code: 'ENCODED_TEXT_INVALID' }));
  });

  it('the expansion budget and the size bound hold', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bounds-'));
    fs.writeFileSync(path.join(dir, 'a.b64'), Buffer.from(seededBytes(4, 3000)).toString('base64'));
    const item = (await scanFolder(dir, { maxExpandedBytes: 1000 })).get('a.b64')!;
    expect(item.errors).toContainEqual(expect.objectContaining({ code: 'ARCHIVE_EXPANSION_LIMIT' }));
    // Past the bound: identified from its head and tail, not decoded (a sparse file: no 16 MiB written).
    const big = path.join(dir, 'big.b64');
    const line = Buffer.from(Buffer.from(seededBytes(6, 57)).toString('base64') + '\n');
    const fd = fs.openSync(big, 'w');
    const lineCount = Math.ceil((MAX_ENCODED_BYTES + 1) / line.length);
    for (let i = 0; i < 400; i++) fs.writeSync(fd, line, 0, line.length, i * line.length);
    for (let i = lineCount - 200; i < lineCount; i++) fs.writeSync(fd, line, 0, line.length, i * line.length);
    fs.closeSync(fd);
    const items = await scanFolder(dir);
    expect(items.get('big.b64')?.format?.id).toBe('base64');
    expect(items.get('big.b64')?.errors).toContainEqual(expect.objectContaining({ code: 'ENCODED_TEXT_TOO_LARGE' }));
  });

  it('names the member after the file, without its encoding extension', () => {
    expect(decodedMemberName('a/report.zip.b64')).toBe('report.zip');
    expect(decodedMemberName('x.tar!/keys.HEX')).toBe('keys');
    expect(decodedMemberName('blob.dat')).toBe('blob.dat.decoded');
    expect(decodedMemberName('.b64')).toBe('.b64.decoded');
  });
});

// Mutation fuzzing of the opener (fixed seed; scripts/fuzz-plugins.sh runs the detector's side longer): the
// encoded fixtures with bytes flipped, inserted, deleted or cut. It opens exactly what the recogniser accepts,
// with the decoded size the digits give, or throws an Error with a code; never anything else.
describe('fuzz: the encoded-text opener', () => {
  const seeds = ['report.zip.b64', 'notes.b32', 'notes.hex', 'notes.b64url', 'blob.dat'].map((f) =>
    fs.readFileSync(path.join(fixtures, f)),
  );
  const alphabet = Buffer.from('AZaz09+/=-_\n\r.G7 ');
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set'), at: fc.nat(), byte: fc.constantFrom(...alphabet, 0, 0xff) }),
    fc.record({ kind: fc.constant('insert'), at: fc.nat(), byte: fc.constantFrom(...alphabet) }),
    fc.record({ kind: fc.constant('delete'), at: fc.nat(), byte: fc.constant(0) }),
    fc.record({ kind: fc.constant('cut'), at: fc.nat(), byte: fc.constant(0) }),
  );
  const mutate = (seed: Buffer, ms: ReadonlyArray<{ kind: string; at: number; byte: number }>) => {
    let b = Buffer.from(seed);
    for (const m of ms) {
      const at = b.length === 0 ? 0 : m.at % b.length;
      if (m.kind === 'set' && b.length > 0) b[at] = m.byte;
      else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(m.byte), b.subarray(at)]);
      else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      else if (m.kind === 'cut') b = b.subarray(0, at);
    }
    return b;
  };
  it('opens what is one stream, refuses the rest with a coded Error', async () => {
    let opened = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom(...seeds.keys()), fc.array(mutation, { minLength: 1, maxLength: 5 })),
        async ([i, ms]) => {
          const bytes = mutate(seeds[i]!, ms);
          const entry = memoryEntry(bytes, 'x.b64');
          const encoding = i === 1 ? 'base32' : i === 2 ? 'base16' : 'base64';
          const item = { path: 'x.b64', format: { id: encoding } } as unknown as EvidenceItem;
          const budget = { expanded: 0, take: () => true };
          const found = recogniseEncodedText(bytes, true);
          try {
            const source = await encodedTextContainer.open(entry, item, { limits: DEFAULT_LIMITS, budget, depth: 1 });
            const members = [];
            for await (const e of source.entries()) members.push(e);
            expect(found?.encoding).toBe(encoding);
            expect(members).toHaveLength(1);
            expect(members[0]!.size).toBe(decodedSize(encoding, found!.digits));
            const reader = await members[0]!.open!();
            expect((await reader.read(0, members[0]!.size + 10)).length).toBe(members[0]!.size);
            await source.close();
            opened++;
          } catch (err) {
            if (!(err instanceof Error) || !(err as { code?: string }).code) throw err;
            expect(found?.encoding === encoding).toBe(false);
            refused++;
          }
        },
      ),
      { numRuns: 400, seed: 1206 },
    );
    // Both ways are exercised: most single mutations break the stream, some keep it (a letter for a letter).
    expect(opened).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
