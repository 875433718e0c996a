/**
 * LG Backup files (`.lbf`, LG Bridge / the phone's LG Backup app): the backed-up
 * items stored one after another in clear, then an XML header listing them
 * (category, file name, start offset, size), encrypted with AES-256-ECB under
 * SHA-256 of a fixed key in LG's app (published by reverse engineering), and
 * a 33-byte trailer: SHA-1 of the lock password (20 bytes), the header's
 * offset (u64 BE), its size (u32 BE) and a lock flag. The "lock" is a
 * password check against a hash kept in the file; the items are not
 * encrypted, and the header's key is public: obfuscation, not encryption.
 * A container only LG's tools and reverse-engineered extractors read: opaque.
 * Reference: the public lbf extractor scripts (ENC_KEY, readHeader).
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32be, u64be } from './util.js';

const TRAILER = 33;
const HEADER_KEY = createHash('sha256').update('cd562f61-5399-3978-ac76-7c54b0508010').digest();
const MAX_HEADER = 10 * 1024 * 1024;

function decryptBlocks(blocks: Uint8Array): Buffer {
  const d = createDecipheriv('aes-256-ecb', HEADER_KEY, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(blocks), d.final()]);
}

/** The bytes at a file offset when the probe's head or tail holds them. */
function bytesAt(probe: { head: Uint8Array; tail: Uint8Array; size: number }, at: number, n: number) {
  if (at + n <= probe.head.length) return probe.head.subarray(at, at + n);
  const tailStart = probe.size - probe.tail.length;
  if (probe.tail.length > 0 && at >= tailStart && at + n <= probe.size)
    return probe.tail.subarray(at - tailStart, at - tailStart + n);
  return undefined;
}

export const lgBackupDetector = defineDetector({
  meta: {
    id: 'lg-backup',
    version: '1.0.0',
    title: 'LG Backup files (.lbf)',
    formats: [{ id: 'lg-backup', name: 'LG Backup file', status: 'opaque', how: 'header-field', extensions: ['lbf'] }],
  },
  minSize: TRAILER + 16,
  priority: 30,
  detect(probe): Detection | undefined {
    // No magic number: the extension picks the candidates, the header's decryption under LG's key confirms.
    if (probe.extension !== 'lbf') return undefined;
    const end = probe.size;
    const trailer = bytesAt(probe, end - TRAILER, TRAILER);
    if (!trailer) return undefined;
    const offset = u64be(trailer, 20);
    const size = u32be(trailer, 28) ?? 0;
    const lock = trailer[32] ?? 0;
    if (offset === undefined || size < 16 || size > MAX_HEADER || size % 16 !== 0 || lock > 1) return undefined;
    if (offset + size > end - TRAILER) return undefined;
    let confirmed: string | undefined;
    const first = bytesAt(probe, offset, 16);
    if (first) {
      const text = decryptBlocks(first)
        .toString('latin1')
        .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
      if (/^\s*</.test(text)) confirmed = 'its first block decrypts to XML';
    }
    const last = confirmed ? undefined : bytesAt(probe, offset + size - 16, 16);
    if (last) {
      const block = decryptBlocks(last);
      const pad = block[15] ?? 0;
      const padded = pad >= 1 && pad <= 16 && block.subarray(16 - pad).every((b) => b === pad);
      if (padded && /> *\s*$/.test(block.subarray(0, 16 - pad).toString('latin1')))
        confirmed = 'its last block decrypts to the end of an XML document with PKCS#5 padding';
    }
    if (!confirmed) return undefined;
    const locked = lock === 1;
    return plain('opaque', {
      id: 'lg-backup',
      name: 'LG Backup file',
      confidence: 0.95,
      code: 'LG_BACKUP_HEADER',
      message:
        `LG Backup trailer: a ${size}-byte item header at offset ${offset}, encrypted with AES-256-ECB under LG's published fixed key (${confirmed}); ` +
        (locked
          ? 'lock flag set: the lock password is only checked against the SHA-1 kept in the trailer, the backed-up items are stored in clear.'
          : 'not locked; the backed-up items are stored in clear.'),
      figures: { headerOffset: offset, headerSize: size, locked },
    });
  },
});
