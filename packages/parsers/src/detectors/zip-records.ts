/**
 * ZIP records read from a probe by the detectors that find a ZIP from its end
 * (zip-prefixed, zip-split-volume): where the probe's bytes from an offset are,
 * the end-of-central-directory record, and the directory entries' encryption bits.
 * Reference: PKWARE APPNOTE 6.3.10 §4.3.12 (central directory), §4.3.16 (end record).
 */
import { ascii, u16le, u32le } from './util.js';

export const EOCD_BYTES = 22;

type Probe = { head: Uint8Array; tail: Uint8Array; size: number };

/** The probe's bytes from absolute offset `at` to the end of the head or tail holding it, or undefined. */
export function bytesFrom(probe: Probe, at: number): Uint8Array | undefined {
  if (at >= 0 && at < probe.head.length) return probe.head.subarray(at);
  const tailStart = probe.size - probe.tail.length;
  if (probe.tail.length > 0 && at >= tailStart && at < probe.size) return probe.tail.subarray(at - tailStart);
  return undefined;
}

export interface EndOfCentralDirectory {
  /** Absolute offset of the record. */
  at: number;
  disk: number;
  directoryDisk: number;
  entriesHere: number;
  entries: number;
  directorySize: number;
  directoryOffset: number;
  /** Bytes after the record's comment (unzip tolerates them). */
  trailing: number;
}

/** Both fallback detectors look for the same record in the same bytes: search them once. */
const found = new WeakMap<Uint8Array, EndOfCentralDirectory | null>();

/** The last end-of-central-directory record whose comment fits, searched back through the last 64 KiB read. */
export function findEndOfCentralDirectory(probe: Probe): EndOfCentralDirectory | undefined {
  const end = probe.tail.length > 0 ? probe.tail : probe.head;
  const known = found.get(end);
  if (known !== undefined) return known ?? undefined;
  const record = searchEnd(end, probe.size - end.length);
  found.set(end, record ?? null);
  return record;
}

function searchEnd(end: Uint8Array, endStart: number): EndOfCentralDirectory | undefined {
  for (let pos = end.length - EOCD_BYTES; pos >= 0 && pos >= end.length - EOCD_BYTES - 0xffff; pos--) {
    if (end[pos] !== 0x50 || ascii(end, pos, pos + 4) !== 'PK\x05\x06') continue;
    const trailing = end.length - pos - EOCD_BYTES - u16le(end, pos + 20)!;
    if (trailing < 0) continue; // the comment must fit
    return {
      at: endStart + pos,
      disk: u16le(end, pos + 4)!,
      directoryDisk: u16le(end, pos + 6)!,
      entriesHere: u16le(end, pos + 8)!,
      entries: u16le(end, pos + 10)!,
      directorySize: u32le(end, pos + 12)!,
      directoryOffset: u32le(end, pos + 16)!,
      trailing,
    };
  }
  return undefined;
}

export interface DirectoryEntries {
  read: number;
  encrypted: number;
  /** An encrypted entry uses WinZip AES (method 99). */
  aes: boolean;
  /** The chain broke inside the bytes given (a record that is not a directory entry). */
  broken: boolean;
  /** The highest disk a member starts on (0xffff: in a ZIP64 extra field). */
  lastStartDisk: number;
}

/** Walks up to `max` central-directory entries from the start of `cd`, while they lie in it. */
export function readDirectoryEntries(cd: Uint8Array, max: number): DirectoryEntries {
  const out: DirectoryEntries = { read: 0, encrypted: 0, aes: false, broken: false, lastStartDisk: 0 };
  for (let at = 0; out.read < max && at + 46 <= cd.length; out.read++) {
    if (ascii(cd, at, at + 4) !== 'PK\x01\x02') {
      out.broken = true;
      break;
    }
    out.lastStartDisk = Math.max(out.lastStartDisk, u16le(cd, at + 34)!);
    if (u16le(cd, at + 8)! & 1) {
      out.encrypted++;
      if (u16le(cd, at + 10) === 99) out.aes = true;
    }
    at += 46 + u16le(cd, at + 28)! + u16le(cd, at + 30)! + u16le(cd, at + 32)!;
  }
  return out;
}
