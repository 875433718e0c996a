/**
 * `Manifest.mbdb`, the file list of iTunes backups made by iOS 5 to 9: "mbdb"
 * 5.0, then one record per domain entry. The list is clear even in an
 * encrypted backup (each record carries its file's wrapped key), so stored
 * files get domain paths either way. Stored name = SHA-1 of
 * "<domain>-<path>", kept flat in the backup folder.
 * Layout (libimobiledevice's mbdb reader, iphone-dataprotection): strings are
 * u16 BE length + bytes (0xFFFF: none): domain, path, link target, SHA-1,
 * wrapped key; then mode u16, inode u64, uid u32, gid u32, mtime, atime,
 * ctime u32, size u64, protection class u8, property count u8 and that many
 * name/value string pairs.
 */
import { createHash } from 'node:crypto';

/** One regular file listed in Manifest.mbdb. */
export interface MbdbFile {
  /** The stored file's name: SHA-1 of "<domain>-<path>", lowercase hex. */
  fileId: string;
  domain: string;
  path: string;
  /** Whether the record carries a wrapped key (the backup is encrypted). */
  wrappedKey: boolean;
}

/** What was read from a Manifest.mbdb. */
export interface MbdbRead {
  files: MbdbFile[];
  /** Why reading stopped before the end, if it did. */
  problem?: string;
}

const MAGIC = Buffer.from('mbdb\x05\x00', 'latin1');
const S_IFMT = 0xf000;
const S_IFREG = 0x8000;

/** Reads the records of a Manifest.mbdb; a damaged record ends the list with a problem (never a throw). */
export function readMbdb(bytes: Buffer, maxRecords = 1_000_000): MbdbRead {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    return { files: [], problem: 'no "mbdb" 5.0 header' };
  const files: MbdbFile[] = [];
  let at = MAGIC.length;
  const str = (): Buffer | null | undefined => {
    if (at + 2 > bytes.length) return undefined;
    const len = bytes.readUInt16BE(at);
    at += 2;
    if (len === 0xffff) return null;
    if (at + len > bytes.length) return undefined;
    const s = bytes.subarray(at, at + len);
    at += len;
    return s;
  };
  for (let n = 0; at < bytes.length; n++) {
    if (n >= maxRecords) return { files, problem: `more than ${maxRecords} records; the rest were not read` };
    const domain = str();
    const path = str();
    const link = str();
    const hash = str();
    const key = str();
    if (domain === undefined || path === undefined || link === undefined || hash === undefined || key === undefined)
      return { files, problem: `record ${n} is cut short` };
    if (at + 40 > bytes.length) return { files, problem: `record ${n} is cut short` };
    const mode = bytes.readUInt16BE(at);
    const properties = bytes[at + 39] ?? 0;
    at += 40;
    for (let i = 0; i < properties * 2; i++)
      if (str() === undefined) return { files, problem: `record ${n}'s properties are cut short` };
    if ((mode & S_IFMT) !== S_IFREG || !domain || !path) continue;
    const d = domain.toString('utf8');
    const p = path.toString('utf8');
    files.push({
      fileId: createHash('sha1').update(`${d}-${p}`, 'utf8').digest('hex'),
      domain: d,
      path: p,
      wrappedKey: key !== null && key.length > 0,
    });
  }
  return { files };
}
