/**
 * An end-of-central-directory record whose comment length disagrees with where the file ends: bytes
 * appended after the archive (Go's `test-trailing-junk.zip`), or a comment cut short by a byte (Go's
 * `readme.zip`). yauzl refuses both ("Invalid comment length"); Info-ZIP's unzip, 7-Zip and Go's
 * archive/zip read the central directory the record points to. Here the record is believed only when
 * that directory ends exactly where the record starts (as every writer lays it out), which an end
 * record of a nested archive, found in the data of a cut outer one, cannot satisfy: its offsets are
 * relative to the inner archive. The archive is then read through a view that ends where the record
 * says the archive ends, and the disagreement is recorded.
 * Reference: APPNOTE.TXT 6.3.10 §4.3.16 (end of central directory record).
 */
import { readFully, type RandomRead } from './readers.js';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;

export interface EndRecordView {
  /** The archive as its end record bounds it. */
  reader: RandomRead;
  note: { code: 'ZIP_TRAILING_BYTES' | 'ZIP_COMMENT_CUT'; message: string };
}

/** A view of `base` ending where its last end record says the archive ends, or undefined when that record is not this archive's. */
export async function endRecordView(base: RandomRead): Promise<EndRecordView | undefined> {
  const tailStart = Math.max(0, base.size - (EOCD_BYTES + MAX_COMMENT));
  const tail = await readFully(base, tailStart, base.size - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      at = i;
      break;
    }
  if (at < 0) return undefined;
  const record = tailStart + at;
  const entries = tail.readUInt16LE(at + 10);
  const directoryBytes = tail.readUInt32LE(at + 12);
  const directoryAt = tail.readUInt32LE(at + 16);
  const comment = tail.readUInt16LE(at + 20);
  // ZIP64 archives keep their directory's place in another record: left to the reader's own error.
  if (entries === 0xffff || directoryAt === 0xffffffff || directoryBytes === 0xffffffff) return undefined;
  if (directoryAt + directoryBytes !== record) return undefined;
  const end = record + EOCD_BYTES + comment;
  if (end === base.size) return undefined;
  const present = base.size - record - EOCD_BYTES;
  const note: EndRecordView['note'] =
    end < base.size
      ? {
          code: 'ZIP_TRAILING_BYTES',
          message: `${base.size - end} byte(s) follow the end of the archive (its end record at offset ${record} and a ${comment}-byte comment); the central directory the record points to was read, as unzip and 7-Zip read it.`,
        }
      : {
          code: 'ZIP_COMMENT_CUT',
          message: `The end record at offset ${record} declares a ${comment}-byte comment, but the file ends ${present} byte(s) after it; the central directory the record points to was read, as unzip and 7-Zip read it (the missing comment bytes read as zeros).`,
        };
  return {
    note,
    reader: {
      size: end,
      async read(position, length) {
        const want = Math.max(0, Math.min(length, end - position));
        const real = Math.max(0, Math.min(want, base.size - position));
        const bytes = real > 0 ? await base.read(position, real) : Buffer.alloc(0);
        // Only the declared comment lies past the real end: the bytes the file lacks read as zeros.
        return bytes.length === want || position + bytes.length < base.size
          ? bytes
          : Buffer.concat([bytes, Buffer.alloc(want - bytes.length)]);
      },
    },
  };
}
