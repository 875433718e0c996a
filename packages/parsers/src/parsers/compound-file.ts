/**
 * A bounded reader for OLE2 compound files (Microsoft Compound File Binary,
 * [MS-CFB]): header, DIFAT, FAT, mini FAT, the directory and stream bytes.
 * Written for hostile input: every sector chain is walked at most as far as
 * the file has sectors (or the stream its declared size), a sector reached
 * twice is a loop, the directory tree is walked with a visited set (a
 * sibling or child pointer back to an entry already seen is a cycle), and
 * every pointer outside the file is an error. Work is bounded by the bytes
 * given; a structure that loops throws CompoundFileError naming where.
 * References: [MS-CFB] §2.2 (header), §2.3 (DIFAT), §2.4 (FAT), §2.5 (mini
 * FAT), §2.6 (directory entries, red-black tree of siblings).
 */

import { structureProblems, type CompoundLayout } from './compound-file-check.js';

const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const MAX_REGULAR = 0xfffffffa;
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;
const HEADER_DIFAT = 109;
const DIR_ENTRY = 128;

export class CompoundFileError extends Error {
  readonly code = 'CFB_CORRUPT';
}

export interface CompoundStream {
  /** The stream's name (UTF-16 in the directory). */
  name: string;
  size: number;
  /** Directory entry index. */
  id: number;
}

export interface CompoundFile {
  /** Streams reachable from the root storage, in any storage, in directory-tree order. */
  streams: CompoundStream[];
  /** The first `maxBytes` of the first stream named `name`; undefined when there is none. */
  read(name: string, maxBytes: number): Buffer | undefined;
}

/** A compound file read by its directory, which can also say what in its structure breaks the format's rules. */
export interface ParsedCompoundFile extends CompoundFile {
  /** The first `limit` breaches of [MS-CFB] found over the whole structure (compound-file-check.ts), [] when none. */
  problems(limit: number): string[];
}

export interface DirEntry {
  name: string;
  /** The name's length in bytes as stored (with its terminating NUL; at most 64). */
  nameLength: number;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** Parses the structure of a compound file held in `bytes`; throws CompoundFileError when it is not one or loops. */
export function readCompoundFile(bytes: Buffer): ParsedCompoundFile {
  if (bytes.length < 512 || !bytes.subarray(0, 8).equals(SIGNATURE))
    throw new CompoundFileError('no compound-file signature');
  const shift = bytes.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw new CompoundFileError(`sector shift ${shift} (must be 9 or 12)`);
  const miniShift = bytes.readUInt16LE(0x20);
  if (miniShift !== 6) throw new CompoundFileError(`mini sector shift ${miniShift} (must be 6)`);
  const sectorSize = 1 << shift;
  const miniSize = 1 << miniShift;
  // Sectors the file really holds (the last may be cut short): no chain may name another.
  const sectorCount = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  const sector = (s: number) => bytes.subarray((s + 1) * sectorSize, (s + 2) * sectorSize);
  const perSector = sectorSize / 4;

  // DIFAT: 109 FAT sector numbers in the header, then a chain of DIFAT sectors (last slot = next).
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT; i++) fatSectors.push(bytes.readUInt32LE(0x4c + i * 4));
  const seenDifat = new Set<number>();
  for (let s = bytes.readUInt32LE(0x44); s <= MAX_REGULAR;) {
    if (s >= sectorCount)
      throw new CompoundFileError(`the DIFAT chain points outside the file (sector ${s} of ${sectorCount})`);
    if (seenDifat.has(s)) throw new CompoundFileError(`the DIFAT chain loops (sector ${s} is reached twice)`);
    seenDifat.add(s);
    const d = sector(s);
    for (let i = 0; i + 4 < d.length && i < (perSector - 1) * 4; i += 4) fatSectors.push(d.readUInt32LE(i));
    s = d.length >= sectorSize ? d.readUInt32LE(sectorSize - 4) : END_OF_CHAIN;
  }
  // FAT: the entries of every listed FAT sector that lies in the file (at most one FAT entry per file sector is needed).
  const fatParts: Buffer[] = [];
  let fatEntries = 0;
  for (const s of fatSectors) {
    if (s > MAX_REGULAR || fatEntries >= sectorCount) continue;
    if (s >= sectorCount)
      throw new CompoundFileError(`a FAT sector lies outside the file (sector ${s} of ${sectorCount})`);
    const part = sector(s);
    fatParts.push(part);
    fatEntries += Math.floor(part.length / 4);
  }
  const fatBytes = Buffer.concat(fatParts);
  const fatLength = Math.min(sectorCount, Math.floor(fatBytes.length / 4));
  const next = (s: number) => fatBytes.readUInt32LE(s * 4);

  /** Sector numbers of a FAT chain: at most `limit` of them, every one in the file, none twice. */
  function chain(start: number, limit: number, what: string): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== END_OF_CHAIN && s !== FREE && out.length < limit; s = next(s)) {
      if (s > MAX_REGULAR || s >= fatLength)
        throw new CompoundFileError(
          `the sector chain of ${what} points outside the file (sector ${s} of ${fatLength})`,
        );
      if (seen.has(s)) throw new CompoundFileError(`the sector chain of ${what} loops (sector ${s} is reached twice)`);
      seen.add(s);
      out.push(s);
    }
    return out;
  }
  const gather = (sectors: number[]) => Buffer.concat(sectors.map(sector));

  // Directory: a chain of 128-byte entries.
  const dirChain = chain(bytes.readUInt32LE(0x30), sectorCount, 'the directory');
  const dirBytes = gather(dirChain);
  const entryCount = Math.floor(dirBytes.length / DIR_ENTRY);
  const entry = (i: number): DirEntry => {
    const e = dirBytes.subarray(i * DIR_ENTRY, (i + 1) * DIR_ENTRY);
    const nameLength = Math.min(64, e.readUInt16LE(0x40));
    const size = shift === 9 ? e.readUInt32LE(0x78) : Number(e.readBigUInt64LE(0x78));
    return {
      name: e.subarray(0, Math.max(0, nameLength - 2)).toString('utf16le'),
      nameLength: e.readUInt16LE(0x40),
      type: e[0x42]!,
      left: e.readUInt32LE(0x44),
      right: e.readUInt32LE(0x48),
      child: e.readUInt32LE(0x4c),
      start: e.readUInt32LE(0x74),
      size,
    };
  };
  if (entryCount === 0) throw new CompoundFileError('the directory is empty');
  const root = entry(0);
  if (root.type !== 5)
    throw new CompoundFileError(`the first directory entry is not the root storage (type ${root.type})`);

  // The tree: children of each storage are a binary tree of siblings. Each entry may be reached once.
  const streams: CompoundStream[] = [];
  const entries = new Map<number, DirEntry>();
  const visited = new Set<number>([0]);
  const stack: number[] = [root.child];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === NO_STREAM) continue;
    if (id >= entryCount)
      throw new CompoundFileError(`a directory entry points outside the directory (entry ${id} of ${entryCount})`);
    if (visited.has(id)) throw new CompoundFileError(`the directory tree has a cycle (entry ${id} is reached twice)`);
    visited.add(id);
    const e = entry(id);
    entries.set(id, e);
    if (e.type === 2) streams.push({ name: e.name, size: e.size, id });
    stack.push(e.right, e.left);
    if (e.type === 1) stack.push(e.child);
  }

  // Mini stream (the root entry's chain) and mini FAT, read only when a small stream is asked for.
  const cutoff = bytes.readUInt32LE(0x38);
  let mini: { data: Buffer; fat: Buffer } | undefined;
  const miniParts = () => {
    mini ??= {
      data: gather(chain(root.start, Math.ceil(root.size / sectorSize), 'the mini stream')),
      fat: gather(chain(bytes.readUInt32LE(0x3c), Math.min(sectorCount, bytes.readUInt32LE(0x40)), 'the mini FAT')),
    };
    return mini;
  };

  const layout: CompoundLayout = {
    bytes,
    shift,
    sectorCount,
    fatLength,
    fatSectors,
    difatSectors: [...seenDifat],
    dirChain,
    next,
    entryCount,
    entry,
    visited,
  };
  return {
    streams,
    problems: (limit) => structureProblems(layout, limit),
    read(name, maxBytes) {
      const s = streams.find((x) => x.name === name);
      if (!s) return undefined;
      const e = entries.get(s.id)!;
      const want = Math.min(maxBytes, e.size);
      if (e.size < cutoff) {
        const { data, fat } = miniParts();
        const miniCount = Math.min(Math.floor(data.length / miniSize), Math.floor(fat.length / 4));
        const parts: Buffer[] = [];
        const seen = new Set<number>();
        let got = 0;
        // Walk as far as the declared size needs, so a loop inside it is seen even when fewer bytes are wanted.
        const need = Math.ceil(e.size / miniSize);
        for (let m = e.start; m !== END_OF_CHAIN && m !== FREE && seen.size < need; m = fat.readUInt32LE(m * 4)) {
          if (m > MAX_REGULAR || m >= miniCount)
            throw new CompoundFileError(
              `the mini sector chain of ${JSON.stringify(name)} points outside the mini stream (mini sector ${m} of ${miniCount})`,
            );
          if (seen.has(m))
            throw new CompoundFileError(
              `the mini sector chain of ${JSON.stringify(name)} loops (mini sector ${m} is reached twice)`,
            );
          seen.add(m);
          if (got < want) {
            parts.push(data.subarray(m * miniSize, (m + 1) * miniSize));
            got += miniSize;
          }
        }
        return Buffer.concat(parts).subarray(0, want);
      }
      const sectors = chain(e.start, Math.ceil(e.size / sectorSize), JSON.stringify(name));
      return gather(sectors.slice(0, Math.ceil(want / sectorSize))).subarray(0, want);
    },
  };
}
