/**
 * SSH protocol 1 RSA private keys ("SSH PRIVATE KEY FILE FORMAT 1.1"): OpenSSH's `identity` files (ssh-keygen
 * -t rsa1, before OpenSSH 7.4) and PuTTYgen's SSH-1 keys, still kept in old profiles. After the text signature
 * come a cipher number (0 none, 3 triple DES: the only two OpenSSH and PuTTY write), four reserved bytes, the
 * key's bit count, the public modulus and exponent (SSH-1 multiple-precision integers: a 16-bit bit count, then
 * the bytes) and the comment in clear; then the private part, encrypted with the passphrase's MD5 when the
 * cipher is not 0. That part opens with two check bytes written twice, which a clear key shows. libmagic
 * names the format, but not whether the passphrase is needed.
 * References: OpenSSH 7.3 sshkey.c (sshkey_private_rsa1_to_blob, sshkey_parse_private_rsa1); PuTTY sshpubk.c
 * (rsa1_load_s, rsa1_save_sb).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain } from './util.js';

const MAGIC = 'SSH PRIVATE KEY FILE FORMAT 1.1\n\0';
/** SSH-1 cipher numbers (SSH 1.5 protocol, "ciphers"). */
const CIPHERS: Record<number, string> = { 0: 'none', 1: 'IDEA', 2: 'DES', 3: '3DES', 6: 'Blowfish' };

/** The end of the SSH-1 integer at `at` (a 16-bit bit count, then its bytes), when its top byte agrees. */
function mpintEnd(b: Uint8Array, at: number, end: number): { end: number; bits: number } | undefined {
  if (at + 2 > end) return undefined;
  const bits = (b[at]! << 8) | b[at + 1]!;
  const bytes = Math.ceil(bits / 8);
  if (bits === 0 || at + 2 + bytes > end) return undefined;
  // The first byte holds the top bit the count names.
  if (32 - Math.clz32(b[at + 2]!) !== ((bits - 1) % 8) + 1) return undefined;
  return { end: at + 2 + bytes, bits };
}

export const ssh1PrivateKeyDetector = defineDetector({
  meta: {
    id: 'ssh1-private-key',
    version: '1.0.0',
    title: 'SSH protocol 1 RSA private keys (OpenSSH identity, PuTTYgen SSH-1): passphrase or not',
    formats: [
      {
        id: 'ssh1-private-key',
        name: 'SSH-1 RSA private key',
        status: 'analysable',
        how: 'header-field',
        extensions: ['key'],
      },
      {
        id: 'ssh1-private-key-encrypted',
        name: 'SSH-1 RSA private key, passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['key'],
      },
    ],
  },
  minSize: 48,
  maxSize: 65536,
  priority: 20,
  signatures: [{ offset: 0, hex: Buffer.from(MAGIC, 'latin1').toString('hex') }],
  detect(probe): Detection | undefined {
    const b = probe.head;
    const end = Math.min(b.length, probe.size);
    if (end < 48 || Buffer.from(b.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) return undefined;
    const cipherNumber = b[33]!;
    const cipher = CIPHERS[cipherNumber];
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (cipher === undefined || view.getUint32(34) !== 0) return undefined;
    const keyBits = view.getUint32(38);
    const n = mpintEnd(b, 42, end);
    const e = n && mpintEnd(b, n.end, end);
    if (!n || !e || n.bits !== keyBits || e.end + 4 > end) return undefined;
    const commentLength = view.getUint32(e.end);
    const privateAt = e.end + 4 + commentLength;
    if (commentLength > 1024 || privateAt + 8 > end) return undefined;
    const comment = Buffer.from(b.subarray(e.end + 4, privateAt)).toString('utf8');
    const figures = { cipher, bits: keyBits, comment: comment.slice(0, 80) };
    if (cipherNumber !== 0) {
      // The private part is whole 8-byte cipher blocks.
      if ((probe.size - privateAt) % 8 !== 0) return undefined;
      return locked({
        id: 'ssh1-private-key-encrypted',
        name: 'SSH-1 RSA private key, passphrase-protected',
        confidence: 0.95,
        code: 'SSH1_KEY_ENCRYPTED',
        message: `SSH-1 RSA private key (${keyBits} bits, comment "${figures.comment}") whose private part is encrypted with ${cipher} (cipher number ${cipherNumber}): it needs its passphrase.`,
        figures,
        scheme: `ssh1-${cipher.toLowerCase()}`,
        keyHint: { description: 'The SSH-1 key passphrase.', kind: 'password', present: 'unknown' },
      });
    }
    // In clear, the private part's first two bytes are repeated (the check a passphrase would be tested by).
    if (b[privateAt] !== b[privateAt + 2] || b[privateAt + 1] !== b[privateAt + 3]) return undefined;
    return plain('analysable', {
      id: 'ssh1-private-key',
      name: 'SSH-1 RSA private key',
      confidence: 0.95,
      code: 'SSH1_KEY_CLEAR',
      message: `SSH-1 RSA private key (${keyBits} bits, comment "${figures.comment}") with cipher number 0: the private part is in clear, its check bytes repeated as written.`,
      figures,
    });
  },
});
