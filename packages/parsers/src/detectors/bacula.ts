/**
 * Bacula and Bareos volumes (tape images and the storage daemon's file volumes). A volume is a chain of blocks,
 * each a 24-byte header (CRC-32, block length, block number, "BB02", session id and time; "BB01" blocks are
 * 16 bytes) and records of a 12-byte header (file index, stream, length) and data. The first block holds the
 * volume label ("Bacula 1.0 immortal" / "Bareos 2.0 immortal", file index -2 or -1). Data encryption ("PKI
 * Encryption" in the file daemon) leaves the file names and attributes (stream 1) clear and writes each file's
 * session key, wrapped for the client's (and master) public keys, as stream 22 and its data as streams 20, 21,
 * 23, 24, 25, 32 or 33: the stream numbers in the records say so, where libmagic sees only the label.
 * References: bacula src/stored/block.h, record.h, label.c; src/streams.h; src/lib/crypto.c.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, indexOf, locked, plain, u32be } from './util.js';

const LABEL_IDS = ['Bacula 1.0 immortal\n', 'Bareos 2.0 immortal\n', 'Bacula 0.9 mortal\n'];
/** Block header lengths by version magic (at offset 12). */
const HEADER: Record<string, number> = { BB02: 24, BB01: 16 };
const RECORD_HEADER = 12;
/** Record header of version 1 blocks carries the session too. */
const RECORD_HEADER_V1 = 20;
/** Stream ids whose data is encrypted; 22 is the wrapped session key. */
const ENCRYPTED_STREAMS = new Set([20, 21, 22, 23, 24, 25, 32, 33]);
/** The data streams a clear backup writes (file data, compressed, sparse, Win32, program, plugin). */
const CLEAR_DATA_STREAMS = new Set([2, 4, 6, 7, 9, 11, 12, 13, 27, 29, 30, 31]);
const MAX_BLOCK = 64 * 1024 * 1024;
/** AES-CBC OIDs in the session record (2.16.840.1.101.3.4.1.2 / .22 / .42). */
const AES_OIDS: Record<string, string> = { '02': 'aes-128-cbc', '16': 'aes-192-cbc', '2a': 'aes-256-cbc' };

const KEY_HINT: KeyHint = {
  description:
    "The private key of the file daemon's PKI Keypair (a PEM file named in its bacula-fd.conf), or of the PKI Master Key whose public key also wrapped the session keys.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/bacula-fd.conf', '**/bareos-fd.conf', '**/bareos-fd.d/**'],
};

interface Walk {
  label: string;
  blocks: number;
  streams: Map<number, number>;
  cipher: string | undefined;
}

/** Walks the blocks and records the head holds; undefined unless the first block is a labelled volume block. */
function walk(h: Uint8Array, size: number): Walk | undefined {
  const streams = new Map<number, number>();
  let label: string | undefined;
  let cipher: string | undefined;
  let at = 0;
  let blocks = 0;
  while (at + 24 <= h.length && blocks < 256) {
    const header = HEADER[ascii(h, at + 12, at + 16)];
    const length = u32be(h, at + 4)!;
    if (!header || length < header + RECORD_HEADER || length > MAX_BLOCK || at + length > size) break;
    const recordHeader = header === 24 ? RECORD_HEADER : RECORD_HEADER_V1;
    let r = at + header;
    const end = Math.min(at + length, h.length);
    while (r + recordHeader <= end) {
      const fileIndex = u32be(h, r + recordHeader - 12)! | 0;
      const stream = u32be(h, r + recordHeader - 8)! | 0;
      const len = u32be(h, r + recordHeader - 4)!;
      if (r + recordHeader + len > at + length)
        return blocks > 0 ? { label: label!, blocks, streams, cipher } : undefined;
      if (blocks === 0 && label === undefined) {
        if (fileIndex !== -2 && fileIndex !== -1) return undefined;
        const id = ascii(h, r + recordHeader, r + recordHeader + 20);
        label = LABEL_IDS.find((l) => id.startsWith(l));
        if (!label) return undefined;
      }
      if (fileIndex > 0) {
        const s = Math.abs(stream);
        streams.set(s, (streams.get(s) ?? 0) + 1);
        if (s === 22 && cipher === undefined) {
          const data = h.subarray(r + recordHeader, Math.min(h.length, r + recordHeader + len));
          const oid = indexOf(data, Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01]));
          if (oid >= 0 && oid + 11 <= data.length) cipher = AES_OIDS[data[oid + 10]!.toString(16).padStart(2, '0')];
        }
      }
      r += recordHeader + len;
    }
    if (label === undefined) return undefined;
    blocks++;
    at += length;
  }
  return label === undefined ? undefined : { label, blocks, streams, cipher };
}

export const baculaDetector = defineDetector({
  meta: {
    id: 'bacula',
    version: '1.0.0',
    title: 'Bacula/Bareos volumes, with PKI-encrypted data streams',
    formats: [
      { id: 'bacula-volume', name: 'Bacula/Bareos volume', status: 'analysable', how: 'structure' },
      {
        id: 'bacula-volume-encrypted',
        name: 'Bacula/Bareos volume (PKI-encrypted data)',
        status: 'encrypted',
        how: 'structure',
      },
    ],
    indexPatterns: ['**/bacula-fd.conf', '**/bareos-fd.conf', '**/bareos-fd.d/**'],
  },
  signatures: [
    { offset: 12, ascii: 'BB02' },
    { offset: 12, ascii: 'BB01' },
  ],
  minSize: 24 + RECORD_HEADER + 20,
  priority: 20,
  detect(probe): Detection | undefined {
    const w = walk(probe.head, probe.size);
    if (!w) return undefined;
    const encrypted = [...w.streams.keys()].filter((s) => ENCRYPTED_STREAMS.has(s));
    const clear = [...w.streams.keys()].filter((s) => CLEAR_DATA_STREAMS.has(s));
    const label = w.label.trim();
    const figures = {
      label,
      blocks: w.blocks,
      streams: [...w.streams.keys()].sort((a, b) => a - b).join(','),
    };
    if (encrypted.length > 0) {
      return locked({
        id: 'bacula-volume-encrypted',
        name: 'Bacula/Bareos volume (PKI-encrypted data)',
        confidence: 0.95,
        code: 'BACULA_ENCRYPTED_STREAMS',
        message: `A ${label.split(' ')[0]} volume ("${label}" label) whose records carry encrypted streams (${encrypted.join(', ')}: 22 is a session key wrapped for the client's public keys, the others file data${w.cipher ? ` under ${w.cipher.toUpperCase()}` : ''}); file names and attributes stay readable${clear.length > 0 ? `, and some data streams (${clear.join(', ')}) are clear` : ''}.`,
        figures: { ...figures, cipher: w.cipher ?? 'unknown' },
        scheme: `bacula-pki${w.cipher ? `-${w.cipher}` : ''}`,
        scope: clear.length > 0 ? 'partial' : 'full',
        keyHint: KEY_HINT,
      });
    }
    return plain('analysable', {
      id: 'bacula-volume',
      name: 'Bacula/Bareos volume',
      confidence: 0.9,
      code: 'BACULA_VOLUME',
      message: `A ${label.split(' ')[0]} volume: the "${label}" label record and ${w.blocks} block${w.blocks === 1 ? '' : 's'} of records read, no encrypted stream among them (bls and bextract read it).`,
      figures,
    });
  },
});
