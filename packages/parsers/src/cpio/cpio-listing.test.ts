import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, scan, FolderSource, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { fixtureDir } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { listCpio } from './cpio-listing.js';

// Made by make-cpio-headers.sh (SunOS cpio via Apache Commons Compress, GNU cpio).
const dir = path.join(fixtureDir('sevenzip'), 'container');

function reader(bytes: Buffer): { read: (p: number, l: number) => Promise<Buffer> } {
  return { read: (p, l) => Promise.resolve(bytes.subarray(p, p + l)) };
}

async function list(bytes: Buffer, max = 1000) {
  const l = await listCpio(reader(bytes), bytes.length, max);
  return {
    ...l,
    named: l.members.map((m) => ({
      name: m.name.toString('latin1'),
      size: m.size,
      text: bytes.subarray(m.offset, m.offset + m.size).toString('latin1'),
    })),
  };
}

describe('listCpio', () => {
  it('reads SunOS newc and crc headers (rdev ffffffff) to their trailer: the 10 members GNU cpio lists', async () => {
    for (const [file, variant] of [
      ['sunos-newc.cpio', 'newc'],
      ['sunos-crc.cpio', 'newc-crc'],
    ] as const) {
      const l = await list(fs.readFileSync(path.join(dir, file)));
      expect(l.variant).toBe(variant);
      expect(l.trailer).toBe(true);
      // In archive order, as GNU cpio -it lists them.
      expect(l.named.map((m) => m.name)).toEqual([
        '1',
        '12',
        '123',
        '1234',
        '12345',
        '123450',
        '123456',
        '123457',
        '123458',
        '123459',
      ]);
      expect(l.named[6]).toEqual({ name: '123456', size: 26, text: 'bcdefghijklmnopqrstuvwxyz\n' });
    }
  });

  it('reads GNU cpio odc and old binary headers: names, sizes, the symlink target as data', async () => {
    for (const [file, variant] of [
      ['gnu-odc.cpio', 'odc'],
      ['gnu-bin.cpio', 'binary-le'],
    ] as const) {
      const l = await list(fs.readFileSync(path.join(dir, file)));
      expect(l.variant).toBe(variant);
      expect(l.trailer).toBe(true);
      expect(l.named).toEqual([
        { name: 'a.txt', size: 13, text: 'first member\n' },
        { name: 'sub', size: 0, text: '' },
        { name: 'sub/b', size: 4, text: 'odd\n' },
        { name: 'link', size: 5, text: 'a.txt' },
      ]);
      expect(l.members.map((m) => m.mode & 0o170000)).toEqual([0o100000, 0o040000, 0o100000, 0o120000]);
      expect(new Date(l.members[0]!.mtime * 1000).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    }
  });

  it('stops at the member limit, at a damaged header and at bytes that end early, keeping the members before', async () => {
    const bytes = fs.readFileSync(path.join(dir, 'sunos-newc.cpio'));
    expect((await list(bytes, 3)).members).toHaveLength(3);
    const whole = await list(bytes);
    // A damaged magic in the third header: the two members before it stand, no trailer is claimed.
    const third = Math.ceil((whole.members[1]!.offset + whole.members[1]!.size) / 4) * 4;
    const damaged = Buffer.from(bytes);
    damaged.write('07070X', third, 'latin1');
    expect((await list(damaged)).members).toHaveLength(2);
    expect((await list(damaged)).trailer).toBe(false);
    // Bytes that end inside the second member's data: only the first is listed.
    const cut = bytes.subarray(0, whole.members[1]!.offset + 2);
    const l = await list(cut);
    expect(l.trailer).toBe(false);
    expect(l.members).toHaveLength(1);
    await expect(list(Buffer.from('070701' + 'g'.repeat(104)))).rejects.toThrow(/does not hold/);
    await expect(list(Buffer.from('not a cpio archive'))).rejects.toThrow(/no cpio magic/);
  });

  it('survives seeded mutations of every fixture: a listing or an error, members inside the bytes', async () => {
    let listed = 0;
    for (const file of ['sunos-newc.cpio', 'sunos-crc.cpio', 'gnu-odc.cpio', 'gnu-bin.cpio']) {
      const original = fs.readFileSync(path.join(dir, file));
      for (let seed = 1; seed <= 150; seed++) {
        const r = seededBytes(seed * 7919 + original.length, 24);
        const bytes = Buffer.from(original);
        for (let k = 0; k < 8; k++) bytes[(r[k]! * 256 + r[k + 8]!) % bytes.length] = r[k + 16]!;
        const cutAt = seed % 5 === 0 ? (r[0]! * 8) % bytes.length : bytes.length;
        const input = bytes.subarray(0, cutAt);
        try {
          const l = await listCpio(reader(input), input.length, 1000);
          for (const m of l.members) expect(m.offset + m.size).toBeLessThanOrEqual(input.length);
          listed++;
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }
    }
    expect(listed).toBeGreaterThan(100);
  });
});

describe('the cpio fallback of the 7-Zip opener', () => {
  it('lists a SunOS cpio 7-Zip refuses, with a warning that says so, and reads its members', async () => {
    const items: EvidenceItem[] = [];
    const root = fs.mkdtempSync(path.join(process.env['TMPDIR'] ?? '/tmp', 'cpio-fallback-'));
    try {
      fs.copyFileSync(path.join(dir, 'sunos-newc.cpio'), path.join(root, 'sunos-newc.cpio'));
      for await (const item of scan(new FolderSource(root), {
        plugins: builtinPlugins,
        containers: builtinContainers,
        limits: DEFAULT_LIMITS,
      }))
        items.push(item);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    const top = items.find((i) => i.path === 'sunos-newc.cpio')!;
    expect(top.format?.id).toBe('cpio');
    expect(top.errors).toContainEqual(expect.objectContaining({ code: 'CPIO_READ_FROM_HEADERS', severity: 'warning' }));
    expect(top.errors.map((e) => e.code)).not.toContain('ARCHIVE_UNREADABLE');
    const members = items.filter((i) => i.path.startsWith('sunos-newc.cpio!/'));
    expect(members).toHaveLength(10);
    const first = members.find((i) => i.path === 'sunos-newc.cpio!/123456')!;
    expect(first.size).toBe(26);
    expect(first.classification.status).toBe('analysable');
    expect(first.details?.['container']).toMatchObject({ archive: 'cpio', variant: 'newc' });
  });
});
