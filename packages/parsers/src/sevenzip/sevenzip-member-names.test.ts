import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { fixtureDir } from '../scan-fixtures.test-helper.js';
import { removeTree } from './sevenzip-workdir.js';

// Members of archives read through 7-Zip whose names it writes other than they are listed or stored.

const membersOf = (items: Map<string, EvidenceItem>, archive: string): EvidenceItem[] =>
  [...items.values()].filter((i) => i.path.startsWith(`${archive}!/`));

async function scanFolder(folder: string): Promise<Map<string, EvidenceItem>> {
  const items = new Map<string, EvidenceItem>();
  const run = scan(new FolderSource(folder), {
    plugins: builtinPlugins,
    containers: builtinContainers,
    hash: ['sha256'],
  });
  for await (const it of run) items.set(it.path, it);
  return items;
}

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** A cpio "newc" archive (the layout GNU cpio writes: a 110-byte ASCII header, the name, the data, 4-byte aligned). */
function newcArchive(members: ReadonlyArray<readonly [string, string]>): Buffer {
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const record = (name: string, data: Buffer) => {
    const fields = [1, 0o100644, 0, 0, 1, 0, data.length, 0, 0, 0, 0, Buffer.byteLength(name) + 1, 0];
    const head = `070701${fields.map((v) => v.toString(16).toUpperCase().padStart(8, '0')).join('')}`;
    return Buffer.concat([pad(Buffer.from(`${head}${name}\0`, 'latin1')), pad(data)]);
  };
  return Buffer.concat([...members.map(([n, d]) => record(n, Buffer.from(d))), record('TRAILER!!!', Buffer.alloc(0))]);
}

describe('members whose names climb out of the archive', () => {
  it("are read where 7-Zip wrote them, never from the path the name points at (a file of the examiner's)", async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-outside-'));
    try {
      const canary = path.join(outside, 'canary.txt');
      fs.writeFileSync(canary, "the examiner's own file, not evidence\n");
      const climb = `${'../'.repeat(40)}${canary.slice(1)}`;
      const members = [
        [climb, 'member 1: climbs with ..\n'],
        [canary, 'member 2: the same file by an absolute name\n'],
        [`a/${climb}`, 'member 3: climbs from a folder\n'],
        ['..', 'member 4: named ..\n'],
      ] as const;
      fs.writeFileSync(path.join(evidence, 'climb.cpio'), newcArchive(members));
      const items = await scanFolder(evidence);
      const got = membersOf(items, 'climb.cpio').map((m) => [m.hashes?.sha256, m.errors.map((e) => e.code)]);
      expect(got).toEqual([
        [sha(members[0][1]), ['MEMBER_NAME_PARENT']],
        [sha(members[1][1]), ['MEMBER_NAME_ABSOLUTE']],
        [sha(members[2][1]), ['MEMBER_NAME_PARENT']],
        // 7-Zip writes a last ".." part under another name ("_"): not certain to be this member's, so not read.
        [undefined, ['MEMBER_NAME_PARENT', 'ARCHIVE_MEMBER_NOT_EXTRACTED']],
      ]);
      expect(fs.readFileSync(canary, 'utf8')).toBe("the examiner's own file, not evidence\n");
    } finally {
      fs.rmSync(evidence, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('members listed alike', () => {
  it("never gives one member another's bytes: a name listed other than stored, a name that is a rename", async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    try {
      // 7-Zip lists "line\nbreak" as "line_break"; its -aou renames a second "x" to "x_1", the name of a third member.
      const members = [
        ['line\nbreak', 'A\n'],
        ['line_break', 'B\n'],
        ['x', 'C\n'],
        ['x', 'D\n'],
        ['x_1', 'E\n'],
        ['y', 'F\n'],
        ['y', 'G\n'],
      ] as const;
      fs.writeFileSync(path.join(evidence, 'alike.cpio'), newcArchive(members));
      const items = await scanFolder(evidence);
      const got = membersOf(items, 'alike.cpio').map((m) => m.hashes?.sha256 ?? m.errors.at(-1)?.code);
      expect(got).toEqual([
        ...Array<string>(5).fill('ARCHIVE_MEMBER_NOT_EXTRACTED'),
        sha(members[5][1]),
        sha(members[6][1]),
      ]);
    } finally {
      fs.rmSync(evidence, { recursive: true, force: true });
    }
  });
});

describe('members listed alike in different batches', () => {
  it("are never given each other's bytes: 7-Zip, asked for a name, writes every member so named or below it", async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    try {
      // cpio members are extracted 256 at a time: the fillers put the second of each pair in the next batch.
      const fillers = Array.from({ length: 256 }, (_, i) => [`filler-${i}`, `filler ${i}\n`] as const);
      const members = [
        ['tab\tname', 'A: 7-Zip lists its tab as "_"\n'],
        ['dup', 'C: the first "dup"\n'],
        ['e/f', 'E: below "e"\n'],
        ['Case', 'H: upper case\n'],
        ...fillers,
        ['tab_name', 'B: really named tab_name\n'],
        ['dup', 'D: the second "dup"\n'],
        ['e', 'F: a file named as the folder of e/f\n'],
        ['case', 'I: lower case\n'],
      ] as const;
      fs.writeFileSync(path.join(evidence, 'apart.cpio'), newcArchive(members));
      const items = await scanFolder(evidence);
      const got = membersOf(items, 'apart.cpio')
        .filter((m) => !m.path.includes('filler-'))
        .map((m) => [m.path, m.hashes?.sha256 ?? m.errors.at(-1)?.code]);
      const own = (name: string) => sha(members.find(([n]) => n === name)![1]);
      expect(got).toEqual([
        ['apart.cpio!/tab_name', 'ARCHIVE_MEMBER_NOT_EXTRACTED'],
        ['apart.cpio!/dup', 'ARCHIVE_MEMBER_NOT_EXTRACTED'],
        ['apart.cpio!/e/f', own('e/f')],
        ['apart.cpio!/Case', own('Case')],
        ['apart.cpio!/tab_name~2', 'ARCHIVE_MEMBER_NOT_EXTRACTED'],
        ['apart.cpio!/dup~2', 'ARCHIVE_MEMBER_NOT_EXTRACTED'],
        ['apart.cpio!/e', 'ARCHIVE_MEMBER_NOT_EXTRACTED'],
        ['apart.cpio!/case', own('case')],
      ]);
      const fillerHashes = membersOf(items, 'apart.cpio')
        .filter((m) => m.path.includes('filler-'))
        .map((m) => m.hashes?.sha256);
      expect(fillerHashes).toEqual(fillers.map(([, d]) => sha(d)));
    } finally {
      fs.rmSync(evidence, { recursive: true, force: true });
    }
  });
});

describe('members written deep', () => {
  it('are listed, not extracted, past 64 folders; the private folder is removed however deep it grew', async () => {
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    try {
      const members = [
        [`${'d/'.repeat(64)}x`, 'deep: 65 parts\n'],
        [`${'d/'.repeat(63)}y`, 'deep: 64 parts\n'],
        [`${'p/'.repeat(1000)}z`, 'deep: 1,001 parts (7-Zip took 5.7 s to write it)\n'],
      ] as const;
      fs.writeFileSync(path.join(evidence, 'deep.cpio'), newcArchive(members));
      const items = await scanFolder(evidence);
      expect(membersOf(items, 'deep.cpio').map((m) => m.hashes?.sha256 ?? m.errors.at(-1)?.message)).toEqual([
        expect.stringMatching(/^its name is 65 folders deep, more than the 64/),
        sha(members[1][1]),
        expect.stringMatching(/^its name is 1001 folders deep/),
      ]);
    } finally {
      fs.rmSync(evidence, { recursive: true, force: true });
    }
  });

  it("removeTree removes 2,000 nested folders (Node's recursive rmSync overflowed its stack) and a 0000 folder", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-tree-'));
    fs.mkdirSync(path.join(root, ...Array<string>(2000).fill('d')), { recursive: true });
    fs.writeFileSync(path.join(root, ...Array<string>(2000).fill('d'), 'x'), 'x');
    fs.mkdirSync(path.join(root, 'locked', 'inner'), { recursive: true });
    fs.chmodSync(path.join(root, 'locked'), 0);
    fs.symlinkSync(os.tmpdir(), path.join(root, 'link'));
    removeTree(root);
    expect(fs.existsSync(root)).toBe(false);
    expect(fs.existsSync(os.tmpdir())).toBe(true);
  });
});

describe('members whose names have a space at an end', () => {
  it("are each read with their own bytes (7-Zip's list file trims names: they are asked for on its command line)", async () => {
    // GNU cpio's archive (fixtures/sevenzip/container/make-space-names.sh); its last member climbs to these canaries.
    const canaries = ['/tmp/evtriage-space-canary ', '/tmp/evtriage-space-canary'];
    const evidence = fs.mkdtempSync(path.join(os.tmpdir(), 'sevenzip-evidence-'));
    try {
      for (const c of canaries) fs.writeFileSync(c, `canary ${JSON.stringify(c)}\n`);
      fs.copyFileSync(
        path.join(fixtureDir('sevenzip'), 'container', 'space-names.cpio'),
        path.join(evidence, 'space-names.cpio'),
      );
      const items = await scanFolder(evidence);
      const got = membersOf(items, 'space-names.cpio').map((m) => [
        m.path,
        m.hashes?.sha256,
        m.errors.map((e) => e.code),
      ]);
      expect(got).toEqual([
        ['space-names.cpio!/x ', sha('x with a trailing space\n'), []],
        ['space-names.cpio!/x', sha('x alone\n'), []],
        ['space-names.cpio!/ y', sha('y with a leading space\n'), []],
        ['space-names.cpio!/y', sha('y alone\n'), []],
        [
          'space-names.cpio!/../../../../../../../../tmp/evtriage-space-canary ',
          sha('the member, not the canary\n'),
          ['MEMBER_NAME_PARENT'],
        ],
      ]);
      for (const c of canaries) expect(fs.readFileSync(c, 'utf8')).toBe(`canary ${JSON.stringify(c)}\n`);
    } finally {
      for (const c of canaries) fs.rmSync(c, { force: true });
      fs.rmSync(evidence, { recursive: true, force: true });
    }
  });
});
