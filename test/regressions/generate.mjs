/**
 * Regression inputs too large to commit as bytes, written from their layout.
 * - writeCorruptGzip: a GZIP member header (RFC 1952 §2.3: 1f 8b, CM 8, no
 *   flags) followed by zero bytes. The first DEFLATE block header is then
 *   BFINAL 0, BTYPE 00 (stored) with LEN 0 and NLEN 0, which RFC 1951 §3.2.4
 *   forbids (NLEN must be LEN's complement): zlib fails with "invalid stored
 *   block lengths" at once, while megabytes of input remain to be read. This
 *   is /work/shared/regressions/folder-gz-EBADF/x.gz (4 MiB) byte for byte.
 */
import fs from 'node:fs';

/** Writes `size` bytes: a GZIP header then zeros. */
export function writeCorruptGzip(file, size) {
  const bytes = Buffer.alloc(size);
  bytes.set([0x1f, 0x8b, 0x08]);
  fs.writeFileSync(file, bytes);
}

/**
 * Writes a ZIP (PKWARE APPNOTE 6.3.10 §4.3.7 local header, §4.3.12 central
 * directory record, §4.3.14-16 ZIP64 end records and end record) whose central
 * directory holds `records` records, all for one empty stored member at offset
 * 0: named `a` each (`sameName`) or `0000000`, `0000001`, .... With
 * `descending`, each record points at its own offset instead, falling through
 * the directory (only the first has a local header). With `damageAt`, the
 * record of that index has a bad signature (the directory is cut there).
 * `unzip -l` lists them all.
 */
export function writeZipDirectory(file, { records, sameName = false, descending = false, damageAt = -1 }) {
  const u16 = (v) => Buffer.from([v & 0xff, (v >>> 8) & 0xff]);
  const u32 = (v) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return b;
  };
  const u64 = (v) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  };
  const zeros = (n) => Buffer.alloc(n);
  const local = Buffer.concat([u32(0x04034b50), u16(10), zeros(20), u16(1), u16(0), Buffer.from('a')]);
  const parts = [];
  for (let i = 0; i < records; i++) {
    const name = Buffer.from(sameName ? 'a' : String(i).padStart(7, '0'));
    const offset = descending ? (records - 1 - i) * 64 : 0;
    const sig = i === damageAt ? 0x02014b51 : 0x02014b50;
    parts.push(u32(sig), u16(20), u16(10), zeros(20), u16(name.length), zeros(12), u32(offset), name);
  }
  const directory = Buffer.concat(parts);
  const end64At = local.length + directory.length;
  const end64 = Buffer.concat([
    u32(0x06064b50),
    u64(44),
    u16(45),
    u16(45),
    u32(0),
    u32(0),
    u64(records),
    u64(records),
    u64(directory.length),
    u64(local.length),
  ]);
  const locator = Buffer.concat([u32(0x07064b50), u32(0), u64(end64At), u32(1)]);
  const end = Buffer.concat([
    u32(0x06054b50),
    zeros(4),
    u16(0xffff),
    u16(0xffff),
    u32(0xffffffff),
    u32(0xffffffff),
    u16(0),
  ]);
  fs.writeFileSync(file, Buffer.concat([local, directory, end64, locator, end]));
}
