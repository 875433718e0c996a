/**
 * E-mail messages (RFC 5322, `.eml`, maildir files, exported messages)
 * whose body is encrypted end to end, read from the top-level header block:
 * - S/MIME: Content-Type application/pkcs7-mime (or x-pkcs7-mime) with
 *   smime-type=enveloped-data / authEnveloped-data, or, where old clients
 *   leave smime-type out, a base64 body that decodes to a CMS EnvelopedData;
 * - PGP/MIME: Content-Type multipart/encrypted with
 *   protocol="application/pgp-encrypted";
 * - inline PGP ("traditional", as Enigmail and older clients send it): a
 *   text/plain body (or one with no Content-Type) that is an ASCII-armored
 *   OpenPGP message whose first packet opens an encrypted one.
 * The headers (sender, recipients, subject, dates) stay readable: the
 * encryption's scope is partial. A signed message (multipart/signed,
 * smime-type=signed-data) is readable.
 * References: RFC 8551 §3.3 (S/MIME enveloped-only), RFC 3156 §4 (PGP/MIME
 * encrypted), RFC 4880 §6.2 (armor), RFC 5322 §2.2 (header fields, folding). Fixtures: S/MIME by
 * `openssl smime`, PGP/MIME by gpg with the RFC 3156 wrapper written by
 * Python's email package (fixtures/encrypted-email/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, fromBase64, locked } from './util.js';
import { judgeArmored } from './openpgp.js';

const ENVELOPED_OID = Buffer.from('06092a864886f70d010703', 'hex');
const HEADER_LINE = /^[!-9;-~]+:/;

/** The header block (up to the first empty line), unfolded; undefined when the text does not start with one. */
function headerBlock(text: string): { headers: Map<string, string>; bodyAt: number } | undefined {
  const end = text.search(/\r?\n\r?\n/);
  if (end <= 0) return undefined;
  const lines = text.slice(0, end).split(/\r?\n/);
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) headers.set(last, `${headers.get(last)} ${line.trim()}`);
    else if (HEADER_LINE.test(line)) {
      last = line.slice(0, line.indexOf(':')).toLowerCase();
      if (!headers.has(last)) headers.set(last, line.slice(line.indexOf(':') + 1).trim());
    } else if (!line.startsWith('From ')) return undefined; // an mbox "From " line may precede the headers
  }
  return { headers, bodyAt: text.slice(end).search(/\S/) + end };
}

/** A message whose body is an armored OpenPGP message that opens an encrypted one (inline PGP). */
function inlinePgp(body: string, headerFields: number): Detection | undefined {
  if (!body.startsWith('-----BEGIN PGP MESSAGE-----')) return undefined;
  const inner = judgeArmored(body);
  if (inner?.status !== 'encrypted') return undefined;
  return encryptedMessage(
    'pgp-inline',
    `E-mail message (${headerFields} header fields, readable) whose body is an inline PGP message: ${inner.reasons[0]?.message ?? 'encrypted'}`,
    headerFields,
  );
}

function encryptedMessage(scheme: string, message: string, headerFields: number): Detection {
  const pgp = scheme !== 'smime-cms-enveloped';
  return locked({
    id: 'email-encrypted',
    name: 'E-mail message, body encrypted (S/MIME, PGP/MIME or inline PGP)',
    confidence: 0.95,
    code: 'EMAIL_BODY_ENCRYPTED',
    message,
    figures: { scheme, headerFields },
    scheme,
    scope: 'partial',
    keyHint: {
      description: pgp
        ? "A recipient's OpenPGP secret key and its passphrase (a GnuPG home, a key export)."
        : "A recipient's S/MIME private key (a .p12/.pfx, an OS key store, the mail client's key database) for the certificate the message names.",
      kind: 'keystore',
      present: 'unknown',
      lookFor: pgp
        ? ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg', '**/*.asc']
        : ['**/*.p12', '**/*.pfx', '**/key4.db'],
    },
  });
}

export const encryptedEmailDetector = defineDetector({
  meta: {
    id: 'encrypted-email',
    version: '1.0.0',
    title: 'E-mail messages encrypted end to end (S/MIME, PGP/MIME, inline PGP)',
    formats: [
      {
        id: 'email-encrypted',
        name: 'E-mail message, body encrypted (S/MIME, PGP/MIME or inline PGP)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['eml', 'msg', 'txt'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'Content-Type:', within: 8192 },
    { offset: 0, ascii: 'Content-type:', within: 8192 },
    { offset: 0, ascii: 'content-type:', within: 8192 },
    { offset: 0, ascii: '-----BEGIN PGP MESSAGE-----', within: 8192 },
  ],
  minSize: 40,
  priority: 30,
  detect(probe): Detection | undefined {
    const text = ascii(probe.head, 0, Math.min(probe.head.length, 65536));
    const block = headerBlock(text);
    if (!block) return undefined;
    const { headers } = block;
    const type = headers.get('content-type')?.toLowerCase();
    // A message has an originator or recipient field; a MIME part alone does not count.
    if (!['from', 'to', 'message-id', 'date', 'subject'].some((h) => headers.has(h))) return undefined;
    if (!type || /^text\/plain\b/.test(type)) return inlinePgp(text.slice(block.bodyAt), headers.size);
    const smime = /^application\/(x-)?pkcs7-mime\b/.test(type);
    const smimeType = /smime-type\s*=\s*"?([a-z-]+)/.exec(type)?.[1];
    let scheme: string | undefined;
    let how = '';
    if (smime && (smimeType === 'enveloped-data' || smimeType === 'authenveloped-data')) {
      scheme = 'smime-cms-enveloped';
      how = `Content-Type application/pkcs7-mime with smime-type=${smimeType}`;
    } else if (smime && smimeType === undefined) {
      // No smime-type: the body itself must be a CMS EnvelopedData.
      const der = fromBase64(text.slice(block.bodyAt, block.bodyAt + 64).split(/\r?\n\r?\n/)[0]!);
      const at = der ? der.indexOf(ENVELOPED_OID) : -1;
      if (!der || der[0] !== 0x30 || at < 2 || at > 6) return undefined;
      scheme = 'smime-cms-enveloped';
      how = 'Content-Type application/pkcs7-mime whose base64 body starts a CMS EnvelopedData';
    } else if (/^multipart\/encrypted\b/.test(type) && /protocol\s*=\s*"?application\/pgp-encrypted/.test(type)) {
      scheme = 'pgp-mime';
      how = 'Content-Type multipart/encrypted with protocol="application/pgp-encrypted"';
    }
    if (!scheme) return undefined;
    return encryptedMessage(
      scheme,
      `E-mail message (${headers.size} header fields, readable) whose body is encrypted: ${how}.`,
      headers.size,
    );
  },
});
