import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinSources, DEFAULT_LIMITS, FolderSource, openSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { sevenZipSourceKinds } from './sevenzip-source-kind.js';
import { fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { memoryEntry } from '../memory-entry.test-helper.js';
import { sevenZipContainer, sevenZipContainerWith } from './sevenzip-container.js';
import { useOwnTmpdir } from './own-tmpdir.test-helper.js';

// Beside the 7z detector's fixtures (fixture folders are named after a built-in's id).
const dir = path.join(fixtureDir('sevenzip'), 'container');

/** Names, sizes, modes, times and SHA-256 of every file under `root`: what "unchanged" means for evidence. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const line = `${path.relative(root, p)} ${st.mode} ${st.size} ${st.mtimeMs}`;
      if (st.isDirectory()) {
        out.push(line);
        walk(p);
      } else out.push(`${line} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}

// Private folders are counted in a temp folder of this file's own.
const { leftovers } = useOwnTmpdir('sevenzip-test-tmp-');

/** The member files 7-Zip's own `7zz l -slt -ba` listing names (read without the opener's parser). */
function listedFiles(listing: string): string[] {
  const files: string[] = [];
  for (const block of listing.split(/\n\s*\n/)) {
    const r = new Map(
      block.split('\n').map((l): [string, string] => [l.split(' = ')[0] ?? '', l.split(' = ')[1] ?? '']),
    );
    if (r.get('Path') && !r.get('Attributes')?.startsWith('D')) files.push(r.get('Path')!);
  }
  return files.sort();
}

const membersOf = (items: Map<string, EvidenceItem>, archive: string): EvidenceItem[] =>
  [...items.values()].filter(
    (i) => i.path.startsWith(`${archive}!/`) && !i.path.slice(archive.length + 2).includes('!/'),
  );

function item(format: string, reasons: string[] = []): EvidenceItem {
  return {
    path: 'x.7z',
    errors: [],
    classification: { reasons: reasons.map((code) => ({ code, message: '' })) },
    format: { id: format },
  } as unknown as EvidenceItem;
}

const ctx = (take = true) => ({
  limits: DEFAULT_LIMITS,
  budget: { expanded: 0, take: () => take },
  depth: 1,
});

describe('7z, RAR and other archives opened through 7-Zip (WebAssembly)', () => {
  let items: Map<string, EvidenceItem>;
  let before: string[];
  let tmpBefore: string[];
  beforeAll(async () => {
    before = snapshot(dir);
    tmpBefore = leftovers();
    items = await scanFixtures('sevenzip/container');
  });

  it('lists every member 7-Zip lists, with its size and time, classified by the detectors', () => {
    for (const name of ['solid', 'nonsolid']) {
      const expected = listedFiles(fs.readFileSync(path.join(dir, 'listings', `${name}.slt`), 'utf8'));
      const got = membersOf(items, `${name}.7z`);
      expect(got.map((i) => i.path.slice(name.length + 5)).sort(), name).toEqual(expected);
      const byName = new Map(got.map((i) => [i.path.slice(name.length + 5), i]));
      expect(byName.get('docs/report.pdf')?.format?.id).toBe('pdf');
      expect(byName.get('docs/licence.txt')?.size).toBe(3000);
      expect(byName.get('notes.txt')?.times.modified).toBe('2024-05-01T12:00:00Z');
      for (const i of got) expect(i.errors, i.path).toEqual([]);
    }
    const solid = items.get('solid.7z!/docs/licence.txt');
    expect(solid?.details?.['container']).toMatchObject({
      archive: '7z',
      method: 'LZMA2:12',
      block: '0',
      crc: 'CC2E5717',
    });
  });

  it('flags encrypted members from the listing, and leaves an archive with encrypted headers one encrypted item', () => {
    const expected = listedFiles(fs.readFileSync(path.join(dir, 'listings', 'content-encrypted.slt'), 'utf8'));
    const got = membersOf(items, 'content-encrypted.7z');
    expect(got.map((i) => i.path.slice('content-encrypted.7z!/'.length)).sort()).toEqual(expected);
    for (const i of got) {
      expect(i.classification.status, i.path).toBe('encrypted');
      expect(i.encryption?.scheme).toBe('7z-aes-256');
      expect(i.encryption?.keyHint?.kind).toBe('password');
      expect(i.classification.reasons.map((r) => r.code)).toContain('CONTAINER_SAYS_ENCRYPTED');
    }
    for (const name of ['header-encrypted.7z', 'rar4-header-encrypted.rar']) {
      expect(items.get(name)?.classification.status, name).toBe('encrypted');
      expect(items.get(name)?.errors, name).toEqual([]);
      expect(membersOf(items, name), name).toEqual([]);
    }
    const partly = membersOf(items, 'rar4-partly-encrypted.rar');
    expect(partly.map((i) => [i.path, i.classification.status, i.encryption?.scheme])).toEqual([
      ['rar4-partly-encrypted.rar!/foo.txt', 'encrypted', 'rar3-aes-128'],
      ['rar4-partly-encrypted.rar!/bar.txt', 'analysable', undefined],
    ]);
  });

  it('reads RAR 4 and 5 (plain, solid, stored) made by WinRAR', () => {
    expect(membersOf(items, 'rar4.rar').map((i) => [i.path, i.size])).toEqual([
      ['rar4.rar!/test.txt', 20],
      ['rar4.rar!/testlink', 8],
      ['rar4.rar!/testdir/test.txt', 20],
    ]);
    const solid = membersOf(items, 'rar5-solid.rar');
    expect(solid.map((i) => i.path.slice('rar5-solid.rar!/'.length))).toEqual([
      'test.bin',
      'test1.bin',
      'test2.bin',
      'test3.bin',
      'test4.bin',
      'test5.bin',
      'test6.bin',
    ]);
    for (const i of solid) expect(i.errors, i.path).toEqual([]);
    expect(items.get('rar5-stored.rar!/helloworld.txt')?.classification.status).toBe('analysable');
  });

  it('puts damage on the member it concerns, and a missing volume on the archive and the member it cuts', () => {
    expect(items.get('damaged.7z!/docs/licence.txt')?.errors.map((e) => e.code)).toContain('ARCHIVE_MEMBER_DAMAGED');
    expect(items.get('damaged.7z!/notes.txt')?.errors).toEqual([]);
    expect(membersOf(items, 'damaged.7z')).toHaveLength(4);
    const truncated = items.get('truncated.7z');
    expect(truncated?.errors.map((e) => e.code)).toContain('ARCHIVE_UNREADABLE');
    const volume = items.get('rar5-volume.part01.rar');
    expect(volume?.errors.find((e) => e.code === 'ARCHIVE_DAMAGED')?.message).toMatch(/Missing volume/);
    const member = membersOf(items, 'rar5-volume.part01.rar');
    expect(member).toHaveLength(1);
    expect(member[0]?.size).toBe(144608);
    expect(member[0]?.errors.map((e) => e.code)).toContain('ARCHIVE_MEMBER_DAMAGED');
  });

  it('says a member claiming more bytes than its archive holds is damaged, not changed while the scan ran', () => {
    // make-size-raised.mjs: 7zz's stored member of 100 bytes, its header's unpack size raised to 120.
    const raised = items.get('size-raised.7z!/a.txt');
    expect(raised?.size).toBe(120);
    expect(raised?.errors.map((e) => [e.stage, e.code])).toEqual([
      ['container', 'ARCHIVE_MEMBER_DAMAGED'],
      ['probe', 'MEMBER_SIZE_MISMATCH'],
    ]);
    expect(raised?.errors[1]?.message).toMatch(/declares 120 bytes for this member and yields 100/);
    expect(items.get('size-raised.7z')?.errors).toEqual([]);
  });

  it('opens a 7z inside a 7z and inside a ZIP (copied out through its reader)', () => {
    for (const outer of ['nested.7z', 'nested.zip']) {
      const inner = membersOf(items, `${outer}!/inner.7z`);
      expect(inner.map((i) => i.path.slice(`${outer}!/inner.7z!/`.length)).sort(), outer).toEqual(
        listedFiles(fs.readFileSync(path.join(dir, 'listings', 'solid.slt'), 'utf8')),
      );
    }
  });

  it('opens cabinets and cpio archives through the same opener', () => {
    expect(membersOf(items, 'small.cab').map((i) => i.format?.id)).toEqual(['text', 'pdf']);
    expect(membersOf(items, 'small.cpio').map((i) => i.path)).toEqual([
      'small.cpio!/notes.txt',
      'small.cpio!/docs/report.pdf',
    ]);
  });

  it('keeps both members of one name, each with its own bytes (7-Zip renames the second on extraction)', () => {
    expect(membersOf(items, 'duplicate.7z').map((i) => [i.path, i.size, i.format?.id])).toEqual([
      ['duplicate.7z!/notes.txt', 16, 'text'],
      ['duplicate.7z!/notes~2.txt', 3000, 'text'],
    ]);
    expect(items.get('duplicate.7z!/notes~2.txt')?.errors.map((e) => e.code)).toEqual(['MEMBER_NAME_DUPLICATE']);
  });

  it('does not let 7-Zip allocate a dictionary a header declares past the limit', () => {
    const member = items.get('huge-dictionary.7z!/notes.txt');
    expect(member?.classification.status).toBe('unreadable');
    expect(member?.errors.map((e) => e.code)).toContain('ARCHIVE_MEMORY_LIMIT');
  });

  it('refuses a bomb by its ratio', () => {
    expect(items.get('zeros.7z')?.errors.map((e) => e.code)).toContain('ARCHIVE_RATIO_LIMIT');
    expect(membersOf(items, 'zeros.7z')).toEqual([]);
  });

  it('leaves the source folder byte for byte and listing for listing unchanged, and no private folder behind', () => {
    expect(snapshot(dir)).toEqual(before);
    expect(leftovers().filter((n) => !tmpBefore.includes(n))).toEqual([]);
  });
});

describe('7-Zip never touches the evidence folder', () => {
  it('writes nothing through link members into the mounted folder, and leaves access times as they were', async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    try {
      const hostile = path.join(fixtureDir('sevenzip'), 'hostile', 'links-into-mount.cpio');
      fs.copyFileSync(hostile, path.join(evidence, 'links.cpio'));
      fs.copyFileSync(path.join(dir, 'solid.7z'), path.join(evidence, 'solid.7z'));
      fs.writeFileSync(path.join(evidence, 'control.txt'), 'read by the test itself\n');
      const past = new Date('2020-01-01T00:00:00Z');
      const stamp = () => {
        for (const name of fs.readdirSync(evidence)) fs.utimesSync(path.join(evidence, name), past, past);
      };
      stamp();
      const before = snapshot(evidence);
      stamp(); // the snapshot read every file
      const run = scan(new FolderSource(evidence), { plugins: builtinPlugins, containers: builtinContainers });
      const paths: string[] = [];
      for await (const it of run) paths.push(it.path);
      expect(paths).toEqual(expect.arrayContaining(['links.cpio!/link/pwned.txt', 'links.cpio!/rel/pwned2.txt']));
      // Where this file system keeps access times (the control's changes when read), the scan's reads kept them.
      const atimes = ['links.cpio', 'solid.7z'].map((name) => [name, fs.statSync(path.join(evidence, name)).atimeMs]);
      fs.readFileSync(path.join(evidence, 'control.txt'));
      const kept = fs.statSync(path.join(evidence, 'control.txt')).atimeMs === past.getTime();
      for (const [name, atime] of atimes) expect([name, atime === past.getTime() || kept]).toEqual([name, true]);
      expect(snapshot(evidence)).toEqual(before);
    } finally {
      fs.rmSync(evidence, { recursive: true, force: true });
    }
  });
});

describe('7-Zip opener limits', () => {
  it('charges the members to the expansion budget and refuses what passes it', async () => {
    const entry = { ...memoryEntry(fs.readFileSync(path.join(dir, 'solid.7z')), 'x.7z') };
    await expect(sevenZipContainer.open(entry, item('7z'), ctx(false))).rejects.toMatchObject({
      code: 'ARCHIVE_EXPANSION_LIMIT',
    });
  });

  it('ends 7-Zip at its deadline: a listing becomes ARCHIVE_TIMEOUT, an extraction an error on its members', async () => {
    // Threads that loop for good (as a decoder stuck on a crafted block would); the second first answers the
    // listing with 7-Zip's own listing of solid.7z, then loops on the extraction.
    const looping = (): Worker =>
      new Worker('require("node:worker_threads").parentPort.on("message", () => { for (;;); });', { eval: true });
    const listing = `----------\n${fs.readFileSync(path.join(dir, 'listings', 'solid.slt'), 'utf8')}`;
    const listsThenLoops = (): Worker =>
      new Worker(
        `const { parentPort } = require("node:worker_threads"); let n = 0;
         parentPort.on("message", () => { if (n++ === 0) parentPort.postMessage({ code: 0, stdout: ${JSON.stringify(listing)}, stderr: "" }); else for (;;); });`,
        { eval: true },
      );
    // The deadline that must pass is short; the one that must not (a thread starting on a loaded machine) is long.
    const short = { listMs: 500, extractMs: 500, bytesPerMs: Number.MAX_SAFE_INTEGER };
    const listInTime = { ...short, listMs: 60_000 };
    const entry = memoryEntry(fs.readFileSync(path.join(dir, 'solid.7z')), 'x.7z');
    await expect(sevenZipContainerWith(short, looping).open(entry, item('7z'), ctx())).rejects.toMatchObject({
      code: 'ARCHIVE_TIMEOUT',
    });
    const source = await sevenZipContainerWith(listInTime, listsThenLoops).open(entry, item('7z'), ctx());
    const errors: Array<string | undefined> = [];
    for await (const e of source.entries()) errors.push(e.error?.code);
    await source.close();
    expect(errors).toEqual(['ARCHIVE_TIMEOUT', 'ARCHIVE_TIMEOUT', 'ARCHIVE_TIMEOUT', 'ARCHIVE_TIMEOUT']);
    // Four blocks, one deadline: after the first block's extraction is ended, the others are not tried (each
    // would start a thread and wait out a deadline of its own).
    const nonsolid = `----------\n${fs.readFileSync(path.join(dir, 'listings', 'nonsolid.slt'), 'utf8')}`;
    let started = 0;
    const listsNonsolidThenLoops = (): Worker => {
      started++;
      return new Worker(
        `const { parentPort } = require("node:worker_threads"); let n = 0;
         parentPort.on("message", () => { if (n++ === 0) parentPort.postMessage({ code: 0, stdout: ${JSON.stringify(nonsolid)}, stderr: "" }); else for (;;); });`,
        { eval: true },
      );
    };
    const blocks = await sevenZipContainerWith(listInTime, listsNonsolidThenLoops).open(entry, item('7z'), ctx());
    const messages: Array<string | undefined> = [];
    for await (const e of blocks.entries()) if (e.error) messages.push(`${e.error.code}: ${e.error.message}`);
    await blocks.close();
    expect(started).toBe(1);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toMatch(/^ARCHIVE_TIMEOUT: .*did not finish extracting/);
    for (const m of messages.slice(1)) expect(m).toMatch(/^ARCHIVE_TIMEOUT: .*not tried: an earlier extraction/);
  });

  it('takes the size of a member the listing gives none from what is extracted, and charges it then', async () => {
    // A thread that lists one member without a size and "extracts" it by writing its bytes where 7-Zip would.
    const thread = (): Worker =>
      new Worker(
        `const { parentPort } = require("node:worker_threads"); const fs = require("node:fs"); const path = require("node:path");
         parentPort.on("message", (r) => {
           if (r.type === "list") parentPort.postMessage({ code: 0, stderr: "", stdout: "----------\\nPath = notes.txt\\nSize = \\nAttributes = A -rw-r--r--\\n" });
           else { fs.writeFileSync(path.join(r.out, "notes.txt"), "hello"); parentPort.postMessage({ code: 0, stdout: "", stderr: "" }); }
         });`,
        { eval: true },
      );
    let charged = 0;
    const budget = { expanded: 0, take: (n: number) => ((charged += n), true) };
    const entry = memoryEntry(fs.readFileSync(path.join(dir, 'solid.7z')), 'x.7z');
    const source = await sevenZipContainerWith(undefined, thread).open(entry, item('7z'), {
      limits: DEFAULT_LIMITS,
      budget,
      depth: 1,
    });
    const got: Array<[string, number, string, string[]]> = [];
    for await (const e of source.entries()) {
      const r = await e.open!();
      got.push([e.path, e.size, (await r.read(0, 100)).toString(), (e.facts?.problems ?? []).map((p) => p.code)]);
      await r.close();
      e.release?.();
    }
    await source.close();
    expect(got).toEqual([['notes.txt', 5, 'hello', ['ARCHIVE_MEMBER_SIZE_UNLISTED']]]);
    expect(charged).toBe(5);
  });

  it('keeps the members past the member limit out of memory, counts them and says so on the archive', async () => {
    const entry = memoryEntry(fs.readFileSync(path.join(dir, 'solid.7z')), 'x.7z');
    const archive = item('7z');
    const limits = { ...DEFAULT_LIMITS, maxArchiveMembers: 2 };
    const source = await sevenZipContainer.open(entry, archive, { ...ctx(), limits });
    const paths: string[] = [];
    for await (const e of source.entries()) paths.push(e.path);
    await source.close();
    const listed = listedFiles(fs.readFileSync(path.join(dir, 'listings', 'solid.slt'), 'utf8'));
    expect(listed.length).toBeGreaterThan(2);
    expect(paths.length).toBeLessThanOrEqual(2);
    const limit = archive.errors.find((e) => e.code === 'ARCHIVE_MEMBER_LIMIT');
    expect(limit?.severity).toBe('error');
    expect(limit?.message).toMatch(/^7-Zip listed \d+ members, more than the 2-member limit \(raise --max-members/);
  });

  it('never runs 7-Zip on an archive whose headers the detectors found encrypted', async () => {
    const entry = memoryEntry(Buffer.from('not even read'), 'x.7z');
    const source = await sevenZipContainer.open(entry, item('7z-encrypted', ['SEVENZIP_HEADER_ENCRYPTED']), ctx());
    const got = [];
    for await (const e of source.entries()) got.push(e);
    await source.close();
    expect(got).toEqual([]);
  });

  it('fails at once, without waiting for a password, on encrypted headers the detectors did not flag', async () => {
    const entry = memoryEntry(fs.readFileSync(path.join(dir, 'header-encrypted.7z')), 'x.7z');
    await expect(sevenZipContainer.open(entry, item('7z'), ctx())).rejects.toMatchObject({ code: 'ARCHIVE_ENCRYPTED' });
  });
});

describe('fuzz: 7-Zip opener', () => {
  it('mutated archives give a member list or a coded error, every member with bytes or an error', async () => {
    const seeds = ['solid.7z', 'nonsolid.7z', 'content-encrypted.7z', 'rar5-solid.rar', 'rar4.rar', 'small.cab'].map(
      (n) => fs.readFileSync(path.join(dir, n)),
    );
    const noise = seededBytes(0x7a7a, 64 * 1024);
    const tmpBefore = leftovers();
    let k = 0;
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      for (const seed of seeds) {
        const bytes = Buffer.from(seed);
        const r = noise[k++ % noise.length]!;
        if (r % 3 === 0) {
          const cut = bytes.subarray(0, (noise[k++ % noise.length]! * bytes.length) >> 8);
          bytes.fill(0);
          cut.copy(bytes);
        } else {
          for (let i = 0; i < 1 + (r % 4); i++)
            bytes[(noise[k++ % noise.length]! * 256 + noise[k++ % noise.length]!) % bytes.length] =
              noise[k++ % noise.length]!;
        }
        let outcome: string;
        try {
          const source = await sevenZipContainer.open(memoryEntry(bytes, 'x.7z'), item('7z'), ctx());
          for await (const e of source.entries()) {
            if (e.open) {
              const reader = await e.open();
              await reader.read(0, Math.min(reader.size, 4096));
              await reader.close();
            } else
              expect(Boolean(e.error || e.facts?.encryption || e.size === 0 || e.kind === 'symlink'), e.path).toBe(
                true,
              );
            e.release?.();
          }
          await source.close();
          outcome = 'listed';
        } catch (err) {
          const code = (err as { code?: string }).code;
          expect(code, (err as Error).message).toMatch(/^ARCHIVE_/);
          outcome = code!;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    expect([...outcomes.values()].reduce((a, b) => a + b)).toBe(240);
    expect(outcomes.get('listed')).toBeGreaterThan(0);
    expect(leftovers().filter((n) => !tmpBefore.includes(n))).toEqual([]);
  });
});

describe('a 7z or RAR archive chosen as the source', () => {
  const scanSource = async (name: string, hash: 'sha256'[] = []): Promise<EvidenceItem[]> => {
    const source = await openSource(path.join(dir, name), { sources: [...sevenZipSourceKinds, ...builtinSources] });
    const out: EvidenceItem[] = [];
    try {
      for await (const i of scan(source, { plugins: builtinPlugins, containers: builtinContainers, hash })) out.push(i);
    } finally {
      // The CLI closes the source it opened; so does the test (its private folder would outlive a test thread).
      await source.close();
    }
    return out;
  };

  it('lists its members, puts damage on them, and keeps an archive with encrypted headers one encrypted item', async () => {
    expect((await scanSource('solid.7z')).map((i) => i.path).sort()).toEqual(
      listedFiles(fs.readFileSync(path.join(dir, 'listings', 'solid.slt'), 'utf8')),
    );
    const rar = await scanSource('rar5-solid.rar');
    expect(rar.map((i) => [i.path, i.size])).toContainEqual(['test6.bin', 4096]);
    const damaged = await scanSource('damaged.7z');
    expect(damaged.find((i) => i.path === 'docs/licence.txt')?.errors).toContainEqual(
      expect.objectContaining({ code: 'ARCHIVE_MEMBER_DAMAGED', severity: 'error' }),
    );
    const locked = await scanSource('header-encrypted.7z');
    expect(locked.map((i) => [i.path, i.classification.status, i.encryption?.scheme])).toEqual([
      ['header-encrypted.7z', 'encrypted', '7z-aes-256'],
    ]);
    const truncated = await scanSource('truncated.7z');
    expect(truncated.map((i) => [i.path, i.format?.id])).toEqual([['truncated.7z', '7z']]);
    expect(truncated[0]?.errors.map((e) => e.code)).toContain('ARCHIVE_UNREADABLE');
    const volume = await scanSource('rar5-volume.part01.rar');
    expect(volume[0]?.path).toBe('rar5-volume.part01.rar!/');
    expect(volume[0]?.errors[0]?.message).toMatch(/Missing volume/);
  });

  it('records no digest of a member whose data ends before the size its header declares', async () => {
    const [raised] = await scanSource('size-raised.7z', ['sha256']);
    expect(raised?.path).toBe('a.txt');
    expect(raised?.hashes).toBeUndefined();
    expect(raised?.errors.map((e) => e.code)).toEqual([
      'ARCHIVE_MEMBER_DAMAGED',
      'MEMBER_SIZE_MISMATCH',
      'E_MEMBER_TRUNCATED',
    ]);
    expect(raised?.errors[2]?.message).toMatch(/ended after 100 of the 120 bytes its archive declares/);
  });
});
