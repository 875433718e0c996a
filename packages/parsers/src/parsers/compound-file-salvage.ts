/**
 * What a compound file whose FAT, directory or mini stream cannot be followed
 * (cut short, carved, damaged) still shows: the streams the Office parsers
 * decide by, each found by its own signature at a 64-byte boundary — where
 * [MS-CFB] puts every sector and mini sector — and read from there to the end
 * of the bytes. The streams those parsers need first (the encryption header,
 * a workbook's first records, the Word FIB, the Current User atom) are a few
 * hundred bytes at the start of their stream, inside one sector.
 * Signatures: [MS-OFFCRYPTO] §2.3.4.5 (Standard EncryptionInfo: version x.2,
 * flags with fCryptoAPI and fAES repeated in the header), §2.3.5.1 (RC4
 * CryptoAPI header: the same without fAES) and §2.3.4.10 (Agile: version
 * 4.4, reserved 0x40, then the XML descriptor); [MS-DOC] §2.5.2 (FibBase:
 * wIdent 0xA5EC, nFib); [MS-XLS] §2.4.21 (BOF of the workbook globals, BIFF8
 * and BIFF5); [MS-PPT] §2.3.2 (CurrentUserAtom: record type 0x0FF6, size 0x14,
 * header token).
 */
import type { CompoundFile, CompoundStream } from './compound-file.js';

const BOUNDARY = 64;
const AGILE_HEADER = Buffer.from('0400040040000000', 'hex');
const XML_START = Buffer.from('<?xml');
const PPT_TOKENS = new Set([0xe391c05f, 0xf3d1c4df]);

/** A compound file read by signatures: `found` says where each stream was taken from. */
export interface SalvagedCompoundFile extends CompoundFile {
  found: Array<{ name: string; offset: number }>;
}

/**
 * A CryptoAPI encryption header (version 2-4.2, fCryptoAPI, the flags repeated in the header that follows):
 * with fAES, an OOXML package's Standard EncryptionInfo; without, the RC4 CryptoAPI header that opens an
 * encrypted Word document's table stream. Undefined when there is none at `at`.
 */
function cryptoApiHeader(b: Buffer, at: number): 'EncryptionInfo' | 'Table' | undefined {
  if (at + 20 > b.length) return undefined;
  const major = b.readUInt16LE(at);
  const flags = b.readUInt32LE(at + 4);
  const headerSize = b.readUInt32LE(at + 8);
  const valid =
    major >= 2 &&
    major <= 4 &&
    b.readUInt16LE(at + 2) === 2 &&
    (flags & 0x04) !== 0 &&
    headerSize >= 32 &&
    headerSize <= 1024 &&
    b.readUInt32LE(at + 12) === flags;
  if (!valid) return undefined;
  return (flags & 0x20) !== 0 ? 'EncryptionInfo' : 'Table';
}

const isAgileEncryptionInfo = (b: Buffer, at: number) =>
  b.subarray(at, at + 8).equals(AGILE_HEADER) && b.subarray(at + 8, at + 13).equals(XML_START);

function isFib(b: Buffer, at: number): boolean {
  if (at + 12 > b.length || b.readUInt16LE(at) !== 0xa5ec) return false;
  const nFib = b.readUInt16LE(at + 2);
  return nFib >= 0x65 && nFib <= 0x200;
}

/** The BOF record that opens a workbook's globals: BIFF8 (`Workbook`) or BIFF5 (`Book`), else undefined. */
function workbookAt(b: Buffer, at: number): 'Workbook' | 'Book' | undefined {
  if (at + 12 > b.length || b.readUInt16LE(at) !== 0x0809 || b.readUInt16LE(at + 6) !== 0x0005) return undefined;
  const len = b.readUInt16LE(at + 2);
  const vers = b.readUInt16LE(at + 4);
  if (len === 16 && vers === 0x0600) return 'Workbook';
  if (len === 8 && vers === 0x0500) return 'Book';
  return undefined;
}

function isCurrentUserAtom(b: Buffer, at: number): boolean {
  return (
    at + 16 <= b.length &&
    b.readUInt16LE(at) === 0 &&
    b.readUInt16LE(at + 2) === 0x0ff6 &&
    b.readUInt32LE(at + 8) === 0x14 &&
    PPT_TOKENS.has(b.readUInt32LE(at + 12))
  );
}

/** The streams found by signature, or undefined when none is. */
export function salvageCompoundFile(bytes: Buffer): SalvagedCompoundFile | undefined {
  const at = new Map<string, number>();
  const take = (name: string, offset: number) => {
    if (!at.has(name)) at.set(name, offset);
  };
  // The header sector holds none of them: start at the first sector.
  for (let o = 512; o + 16 <= bytes.length; o += BOUNDARY) {
    const header = isAgileEncryptionInfo(bytes, o) ? 'EncryptionInfo' : cryptoApiHeader(bytes, o);
    if (header === 'EncryptionInfo') take(header, o);
    else if (header === 'Table') {
      // Which of the two a document uses is in its FIB; either name reads the same bytes.
      take('0Table', o);
      take('1Table', o);
    } else if (isFib(bytes, o)) take('WordDocument', o);
    else if (isCurrentUserAtom(bytes, o)) take('Current User', o);
    else {
      const book = workbookAt(bytes, o);
      if (book) take(book, o);
    }
  }
  if (at.size === 0) return undefined;
  // The encrypted package follows its header; a presentation is what a Current User atom introduces.
  const implied = [
    ...(at.has('EncryptionInfo') ? ['EncryptedPackage'] : []),
    ...(at.has('Current User') ? ['PowerPoint Document'] : []),
  ];
  const streams: CompoundStream[] = [
    ...[...at].map(([name, offset]) => ({ name, size: bytes.length - offset, id: -1 })),
    ...implied.map((name) => ({ name, size: 0, id: -1 })),
  ];
  return {
    streams,
    found: [...at].map(([name, offset]) => ({ name, offset })),
    read(name, maxBytes) {
      const offset = at.get(name);
      return offset === undefined ? undefined : bytes.subarray(offset, offset + maxBytes);
    },
  };
}
