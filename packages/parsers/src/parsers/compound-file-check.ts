/**
 * What in a compound file's structure breaks [MS-CFB]'s rules, over the whole file, not only the streams a
 * verdict reads: header counts that disagree with the chains they count (§2.2), a DIFAT slot past the FAT count
 * that is not free (§2.3), a sector claimed by two chains (§2.4: each sector belongs to one), a stream whose
 * chain ends before its declared size, points outside the file or loops (§2.4, §2.5), a mini stream larger than
 * its mini FAT can address, a directory entry of no known type, a name longer than 64 bytes, a stream with a
 * child (§2.6.1-2.6.3). Bounded: every sector and mini sector is claimed at most once, each chain stops at its
 * first sector outside, repeated or already claimed, so the work is at most the file's sectors plus its entries.
 */
import type { DirEntry } from './compound-file.js';

const MAX_REGULAR = 0xfffffffa;
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;
const MINI_CUTOFF = 4096;
const MINI_SECTOR = 64;

/** What the reader found while reading the directory, handed to the check. */
export interface CompoundLayout {
  bytes: Buffer;
  shift: number;
  /** Sectors the file holds. */
  sectorCount: number;
  /** FAT entries that lie in the file. */
  fatLength: number;
  /** FAT sector numbers, from the header's 109 slots then the DIFAT chain. */
  fatSectors: number[];
  difatSectors: number[];
  dirChain: number[];
  next(s: number): number;
  entryCount: number;
  entry(i: number): DirEntry;
  /** Directory entries reached from the root (the root, entry 0, included). */
  visited: Set<number>;
}

export function structureProblems(l: CompoundLayout, limit: number): string[] {
  const out: string[] = [];
  const say = (p: string) => {
    if (out.length < limit) out.push(p);
  };
  const b = l.bytes;
  const sectorSize = 1 << l.shift;
  const major = b.readUInt16LE(0x1a);
  if ((major === 3 && l.shift !== 9) || (major === 4 && l.shift !== 12) || (major !== 3 && major !== 4))
    say(`major version ${major} with ${sectorSize}-byte sectors (version 3 has 512, version 4 has 4,096)`);
  const cutoff = b.readUInt32LE(0x38);
  if (cutoff !== MINI_CUTOFF) say(`the mini stream cutoff is ${cutoff} (must be 4,096)`);

  // Header counts against the chains they count.
  const dirCount = b.readUInt32LE(0x28);
  if (l.shift === 9 ? dirCount !== 0 : dirCount !== l.dirChain.length)
    say(
      `the header counts ${dirCount} directory sectors (${l.shift === 9 ? 'must be 0 in version 3' : `the chain has ${l.dirChain.length}`})`,
    );
  const fatCount = b.readUInt32LE(0x2c);
  const listedFat = l.fatSectors.filter((s) => s <= MAX_REGULAR).length;
  if (fatCount !== listedFat) say(`the header counts ${fatCount} FAT sectors and the DIFAT lists ${listedFat}`);
  for (let i = Math.min(fatCount, 109); i < 109; i++) {
    const v = b.readUInt32LE(0x4c + 4 * i);
    if (v !== FREE) {
      say(`the header's DIFAT slot ${i} (past the ${fatCount} FAT sectors) holds ${v}, not FREESECT`);
      break;
    }
  }
  const difatCount = b.readUInt32LE(0x48);
  if (difatCount !== l.difatSectors.length)
    say(`the header counts ${difatCount} DIFAT sectors and the chain has ${l.difatSectors.length}`);

  // Every sector belongs to one chain: FAT and DIFAT sectors, the directory, the mini FAT, the mini stream, streams.
  const owner = new Map<number, string>();
  const claim = (s: number, what: string): boolean => {
    const had = owner.get(s);
    if (had !== undefined) {
      say(`sector ${s} belongs to both ${had} and ${what}`);
      return false;
    }
    owner.set(s, what);
    return true;
  };
  for (const s of l.fatSectors) if (s < l.sectorCount) claim(s, 'the FAT');
  for (const s of l.difatSectors) claim(s, 'the DIFAT');
  for (const s of l.dirChain) claim(s, 'the directory');
  const lastDir = l.dirChain[l.dirChain.length - 1];
  const afterDir = lastDir === undefined ? END_OF_CHAIN : l.next(lastDir);
  if (afterDir !== END_OF_CHAIN) say(`the directory's chain ends in ${afterDir}, not ENDOFCHAIN`);
  /** A FAT chain's sectors, claimed for `what`, stopping at the first sector outside, repeated or taken. */
  const walk = (start: number, what: string, need: number, quiet = false): number[] => {
    const got: number[] = [];
    for (let s = start; s !== END_OF_CHAIN && got.length < need; s = l.next(s)) {
      if (s > MAX_REGULAR || s >= l.fatLength) {
        say(`the chain of ${what} points outside the file (sector ${s === FREE ? 'FREESECT' : s})`);
        return got;
      }
      if (!claim(s, what)) return got;
      got.push(s);
    }
    if (got.length < need && !quiet)
      say(`the chain of ${what} ends after ${got.length} of the ${need} sectors its size needs`);
    return got;
  };
  const miniFatCount = b.readUInt32LE(0x40);
  const miniFat = walk(b.readUInt32LE(0x3c), 'the mini FAT', Math.min(miniFatCount, l.sectorCount + 1), true);
  if (miniFat.length !== miniFatCount)
    say(`the header counts ${miniFatCount} mini FAT sectors and the chain has ${miniFat.length}`);
  const root = l.entry(0);
  const miniChain = walk(root.start, 'the mini stream', Math.ceil(root.size / sectorSize));
  const miniEntries = (miniFat.length * sectorSize) / 4;
  const miniSectors = Math.ceil(root.size / MINI_SECTOR);
  if (miniSectors > miniEntries)
    say(`the mini stream holds ${miniSectors} mini sectors and its mini FAT addresses ${miniEntries}`);
  const miniNext = (m: number): number => {
    const at = Math.floor((m * 4) / sectorSize);
    const s = miniFat[at];
    const at4 = s === undefined ? b.length : (s + 1) * sectorSize + ((m * 4) % sectorSize);
    return at4 + 4 > b.length ? FREE : b.readUInt32LE(at4);
  };
  // Mini sectors a stream may use: those the root entry's size declares, its chain holds and the mini FAT maps.
  const miniCount = Math.min(miniEntries, miniSectors, (miniChain.length * sectorSize) / MINI_SECTOR);
  const miniOwner = new Map<number, string>();

  const ids = [...l.visited].sort((a, c) => a - c);
  for (const id of ids) {
    if (out.length >= limit) break;
    const e = l.entry(id);
    const what = `stream ${JSON.stringify(e.name)} (entry ${id})`;
    if (e.nameLength > 64 || e.nameLength % 2 !== 0)
      say(`entry ${id}'s name length is ${e.nameLength} bytes (at most 64, even)`);
    if (id === 0) continue;
    if (e.type !== 1 && e.type !== 2) {
      say(`entry ${id} is reached from the root and has type ${e.type} (1 storage, 2 stream)`);
      continue;
    }
    if (e.type !== 2) continue;
    if (e.child !== NO_STREAM) say(`${what} has a child (${e.child}); only storages have one`);
    if (e.size === 0) {
      // An empty stream has no chain (§2.6.3): a start sector means bytes its size denies (0 is let pass: writers differ).
      if (e.start !== END_OF_CHAIN && e.start !== 0)
        say(`${what} declares 0 bytes and starts at sector ${e.start} (an empty stream starts at ENDOFCHAIN)`);
      continue;
    }
    if (e.size >= cutoff) {
      walk(e.start, what, Math.ceil(e.size / sectorSize));
      continue;
    }
    const need = Math.ceil(e.size / MINI_SECTOR);
    let got = 0;
    let stopped = false;
    for (let m = e.start; m !== END_OF_CHAIN && got < need && !stopped; m = miniNext(m)) {
      const had = miniOwner.get(m);
      if (m > MAX_REGULAR || m >= miniCount) {
        say(
          `the mini chain of ${what} points outside the mini stream (mini sector ${m === FREE ? 'FREESECT' : m} of ${miniCount})`,
        );
        stopped = true;
      } else if (had !== undefined) {
        say(`mini sector ${m} belongs to both ${had} and ${what}`);
        stopped = true;
      } else {
        miniOwner.set(m, what);
        got++;
      }
    }
    if (!stopped && got < need)
      say(`the mini chain of ${what} ends after ${got} of the ${need} mini sectors its size needs`);
  }
  return out;
}
