/**
 * Whether a cabinet's file table covers its folders' data. 7-Zip (as `gcab -t` and `cabextract -l`) lists the
 * `cFiles` records the header counts and nothing more: a count set too low hides the members after it without a
 * word. A folder's uncompressed data is its files laid end to end (MS-CAB 2.3-2.5), and each data block states its
 * uncompressed size (`cbUncomp`), so the bytes no listed file covers are measured here from the cabinet's own
 * tables. Layout: [MS-CAB] Microsoft Cabinet Format, sections 2.1 (CFHEADER), 2.2 (CFFOLDER), 2.3 (CFFILE),
 * 2.4 (CFDATA). Read-only, bounded reads of the local file 7-Zip read.
 */
import fs from 'node:fs';
import { openReadOnly } from '@evtriage/core/helpers';

const PREV_CABINET = 0x0001;
const NEXT_CABINET = 0x0002;
const RESERVE_PRESENT = 0x0004;
/** Data blocks walked at most (a 1 GiB cabinet of 32 KiB blocks has about 32,000): past it nothing is said. */
const MAX_BLOCKS = 2_000_000;
/** Bytes of the header and tables read at most (65,535 file records of 16 bytes and a 256-byte name fit). */
const MAX_TABLE_BYTES = 20 * 1024 * 1024;
/** Names of hidden records quoted in the message at most. */
const MAX_NAMED = 5;

export interface CabShortfall {
  /** Uncompressed bytes of the folders that no listed file covers. */
  uncovered: number;
  /** File records found after the counted ones, before the first folder's data. */
  hidden: string[];
  message: string;
}

function readAt(fd: number, pos: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const got = fs.readSync(fd, buf, 0, length, pos);
  return buf.subarray(0, got);
}

/** A NUL-terminated string at `at`, or undefined when no NUL is found within `max` bytes. */
function cString(buf: Buffer, at: number, max: number): { text: string; end: number } | undefined {
  const nul = buf.indexOf(0, at);
  if (nul < 0 || nul - at > max) return undefined;
  return { text: buf.toString('latin1', at, nul), end: nul + 1 };
}

/**
 * The cabinet at byte `start` of `file`: undefined when its listed files cover every folder, when it is one of a
 * set (a folder may continue in another cabinet), or when its tables cannot be read (7-Zip says so itself).
 */
export function cabinetShortfall(file: string, start = 0): CabShortfall | undefined {
  // The evidence's own file when the cabinet is read in place: its access time must not move.
  const fd = openReadOnly(file);
  try {
    const size = fs.fstatSync(fd).size - start;
    const head = readAt(fd, start, 60);
    if (head.length < 36 || head.toString('latin1', 0, 4) !== 'MSCF') return undefined;
    const coffFiles = head.readUInt32LE(16);
    const cFolders = head.readUInt16LE(26);
    const cFiles = head.readUInt16LE(28);
    const flags = head.readUInt16LE(30);
    if (flags & (PREV_CABINET | NEXT_CABINET)) return undefined;
    let at = 36;
    let folderReserve = 0;
    let dataReserve = 0;
    if (flags & RESERVE_PRESENT) {
      if (head.length < 40) return undefined;
      at += 4 + head.readUInt16LE(36);
      folderReserve = head[38]!;
      dataReserve = head[39]!;
    }
    const foldersEnd = at + cFolders * (8 + folderReserve);
    if (foldersEnd > Math.min(size, MAX_TABLE_BYTES)) return undefined;
    const folderTable = readAt(fd, start, foldersEnd);
    const folders: { start: number; blocks: number }[] = [];
    for (let i = 0; i < cFolders; i++, at += 8 + folderReserve)
      folders.push({ start: folderTable.readUInt32LE(at), blocks: folderTable.readUInt16LE(at + 4) });
    // The file records lie between coffFiles and the first folder's data.
    const dataStart = Math.min(...folders.map((f) => f.start), size, MAX_TABLE_BYTES);
    if (coffFiles >= dataStart) return undefined;
    const table = readAt(fd, start, dataStart);
    const covered = new Array<number>(cFolders).fill(0);
    let pos = coffFiles;
    const hidden: string[] = [];
    for (let n = 0; pos + 16 < dataStart; n++) {
      const name = cString(table, pos + 16, 256);
      if (!name || name.end > dataStart) break;
      const folder = table.readUInt16LE(pos + 8);
      if (n < cFiles) {
        if (folder < cFolders) covered[folder]! += table.readUInt32LE(pos);
      } else if (folder < cFolders) hidden.push(name.text);
      else break;
      pos = name.end;
    }
    let uncovered = 0;
    let walked = 0;
    const lacking: string[] = [];
    for (const [i, f] of folders.entries()) {
      let total = 0;
      let block = f.start;
      for (let b = 0; b < f.blocks; b++) {
        if (++walked > MAX_BLOCKS) return undefined;
        const h = readAt(fd, start + block, 8);
        if (h.length < 8) return undefined;
        total += h.readUInt16LE(6);
        block += 8 + dataReserve + h.readUInt16LE(4);
      }
      if (covered[i]! < total) {
        uncovered += total - covered[i]!;
        lacking.push(`folder ${i}: ${total} bytes, ${covered[i]} listed`);
      }
    }
    if (uncovered === 0) return undefined;
    const named = hidden.length
      ? `; ${hidden.length} file record${hidden.length === 1 ? ' follows' : 's follow'} the counted ones (${hidden
          .slice(0, MAX_NAMED)
          .map((h) => JSON.stringify(h))
          .join(', ')}${hidden.length > MAX_NAMED ? ', …' : ''})`
      : '';
    return {
      uncovered,
      hidden,
      message: `the cabinet's header counts ${cFiles} file${cFiles === 1 ? '' : 's'} (cFiles), which 7-Zip lists, but its folders hold ${uncovered} uncompressed bytes no listed file covers (${lacking.join('; ')}; data blocks' cbUncomp summed)${named}: what those bytes hold (members the count leaves out, or data no member owns) is not in the manifest`,
    };
  } finally {
    fs.closeSync(fd);
  }
}
