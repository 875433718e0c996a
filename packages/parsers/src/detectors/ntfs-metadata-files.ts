/**
 * NTFS metadata files as triage tools export them (KAPE, Velociraptor, FTK Imager: `$MFT`,
 * `$LogFile`, `$UsnJrnl:$J` saved as `$J` or `$UsnJrnl%3A$J`, `$Secure:$SDS`). Each is file-system
 * metadata for an NTFS parser (MFTECmd, analyzeMFT, libfsntfs), not a general reader: opaque, and
 * never encrypted, whatever the statistics of a sparse or reset file say.
 * - $MFT/$MFTMirr: 1024- or 4096-byte "FILE" records (update sequence array at 0x30 or 0x2A, with
 *   record size / 512 + 1 entries), the next record also starting "FILE" (or "BAAD", or unused).
 * - $LogFile: two restart pages "RSTR" (system and log page size 4096), then "RCRD" record pages;
 *   after a clean reset the pages are all 0xFF bytes, which only the name tells apart.
 * - $UsnJrnl:$J: USN_RECORD_V2/V3 records (length a multiple of 8, major version 2 or 3, file name
 *   offset 60 or 76) after a sparse run of zeros that the export fills in.
 * - $I30 (a directory's index allocation): 4096-byte "INDX" records (update sequence at 0x28, 9
 *   entries), the index node header's entry offsets inside the record.
 * - $Secure:$SDS: security descriptor entries (hash, security id from 0x100, offset, length, then a
 *   self-relative descriptor, revision 1).
 * References: libyal/libfsntfs "New Technologies File System (NTFS)" (MFT entry, $LogFile, USN
 * change journal, $Secure); Microsoft "USN_RECORD_V2 structure".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16le, u32le, u64le } from './util.js';

const MFT = { id: 'ntfs-mft', name: 'NTFS master file table ($MFT)' };
const LOGFILE = { id: 'ntfs-logfile', name: 'NTFS journal ($LogFile)' };
const USN = { id: 'ntfs-usn-journal', name: 'NTFS change journal ($UsnJrnl:$J)' };
const SDS = { id: 'ntfs-secure-sds', name: 'NTFS security descriptors ($Secure:$SDS)' };
const INDX = { id: 'ntfs-index', name: 'NTFS directory index records ($I30 INDX)' };
const USN_NAME = /^(?:\$UsnJrnl(?:%3A|:|_|\.|-)?)?\$J$/i;
const SDS_NAME = /^(?:\$Secure(?:%3A|:|_|\.|-)?)?\$SDS$/i;

export const ntfsMetadataFilesDetector = defineDetector({
  meta: {
    id: 'ntfs-metadata-files',
    version: '1.0.0',
    title: 'NTFS metadata files exported by triage tools ($MFT, $LogFile, $UsnJrnl:$J, $Secure:$SDS)',
    formats: [
      { ...MFT, status: 'opaque', how: 'structure' },
      { ...LOGFILE, status: 'opaque', how: 'structure' },
      { ...USN, status: 'opaque', how: 'structure' },
      { ...SDS, status: 'opaque', how: 'structure' },
      { ...INDX, status: 'opaque', how: 'structure' },
    ],
  },
  minSize: 512,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = ascii(h, 0, 4);
    if (magic === 'FILE') return mft(h, probe.size, probe.name);
    if (magic === 'RSTR') return logFile(h, probe.name);
    if (magic === 'INDX') return indexRecords(h, probe.size);
    if (probe.name.charCodeAt(0) !== 0x24) return undefined; // the rest are known by their "$" names
    if (/^\$LogFile$/i.test(probe.name)) return resetLogFile(h);
    if (USN_NAME.test(probe.name)) return usnJournal(h, probe.size);
    if (SDS_NAME.test(probe.name)) return secureSds(h);
    return undefined;
  },
});

function mft(h: Uint8Array, size: number, name: string): Detection | undefined {
  const usaAt = u16le(h, 4) ?? 0;
  const usaCount = u16le(h, 6) ?? 0;
  const record = usaCount === 3 ? 1024 : usaCount === 9 ? 4096 : 0;
  if (!record || (usaAt !== 0x30 && usaAt !== 0x2a) || size % record !== 0) return undefined;
  // The allocated size of the record (at 0x1C) is the record size.
  if (u32le(h, 0x1c) !== record) return undefined;
  const next = record + 4 <= h.length ? ascii(h, record, record + 4) : undefined;
  const named = /^\$MFT(?:Mirr)?$/i.test(name);
  if (next !== undefined && next !== 'FILE' && next !== 'BAAD' && !named) return undefined;
  return plain('opaque', {
    ...MFT,
    confidence: next === 'FILE' || named ? 0.95 : 0.85,
    code: 'NTFS_MFT_RECORDS',
    message: `NTFS MFT: ${size / record} records of ${record} bytes ("FILE", update sequence at 0x${usaAt.toString(16)}): file-system metadata for an MFT parser; not encrypted.`,
    figures: { recordSize: record, records: size / record },
  });
}

function indexRecords(h: Uint8Array, size: number): Detection | undefined {
  if (u16le(h, 4) !== 0x28 || u16le(h, 6) !== 9 || size % 4096 !== 0) return undefined;
  // The index node header at 0x18: entries start after it and end within the 4096-byte record.
  const first = u32le(h, 0x18) ?? 0;
  const used = u32le(h, 0x1c) ?? 0;
  const allocated = u32le(h, 0x20) ?? 0;
  if (first < 0x10 || first > used || used > allocated || allocated !== 4096 - 0x18) return undefined;
  return plain('opaque', {
    ...INDX,
    confidence: 0.9,
    code: 'NTFS_INDX_RECORDS',
    message: `NTFS index records ("INDX", ${size / 4096} of 4096 bytes): a directory's $I30 index, entries (including deleted ones in the slack) for an index parser; not encrypted.`,
    figures: { records: size / 4096 },
  });
}

function logFile(h: Uint8Array, name: string): Detection | undefined {
  const system = u32le(h, 0x10);
  const log = u32le(h, 0x14);
  if (u16le(h, 4) !== 0x1e || system !== 4096 || (log !== 4096 && log !== 8192)) return undefined;
  const second = h.length >= 4100 ? ascii(h, 4096, 4100) : undefined;
  if (second !== undefined && second !== 'RSTR' && !/^\$LogFile$/i.test(name)) return undefined;
  return plain('opaque', {
    ...LOGFILE,
    confidence: 0.95,
    code: 'NTFS_LOGFILE_RESTART',
    message: `NTFS $LogFile: restart page "RSTR" (pages of ${system} bytes, log pages of ${log}) before the "RCRD" record pages: the file system's transaction journal; not encrypted.`,
    figures: { logPageSize: log },
  });
}

function resetLogFile(h: Uint8Array): Detection | undefined {
  // A journal reset by a clean unmount or by ntfs-3g: pages of 0xFF.
  if (h.length < 512 || !h.every((v) => v === 0xff)) return undefined;
  return plain('opaque', {
    ...LOGFILE,
    confidence: 0.8,
    code: 'NTFS_LOGFILE_RESET',
    message: `$LogFile whose first ${h.length} bytes are all 0xFF: an NTFS journal reset to empty pages; not a tape image or any other format.`,
  });
}

function usnJournal(h: Uint8Array, size: number): Detection | undefined {
  // Skip the sparse zeros an export writes in place of the journal's freed start (in 8-byte steps).
  let at = 0;
  while (at + 8 <= h.length && u64le(h, at) === 0) at += 8;
  if (at + 8 > h.length) {
    return plain('opaque', {
      ...USN,
      confidence: 0.7,
      code: 'NTFS_USN_SPARSE',
      message: `$J whose first ${h.length} bytes are zeros: the sparse start of an exported NTFS change journal (${size} bytes); records follow later.`,
    });
  }
  const length = u32le(h, at) ?? 0;
  const major = u16le(h, at + 4);
  const nameAt = u16le(h, at + (major === 3 ? 74 : 58));
  if (length % 8 !== 0 || length < 64 || length > 1024) return undefined;
  if (!((major === 2 && nameAt === 60) || (major === 3 && nameAt === 76))) return undefined;
  return plain('opaque', {
    ...USN,
    confidence: 0.9,
    code: 'NTFS_USN_RECORDS',
    message: `NTFS change journal: USN_RECORD_V${major} records${at ? ` after ${at} bytes of sparse zeros` : ''}: file-system change history for a USN parser; not encrypted.`,
    figures: { firstRecord: at, version: major },
  });
}

function secureSds(h: Uint8Array): Detection | undefined {
  const id = u32le(h, 4) ?? 0;
  const length = u32le(h, 16) ?? 0;
  if (id < 0x100 || u64le(h, 8) !== 0 || length < 20 + 20 || length > 65_536) return undefined;
  if (h[20] !== 1 || ((u16le(h, 22) ?? 0) & 0x8000) === 0) return undefined;
  return plain('opaque', {
    ...SDS,
    confidence: 0.9,
    code: 'NTFS_SDS_ENTRIES',
    message: `NTFS $Secure:$SDS: security descriptor entries (the first, id ${id}, ${length} bytes, a self-relative descriptor): file-system metadata; not encrypted.`,
    figures: { firstSecurityId: id },
  });
}
