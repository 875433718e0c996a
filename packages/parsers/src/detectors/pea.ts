/**
 * PEA archives (PeaZip's own "Pack, Encrypt, Authenticate" format), clear and encrypted.
 * Layout (PEA file format specification 1.x, PeaZip pea_utils.pas `pea_archive_hdr`/`pea_stream_hdr`):
 * a 10-byte archive header (0xEA, format version, revision, volume control algorithm, archive ECC 0,
 * OS, date encoding, character encoding, CPU, reserved 0), then a 10-byte stream header (two zero
 * bytes and "POD\0" marking a stream, compression, stream ECC 0, the stream control algorithm,
 * the object control algorithm). The stream control algorithm says whether the stream is
 * encrypted: EAX (AES, Twofish, Serpent; 128 or 256 bit) is authenticated encryption with a
 * password-derived key; checksums, hashes and HMAC (authentication only) leave the data clear.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, startsWith } from './util.js';

/** Stream control algorithms that encrypt (authenticated encryption in EAX mode). */
const ENCRYPTING: Record<number, string> = {
  0x31: 'aes-128-eax',
  0x32: 'twofish-128-eax',
  0x33: 'serpent-128-eax',
  0x41: 'aes-256-eax',
  0x42: 'twofish-256-eax',
  0x43: 'serpent-256-eax',
};
/** Stream control algorithms that leave the data clear: none, checksums, hashes, HMAC (authentication only). */
const CLEAR: Record<number, string> = {
  0x00: 'none',
  0x01: 'Adler-32',
  0x02: 'CRC-32',
  0x03: 'CRC-64',
  0x10: 'MD5',
  0x11: 'RIPEMD-160',
  0x12: 'SHA-1',
  0x13: 'SHA-256',
  0x14: 'SHA-512',
  0x15: 'Whirlpool',
  0x16: 'SHA3-256',
  0x17: 'SHA3-512',
  0x30: 'HMAC (authentication only)',
};
const POD = Buffer.from('0000504f4400', 'hex');

export const peaDetector = defineDetector({
  meta: {
    id: 'pea',
    version: '1.0.0',
    title: 'PEA archives (PeaZip), clear and encrypted',
    formats: [
      { id: 'pea', name: 'PEA archive', status: 'analysable', how: 'header-field', extensions: ['pea'] },
      {
        id: 'pea-encrypted',
        name: 'PEA archive (encrypted)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pea'],
      },
    ],
  },
  signatures: [{ offset: 10, hex: '0000504f4400' }],
  minSize: 20,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 0xea || !startsWith(h, POD, 10)) return undefined;
    const version = h[1]!;
    const revision = h[2]!;
    const compression = h[16]!;
    const stream = h[18]!;
    if (version < 1 || version > 2 || revision > 15 || h[4] !== 0 || h[17] !== 0 || compression > 15) return undefined;
    const figures = { version: `${version}.${revision}`, compression, streamControl: `0x${stream.toString(16)}` };
    const cipher = ENCRYPTING[stream];
    if (cipher) {
      return locked({
        id: 'pea-encrypted',
        name: 'PEA archive (encrypted)',
        confidence: 0.95,
        code: 'PEA_STREAM_ENCRYPTED',
        message: `PEA ${version}.${revision} header with a "POD" stream whose control algorithm 0x${stream.toString(16)} is ${cipher}: the stream (file names and contents) is encrypted with a password-derived key.`,
        figures,
        scheme: `pea-${cipher}`,
        keyHint: passwordHint('The PeaZip password (and keyfile, if one was used) the PEA archive was made with.'),
      });
    }
    const control = CLEAR[stream];
    if (!control) return undefined;
    return plain('analysable', {
      id: 'pea',
      name: 'PEA archive',
      confidence: 0.93,
      code: 'PEA_STREAM_CLEAR',
      message: `PEA ${version}.${revision} header with a "POD" stream whose control algorithm is ${control}: the archive is not encrypted.`,
      figures,
    });
  },
});
