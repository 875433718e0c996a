/**
 * lrzip (Long Range ZIP, `.lrz`) files, with the encryption flag the header
 * keeps in clear. lrzip output is compressed and looks random, so without
 * this header it is taken for ciphertext; with it, the flag decides.
 * Layout (lrzip's doc/magic.header.txt): "LRZI", major version (0), minor
 * version; from 0.6: bytes 6-13 the expanded size (little-endian) or, when
 * encrypted, the 8-byte salt whose first two bytes encode the key-hashing
 * loop count; bytes 16-20 the LZMA properties (0 when LZMA is not used);
 * byte 21 the MD5-stored flag (lrzip-next: the hash type); byte 22 the
 * encryption flag (0 none; 1 AES-128 in lrzip, lrzip-next also 2 AES-256).
 * Before 0.6 the header had no encryption field (lrzip could not encrypt).
 * References: lrzip doc/magic.header.txt; lrzip-next magic header notes.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, startsWith, u64le } from './util.js';

const MAX_MINOR = 15;
/** LZMA properties byte: lc + lp * 9 + pb * 45 with pb <= 4, so below 225. */
const MAX_LZMA_PROPS = 225;

export const lrzipDetector = defineDetector({
  meta: {
    id: 'lrzip',
    version: '1.0.0',
    title: 'lrzip compressed files, with their encryption flag',
    formats: [
      {
        id: 'lrzip',
        name: 'lrzip compressed file',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-lrzip',
        extensions: ['lrz', 'tlrz'],
      },
      {
        id: 'lrzip-encrypted',
        name: 'lrzip compressed file, encrypted',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['lrz', 'tlrz'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'LRZI' }],
  minSize: 24,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'LRZI') || h.length < 24) return undefined;
    const major = h[4]!;
    const minor = h[5]!;
    if (major !== 0 || minor === 0 || minor > MAX_MINOR) return undefined;
    const version = `${major}.${minor}`;
    if (minor < 6) {
      return plain('analysable', {
        id: 'lrzip',
        name: 'lrzip compressed file',
        mime: 'application/x-lrzip',
        confidence: 0.85,
        code: 'LRZIP_HEADER',
        message: `lrzip header "LRZI", format version ${version}: versions before 0.6 have no encryption; compressed, not encrypted.`,
        figures: { major, minor },
      });
    }
    const props = h[16]!;
    const hash = h[21]!;
    const encryption = h[22]!;
    // Several fields together: a file starting "LRZI" by chance fails one of these.
    if (props >= MAX_LZMA_PROPS || hash > 15 || encryption > 3) return undefined;
    if (encryption > 0) {
      const salt = Buffer.from(h.subarray(6, 14)).toString('hex');
      return locked({
        id: 'lrzip-encrypted',
        name: 'lrzip compressed file, encrypted',
        confidence: 0.95,
        code: 'LRZIP_ENCRYPTED_FLAG',
        message: `lrzip header "LRZI", format version ${version}: the encryption flag (byte 22) is ${encryption}; bytes 6-13 hold the salt ${salt} instead of the size; the stream is encrypted with a key from the passphrase (lrzip -e).`,
        figures: { major, minor, encryptionFlag: encryption, hashType: hash },
        scheme: encryption === 2 ? 'lrzip-aes-256' : 'lrzip-aes-128',
        keyHint: passwordHint('The lrzip passphrase (lrzip -e).'),
      });
    }
    const expanded = u64le(h, 6);
    if (expanded === undefined) return undefined;
    return plain('analysable', {
      id: 'lrzip',
      name: 'lrzip compressed file',
      mime: 'application/x-lrzip',
      confidence: 0.93,
      code: 'LRZIP_NOT_ENCRYPTED',
      message: `lrzip header "LRZI", format version ${version}: the encryption flag (byte 22) is 0, ${expanded} bytes expanded${props ? `, LZMA properties 0x${props.toString(16)}` : ''}; compressed, not encrypted.`,
      figures: { major, minor, expandedSize: expanded, lzmaProperties: props, hashType: hash },
    });
  },
});
