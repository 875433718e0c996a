/**
 * A PowerPoint 97-2003 presentation cut short (carved, partly copied): what says it is encrypted, the Current
 * User stream's token and the CryptSession10Container, lies near the end of the file and is lost, and the FAT
 * that chains the sectors is usually there too. What is left in sight: the header, the directory's first sector
 * (the header names where it starts) and the first sector of each stream the directory names.
 * Two signs from the formats' own definitions, only read when the directory names a `PowerPoint Document`:
 * - an `EncryptedSummary` stream, which only documents encrypted with RC4 CryptoAPI hold: the document
 *   properties moved into it when they are encrypted ([MS-OFFCRYPTO] §2.3.5.4);
 * - the `PowerPoint Document` stream's first sector holds no record header that fits the stream (every record
 *   has one: [MS-PPT] §2.3.1 RecordHeader, its recLen within the stream), and its bytes are uniform: each
 *   persist object, the first one's header included, is RC4 ciphertext ([MS-PPT] §2.3.7).
 * References: [MS-CFB] §2.2 (header: sector shift at 0x1E, first directory sector at 0x30), §2.6 (directory
 * entry: name, name length, type, starting sector, stream size).
 */
import { randomnessFigures } from '@evtriage/core/helpers';

const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const DIR_ENTRY = 128;
const STREAM = 2;
/** Uniform when the chi-square's upper tail probability is above this (as sevenzip-cut-short.ts). */
const UNIFORM_P = 0.001;
/** The fewest bytes of a stream's first sector worth a uniformity test: a 512-byte sector. */
const MIN_TESTED = 512;

export interface CutShortPresentation {
  code: 'PPT_CUT_SHORT_ENCRYPTED_SUMMARY' | 'PPT_CUT_SHORT_UNIFORM_DOCUMENT';
  message: string;
  figures: Record<string, number | string>;
  /** The stream names the directory's first sector holds. */
  names: string[];
}

interface Entry {
  name: string;
  type: number;
  start: number;
  size: number;
}

/** The entries of the directory's first sector, when the header and that sector are in the bytes. */
function firstDirectorySector(b: Buffer): { entries: Entry[]; sectorSize: number } | undefined {
  if (b.length < 1024 || !b.subarray(0, 8).equals(SIGNATURE)) return undefined;
  const shift = b.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 1 << shift;
  const dirStart = b.readUInt32LE(0x30);
  if (dirStart > 0xfffffffa) return undefined;
  const at = (dirStart + 1) * sectorSize;
  if (at + sectorSize > b.length) return undefined;
  const entries: Entry[] = [];
  for (let e = at; e < at + sectorSize; e += DIR_ENTRY) {
    const nameLength = b.readUInt16LE(e + 0x40);
    const type = b[e + 0x42]!;
    if (type === 0) continue; // an unused entry
    if (nameLength < 2 || nameLength > 64 || nameLength % 2 !== 0 || type > 5) return undefined;
    const name = b.subarray(e, e + nameLength - 2).toString('utf16le');
    entries.push({ name, type, start: b.readUInt32LE(e + 0x74), size: b.readUInt32LE(e + 0x78) });
  }
  return entries[0]?.type === 5 ? { entries, sectorSize } : undefined; // the root storage is entry 0
}

/** A record header ([MS-PPT] §2.3.1) at the stream's start whose length fits the stream. */
function fittingRecordHeader(first: Buffer, streamSize: number): boolean {
  if (first.length < 8) return false;
  return first.readUInt32LE(4) <= streamSize - 8;
}

/** The verdict on a cut-short presentation, or undefined when what is in sight shows neither sign. */
export function cutShortPresentation(b: Buffer): CutShortPresentation | undefined {
  const dir = firstDirectorySector(b);
  const streams = dir?.entries.filter((e) => e.type === STREAM) ?? [];
  const doc = streams.find((e) => e.name === 'PowerPoint Document');
  if (!dir || !doc) return undefined;
  const names = streams.map((e) => e.name);
  const cut = `the file (${b.length} bytes) is cut short: its directory's first sector is in sight and names a PowerPoint Document stream of ${doc.size} bytes`;
  if (names.includes('EncryptedSummary')) {
    return {
      code: 'PPT_CUT_SHORT_ENCRYPTED_SUMMARY',
      message: `PowerPoint 97-2003 presentation; ${cut} beside an EncryptedSummary stream, which only a document encrypted with RC4 CryptoAPI holds (its properties encrypted, [MS-OFFCRYPTO] §2.3.5.4). The Current User stream and the encryption header were lost with the end.`,
      figures: { fileBytes: b.length, documentStreamBytes: doc.size, streams: names.join(', ') },
      names,
    };
  }
  // A stream of 4096 bytes or more lives in regular sectors ([MS-CFB] §2.5 cutoff); its first is at `start`.
  const at = (doc.start + 1) * dir.sectorSize;
  if (doc.size < 4096 || doc.start > 0xfffffffa || at >= b.length) return undefined;
  const first = b.subarray(at, Math.min(at + dir.sectorSize, at + doc.size, b.length));
  if (first.length < MIN_TESTED || fittingRecordHeader(first, doc.size)) return undefined;
  const f = randomnessFigures([first]);
  if (f.chiSquareP <= UNIFORM_P) return undefined;
  return {
    code: 'PPT_CUT_SHORT_UNIFORM_DOCUMENT',
    message: `PowerPoint 97-2003 presentation; ${cut}, whose first sector (offset ${at}) opens with no record header that fits the stream (declared record length ${first.readUInt32LE(4)}) and is uniform (chi-square p ${f.chiSquareP}, ${f.shannon} bits/byte over ${first.length} bytes): its records are RC4 ciphertext ([MS-PPT] §2.3.7). The Current User stream and the encryption header were lost with the end.`,
    figures: {
      fileBytes: b.length,
      documentStreamBytes: doc.size,
      documentOffset: at,
      chiSquareP: f.chiSquareP,
      shannon: f.shannon,
    },
    names,
  };
}
