/**
 * AFF (Advanced Forensic Format, AFFLIB v3; also what Guymager writes)
 * evidence images, clear or with encrypted segments. Every segment carries
 * its name in clear; AFFLIB encrypts a segment with AES-256 and appends
 * "/aes256" to its name, and keeps the image key wrapped by a passphrase in
 * "affkey_aes256" or by X.509 certificates in "affkey_evp<N>".
 * Layout (big-endian): the file header "AFF10\r\n\0"; then segments, each
 * "AFF\0", name length (u32), data length (u32), flag (u32), the name, the
 * data, and the tail "ATT\0" with the whole segment's length (u32).
 * References: AFFLIB lib/afflib_i.h (AF_HEADER, AF_SEGHEAD, AF_SEGTAIL,
 * AF_AES256_SUFFIX, AF_AFFKEY, AF_AFFKEY_EVP), lib/crypto.cpp; affcrypto(1).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, startsWith, u32be } from './util.js';

const FILE_HEADER = 'AFF10\r\n\0';
const SEGMENT_HEAD = 'AFF\0';
const SEGMENT_TAIL = 'ATT\0';
/** AF_MAX_NAME_LEN in afflib.h. */
const MAX_NAME = 64;
const ENCRYPTED_SUFFIX = '/aes256';

interface Walk {
  /** Names of the segments read, in file order (the last one's data may run past the probe). */
  names: string[];
  /** Why the walk stopped: the end of the probe or of the file, or bytes that are not a segment. */
  end: 'probe' | 'file' | 'bad-segment';
}

/** Reads the segments after the file header as far as the head allows. */
function walk(h: Uint8Array, complete: boolean): Walk {
  const names: string[] = [];
  let at = FILE_HEADER.length;
  while (names.length < 4096) {
    if (at === h.length && complete) return { names, end: 'file' };
    if (at + 16 > h.length) return { names, end: 'probe' };
    if (!startsWith(h, SEGMENT_HEAD, at)) return { names, end: 'bad-segment' };
    const nameLength = u32be(h, at + 4)!;
    const dataLength = u32be(h, at + 8)!;
    if (nameLength === 0 || nameLength > MAX_NAME) return { names, end: 'bad-segment' };
    const name = ascii(h, at + 16, Math.min(h.length, at + 16 + nameLength));
    if (name.length < nameLength) return { names, end: 'probe' };
    if (!/^[\x21-\x7e]+$/.test(name)) return { names, end: 'bad-segment' };
    const tail = at + 16 + nameLength + dataLength;
    if (tail + 8 > h.length) {
      // The name is read; the data runs past the probe.
      names.push(name);
      return { names, end: 'probe' };
    }
    if (!startsWith(h, SEGMENT_TAIL, tail) || u32be(h, tail + 4) !== tail + 8 - at)
      return { names, end: 'bad-segment' };
    names.push(name);
    at = tail + 8;
  }
  return { names, end: 'probe' };
}

export const affDetector = defineDetector({
  meta: {
    id: 'aff',
    version: '1.0.0',
    title: 'AFF (Advanced Forensic Format) evidence images and their encrypted segments',
    formats: [
      {
        id: 'aff',
        name: 'AFF evidence image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['aff'],
      },
      {
        id: 'aff-encrypted',
        name: 'AFF evidence image, encrypted segments',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['aff'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '41464631300d0a00' }],
  minSize: 24,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, FILE_HEADER)) return undefined;
    const r = walk(h, probe.complete);
    if (r.names.length === 0) return undefined;
    const encrypted = r.names.filter((n) => n.endsWith(ENCRYPTED_SUFFIX));
    const passphraseKey = r.names.includes('affkey_aes256');
    const certificateKeys = r.names.filter((n) => /^affkey_evp\d+$/.test(n)).length;
    const figures = {
      segments: r.names.length,
      encryptedSegments: encrypted.length,
      passphraseKey,
      certificateKeys,
      walkEnd: r.end,
    };
    const read = `${r.names.length} segment(s) read (walk ended at: ${r.end})`;
    if (encrypted.length > 0 || passphraseKey || certificateKeys > 0) {
      const wrapped = [
        passphraseKey ? 'a passphrase ("affkey_aes256")' : '',
        certificateKeys > 0 ? `${certificateKeys} certificate(s) ("affkey_evp")` : '',
      ].filter(Boolean);
      return locked({
        id: 'aff-encrypted',
        name: 'AFF evidence image, encrypted segments',
        confidence: 0.97,
        code: 'AFF_ENCRYPTED_SEGMENTS',
        message: `AFF image: ${encrypted.length} of ${read} are named "…${ENCRYPTED_SUFFIX}" (AES-256 encrypted)${wrapped.length > 0 ? `; the image key is wrapped by ${wrapped.join(' and ')}` : ''}.`,
        figures,
        scheme: 'aff-aes256',
        keyHint: {
          description:
            certificateKeys > 0 && !passphraseKey
              ? 'The private key of a certificate the image was encrypted to (affcrypto -K).'
              : 'The image passphrase (AFFLIB_PASSPHRASE, affcrypto -p), or the private key of a certificate it was encrypted to.',
          kind: certificateKeys > 0 && !passphraseKey ? 'key-file' : 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'aff',
      name: 'AFF evidence image',
      confidence: 0.95,
      code: 'AFF_SEGMENTS',
      message: `AFF image: file header "AFF10", ${read}, none encrypted (no "${ENCRYPTED_SUFFIX}" segment, no image key).`,
      figures,
    });
  },
});
