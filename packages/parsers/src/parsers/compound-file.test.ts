/**
 * The bounded compound-file reader on real fixtures (made by the cfb library,
 * fixtures/ole2/generate.mjs) and on the same bytes with their pointers made
 * to loop: a FAT entry pointing to itself, a directory chain that loops, two
 * directory entries naming each other as siblings, a child pointing back to
 * its storage, a start sector past the end of the file. Each must throw
 * CompoundFileError at once, never walk forever.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompoundFileError, readCompoundFile } from './compound-file.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../fixtures/ole2-encryption/${name}`, import.meta.url));

/** Where things are in a version-3 (512-byte sector) file. */
function layout(b: Buffer) {
  const fat0 = b.readUInt32LE(0x4c);
  const dirStart = b.readUInt32LE(0x30);
  return {
    fatAt: (s: number) => 512 + fat0 * 512 + s * 4,
    dirAt: (i: number) => 512 + dirStart * 512 + i * 128,
    dirStart,
  };
}

function streamEntry(b: Buffer, name: string): number {
  const { dirAt } = layout(b);
  for (let i = 0; i < 4; i++) {
    const n = b.readUInt16LE(dirAt(i) + 0x40);
    if (b.subarray(dirAt(i), dirAt(i) + n - 2).toString('utf16le') === name) return i;
  }
  throw new Error(`no ${name} in the first directory sector`);
}

describe('readCompoundFile', () => {
  it('lists the streams of a real file and reads them', () => {
    const cf = readCompoundFile(fixture('word-clear.doc'));
    const names = cf.streams.map((s) => s.name);
    expect(names).toContain('WordDocument');
    const doc = cf.read('WordDocument', 12)!;
    expect(doc).toHaveLength(12);
    expect(doc.readUInt16LE(0)).toBe(0xa5ec); // FibBase wIdent
    expect(cf.read('NoSuchStream', 10)).toBeUndefined();
  });

  it('throws on a FAT entry that points to itself (a sector chain loop)', () => {
    const b = Buffer.from(fixture('word-clear.doc'));
    const { fatAt, dirStart } = layout(b);
    b.writeUInt32LE(dirStart, fatAt(dirStart));
    expect(() => readCompoundFile(b)).toThrow(CompoundFileError);
    expect(() => readCompoundFile(b)).toThrow(/directory loops \(sector \d+ is reached twice\)/);
  });

  it('throws on two directory entries that name each other as siblings', () => {
    const b = Buffer.from(fixture('other-streams.cfb'));
    const { dirAt } = layout(b);
    const child = b.readUInt32LE(dirAt(0) + 0x4c);
    const other = child === 1 ? 2 : 1;
    b.writeUInt32LE(other, dirAt(child) + 0x44);
    b.writeUInt32LE(child, dirAt(other) + 0x44);
    expect(() => readCompoundFile(b)).toThrow(/directory tree has a cycle/);
  });

  it('throws on a storage whose child is the root again', () => {
    const b = Buffer.from(fixture('other-streams.cfb'));
    const { dirAt } = layout(b);
    const child = b.readUInt32LE(dirAt(0) + 0x4c);
    b[dirAt(child) + 0x42] = 1; // make it a storage
    b.writeUInt32LE(0, dirAt(child) + 0x4c);
    expect(() => readCompoundFile(b)).toThrow(/cycle \(entry 0 is reached twice\)/);
  });

  it('throws when a stream starts past the end of the file', () => {
    const b = Buffer.from(fixture('word-clear.doc'));
    const { dirAt } = layout(b);
    const i = streamEntry(b, 'WordDocument');
    b.writeUInt32LE(100_000, dirAt(i) + 0x74);
    const cf = readCompoundFile(b);
    expect(() => cf.read('WordDocument', 12)).toThrow(/points outside the (file|mini stream)/);
  });

  it('throws on a mini-FAT loop in a small stream, even when few bytes are asked for', () => {
    const b = Buffer.from(fixture('word-clear.doc'));
    const cf = readCompoundFile(b);
    const small = cf.streams.find((s) => s.size > 64 && s.size < 4096);
    expect(small, 'a stream kept in the mini stream').toBeDefined();
    const { dirAt } = layout(b);
    const miniFat = b.readUInt32LE(0x3c);
    const start = b.readUInt32LE(dirAt(small!.id) + 0x74);
    // The mini FAT's sector: entry `start` points back to itself.
    b.writeUInt32LE(start, 512 + miniFat * 512 + start * 4);
    expect(() => readCompoundFile(b).read(small!.name, 4)).toThrow(/mini sector chain .* loops/);
  });

  it('rejects what is not a compound file', () => {
    expect(() => readCompoundFile(Buffer.alloc(1024))).toThrow(CompoundFileError);
  });
});
