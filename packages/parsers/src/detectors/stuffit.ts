/**
 * StuffIt archives (the classic Mac archiver), with the password protection
 * their headers declare. Classic archives (StuffIt 1.5 to 4.5: "SIT!" or an
 * installer's "STxx", and "rLau" at offset 10) hold 112-byte entry headers,
 * each with its own CRC-16; a fork compressed with the 0x80 bit in its method
 * byte is DES-encrypted with the archive password (a folder's 0x10 bit says it
 * holds such entries). StuffIt 5 archives (StuffIt 5 to 8: the 80-byte
 * "StuffIt (c)1997-… Aladdin Systems, Inc., http://www.aladdinsys.com/StuffIt/"
 * line) carry version 5 and a flags byte whose 0x80 bit marks an archive made
 * with a password. Either may sit behind a 128-byte MacBinary header (`.sit.bin`,
 * how Mac files travel over the web and mail) or in an AppleSingle file's
 * data fork (`.as`). StuffIt X (`.sitx`) is left to
 * libmagic: its layout is not published.
 * References: The Unarchiver (XADMaster) XADStuffItParser.m (entry header
 * offsets, StuffItEncryptedFlag 0x80, folder flags 0x20/0x21/0x10, CRC-16 with
 * the 0xA001 table) and its wiki page "StuffIt5Format" (version and flags at
 * 82/83); MacBinary II (128-byte header, data fork length at 83); RFC 1740
 * (AppleSingle: magic 0x00051600, entry 1 the data fork).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { crc16Arc } from './arc.js';
import { ascii, locked, passwordHint, plain, startsWith, u16be, u32be } from './util.js';

const V5_MAGIC = 'StuffIt (c)1997-';
const V5_TAIL = ' Aladdin Systems, Inc., http://www.aladdinsys.com/StuffIt/\r\n';
const ENTRY = 112;
const HINT = passwordHint('The StuffIt archive password.');

/** A classic archive header at `at`: "SIT!" or an installer's "ST" magic, then "rLau" at 10. */
function classicAt(h: Uint8Array, at: number): boolean {
  if (!startsWith(h, 'rLau', at + 10)) return false;
  if (startsWith(h, 'SIT!', at)) return true;
  const [a, b, c, d] = [h[at], h[at + 1], h[at + 2], h[at + 3]];
  const digit = (x: number | undefined) => x !== undefined && x >= 0x30 && x <= 0x39;
  return a === 0x53 && b === 0x54 && ((c === 0x69 && (d === 0x6e || digit(d))) || (digit(c) && digit(d)));
}

function v5At(h: Uint8Array, at: number): boolean {
  return startsWith(h, V5_MAGIC, at) && startsWith(h, V5_TAIL, at + 20);
}

/** The data fork's offset in an AppleSingle file (magic 0x00051600, version 1 or 2, entry 1), when it lies in the file. */
function appleSingleDataFork(h: Uint8Array, size: number): number | undefined {
  const version = u32be(h, 4);
  if (u32be(h, 0) !== 0x00051600 || (version !== 0x00010000 && version !== 0x00020000)) return undefined;
  const count = u16be(h, 24) ?? 0;
  for (let i = 0; i < Math.min(count, 32); i++) {
    const at = 26 + i * 12;
    if (u32be(h, at) !== 1) continue;
    const offset = u32be(h, at + 4) ?? 0;
    const length = u32be(h, at + 8) ?? 0;
    return offset >= 26 && offset + length <= size ? offset : undefined;
  }
  return undefined;
}

/**
 * Where the archive starts: at 0, in an AppleSingle file's data fork, or
 * after a MacBinary header whose fields hold (name length, zero bytes, data
 * fork inside the file).
 */
function archiveStart(h: Uint8Array, size: number): number | undefined {
  if (classicAt(h, 0) || v5At(h, 0)) return 0;
  const single = appleSingleDataFork(h, size);
  if (single !== undefined) return classicAt(h, single) || v5At(h, single) ? single : undefined;
  const nameLength = h[1] ?? 0;
  if (h[0] !== 0 || nameLength < 1 || nameLength > 63 || h[74] !== 0 || h[82] !== 0) return undefined;
  const dataFork = u32be(h, 83) ?? 0;
  if (dataFork === 0 || 128 + dataFork > size) return undefined;
  return classicAt(h, 128) || v5At(h, 128) ? 128 : undefined;
}

interface ClassicWalk {
  entries: number;
  folders: number;
  encrypted: number;
  /** Why the walk stopped before the archive's end, if it did inside the probe. */
  damaged?: string;
}

/** Walks the classic entry headers the probe holds, each checked by its CRC. */
function walkClassic(h: Uint8Array, base: number): ClassicWalk {
  const w: ClassicWalk = { entries: 0, folders: 0, encrypted: 0 };
  const end = base + (u32be(h, base + 6) ?? 0);
  let at = base + 22;
  for (let n = 0; n < 10_000 && at + ENTRY <= Math.min(h.length, end); n++) {
    // StuffIt checks its entry headers with CRC-16/ARC (reflected 0xA001, initial 0), as ARC does.
    if (crc16Arc(h.subarray(at, at + 110)) !== u16be(h, at + 110)) {
      w.damaged = `the entry header at ${at - base} fails its CRC`;
      return w;
    }
    const [rsrc, data] = [h[at]!, h[at + 1]!];
    const folder = (m: number) => m & ~0x90 & 0xff;
    if (folder(rsrc) === 0x20 || folder(data) === 0x20) {
      w.folders++;
      if ((rsrc | data) & 0x10) w.encrypted++;
      at += ENTRY;
      continue;
    }
    if (folder(rsrc) === 0x21 || folder(data) === 0x21) {
      at += ENTRY;
      continue;
    }
    w.entries++;
    const rsrcLength = u32be(h, at + 92)!;
    const dataLength = u32be(h, at + 96)!;
    if ((rsrc & 0x80 && rsrcLength > 0) || (data & 0x80 && dataLength > 0)) w.encrypted++;
    at += ENTRY + rsrcLength + dataLength;
  }
  return w;
}

export const stuffitDetector = defineDetector({
  meta: {
    id: 'stuffit',
    version: '1.0.0',
    title: 'StuffIt archives (classic and StuffIt 5) and their password protection',
    formats: [
      {
        id: 'stuffit',
        name: 'StuffIt archive',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-stuffit',
        extensions: ['sit', 'sea', 'bin'],
      },
      {
        id: 'stuffit-encrypted',
        name: 'StuffIt archive, password-protected',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/x-stuffit',
        extensions: ['sit', 'sea', 'bin'],
      },
    ],
  },
  minSize: 22,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const base = archiveStart(h, probe.size);
    if (base === undefined) return undefined;
    const wrapped =
      base === 0
        ? ''
        : u32be(h, 0) === 0x00051600
          ? ` in an AppleSingle file's data fork (at ${base})`
          : ` behind a MacBinary header ("${ascii(h, 2, 2 + (h[1] ?? 0))}")`;
    if (v5At(h, base)) {
      const version = h[base + 82];
      const flags = h[base + 83] ?? 0;
      if (version !== 5) return undefined;
      const figures = { version: 5, flags, offset: base };
      if (flags & 0x80)
        return locked({
          id: 'stuffit-encrypted',
          name: 'StuffIt archive, password-protected',
          mime: 'application/x-stuffit',
          confidence: 0.95,
          code: 'STUFFIT5_ENCRYPTED_FLAG',
          message: `StuffIt 5 archive${wrapped}: the archive header's flags byte (0x${flags.toString(16)}) has the encryption bit 0x80: made with a password.`,
          figures,
          scheme: 'stuffit5-password',
          keyHint: HINT,
        });
      return plain('analysable', {
        id: 'stuffit',
        name: 'StuffIt archive',
        mime: 'application/x-stuffit',
        confidence: 0.93,
        code: 'STUFFIT5_HEADER',
        message: `StuffIt 5 archive${wrapped}: version 5, flags 0x${flags.toString(16)} without the encryption bit.`,
        figures,
      });
    }
    const w = walkClassic(h, base);
    const figures = { entries: w.entries, folders: w.folders, encryptedEntries: w.encrypted, offset: base };
    if (w.encrypted > 0)
      return locked({
        id: 'stuffit-encrypted',
        name: 'StuffIt archive, password-protected',
        mime: 'application/x-stuffit',
        confidence: 0.95,
        code: 'STUFFIT_ENTRIES_ENCRYPTED',
        message: `Classic StuffIt archive${wrapped}: ${w.encrypted} of the ${w.entries + w.folders} entry header(s) read (each CRC-checked) mark a fork or folder encrypted (method bit 0x80, folder bit 0x10): DES with the archive password.`,
        figures,
        scheme: 'stuffit-des',
        scope: w.encrypted < w.entries ? 'partial' : 'full',
        keyHint: HINT,
      });
    return plain('analysable', {
      id: 'stuffit',
      name: 'StuffIt archive',
      mime: 'application/x-stuffit',
      confidence: w.entries > 0 && !w.damaged ? 0.93 : 0.8,
      code: 'STUFFIT_NOT_ENCRYPTED',
      message: `Classic StuffIt archive${wrapped}: ${w.entries} entry header(s) read, none marked encrypted${w.damaged ? `; ${w.damaged} (damaged), so later entries were not seen` : ''}.`,
      figures,
    });
  },
});
