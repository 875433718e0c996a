/**
 * Mails and attachments Dovecot stores encrypted with its mail_crypt plugin
 * (or the crypt fs driver): the stream opens with the magic
 * "CRYPTED\x03\x07" and a version byte. Version 2 (written since 2.2.23)
 * follows with big-endian flags (1 HMAC, 2 AEAD, 4 no integrity) and header
 * length, then the cipher's DER object identifier; the data key is wrapped
 * for the user's or the installation's public key, so the mail body needs
 * that private key (which mail_crypt may itself keep encrypted under the
 * user's password). Version 1 (2.2.x before 2.2.23) is named by its magic
 * and version only. In sdbox/mdbox storage files the stream follows the dbox
 * file header ("2 M.. C..") and the first message's header (\x01\x02N, its
 * size in hex); those and the dbox metadata stay clear, so the scope is partial.
 * References: Dovecot 2.3 src/lib-dcrypt/dcrypt-iostream.h (magic, flags) and
 * istream-decrypt.c (header reader); fixture made by dovecot-lda with
 * mail_crypt global keys (fixtures/dovecot-mail-crypt/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked } from './util.js';

const MAGIC = Buffer.from('CRYPTED\x03\x07', 'latin1');
const FLAG_NAMES: [number, string][] = [
  [1, 'HMAC'],
  [2, 'AEAD'],
  [4, 'no integrity'],
];
// NIST AES object identifiers (2.16.840.1.101.3.4.1.x): the ciphers dcrypt names.
const AES_ARC = Buffer.from('6086480165030401', 'hex');
const AES_NAMES: Record<number, string> = {
  2: 'aes-128-cbc',
  6: 'aes-128-gcm',
  22: 'aes-192-cbc',
  26: 'aes-192-gcm',
  42: 'aes-256-cbc',
  46: 'aes-256-gcm',
};

/** Where the first message body of a dbox storage file (sdbox u.N, mdbox m.N) starts, or undefined. */
function dboxBodyAt(head: Buffer): number | undefined {
  const line = /^2( [A-Z][0-9a-fA-F]+)+\n/.exec(head.subarray(0, 128).toString('latin1'));
  if (!line) return undefined;
  const at = line[0].length;
  if (head[at] !== 0x01 || head[at + 1] !== 0x02 || head[at + 2] !== 0x4e) return undefined;
  const end = head.indexOf(0x0a, at + 3);
  if (end < 0 || end > at + 64 || !/ [0-9A-F]{16}$/.test(head.subarray(at + 3, end).toString('latin1')))
    return undefined;
  return end + 1;
}

/** The v2 header's cipher, named from its DER object identifier, or undefined when it is not one. */
function cipherAt(head: Buffer, at: number): string | undefined {
  if (head[at] !== 0x06) return undefined;
  const len = head[at + 1] ?? 0;
  if (len < 3 || len > 32 || at + 2 + len > head.length) return undefined;
  const oid = head.subarray(at + 2, at + 2 + len);
  if (len === 9 && oid.subarray(0, 8).equals(AES_ARC)) return AES_NAMES[oid[8]!] ?? 'an AES mode';
  return 'a cipher named by object identifier';
}

export const dovecotMailCryptDetector = defineDetector({
  meta: {
    id: 'dovecot-mail-crypt',
    version: '1.0.0',
    title: 'Dovecot mail_crypt encrypted mails and attachments',
    formats: [
      {
        id: 'dovecot-mail-crypt',
        name: 'Dovecot mail_crypt encrypted mail',
        status: 'encrypted',
        how: 'structure',
        extensions: [],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: MAGIC.toString('hex') },
    { offset: 0, hex: '01024e', within: 128 },
  ],
  minSize: MAGIC.length + 1,
  priority: 30,
  detect(probe): Detection | undefined {
    let head = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.byteLength);
    const dbox = head.subarray(0, MAGIC.length).equals(MAGIC) ? undefined : dboxBodyAt(head);
    if (dbox !== undefined) head = head.subarray(dbox);
    if (head.length < MAGIC.length + 1 || !head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const version = head[MAGIC.length];
    let how: string;
    let scheme: string;
    if (version === 2) {
      if (head.length < 20) return undefined;
      const flags = head.readUInt32BE(10);
      const headerLength = head.readUInt32BE(14);
      if (flags === 0 || flags & ~7 || headerLength < 8 || headerLength > probe.size) return undefined;
      const cipher = cipherAt(head, 18);
      if (!cipher) return undefined;
      const integrity = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
      how = `version 2, ${integrity.join(' + ')} integrity, ${headerLength}-byte key header, content cipher ${cipher}`;
      scheme = 'dovecot-dcrypt-v2';
    } else if (version === 1) {
      if (head.length < 12 || head.readUInt16BE(10) + 12 > probe.size) return undefined;
      how = 'version 1 (ECDH key header)';
      scheme = 'dovecot-dcrypt-v1';
    } else return undefined;
    const where =
      dbox === undefined
        ? 'The message (headers included) is ciphertext.'
        : `It follows a dbox storage file header and message header (${dbox} bytes, clear): the message body (headers included) is ciphertext.`;
    return locked({
      id: 'dovecot-mail-crypt',
      name: 'Dovecot mail_crypt encrypted mail',
      confidence: 0.97,
      code: 'DOVECOT_MAIL_CRYPT',
      message: `Dovecot encrypted stream: magic "CRYPTED\\x03\\x07", ${how}. ${where}`,
      figures: { version: version ?? 0 },
      scheme,
      scope: dbox === undefined ? 'full' : 'partial',
      keyHint: {
        description:
          "The private key the data key was wrapped for: the installation's mail_crypt_global_private_key (a PEM file named in Dovecot's configuration) or the user's key in the mailbox attributes, itself unlocked by the user's mail password when mail_crypt_require_encrypted_user_key is set.",
        kind: 'keystore',
        present: 'unknown',
        lookFor: ['**/dovecot.conf', '**/conf.d/*mail-crypt*', '**/dovecot-attributes', '**/*.pem'],
      },
    });
  },
});
