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
