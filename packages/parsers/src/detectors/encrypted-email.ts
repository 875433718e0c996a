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
 * Apple Mail's .emlx (a byte-count line, the message, an XML property list)
 * is read past its first line. Two more shapes real tools write are read too: a bare S/MIME entity with no
 * originator fields (what `openssl smime -encrypt` and `openssl cms -encrypt`
 * write unless told -from/-to), believed only when its base64 body decodes
 * to a CMS EnvelopedData or AuthEnvelopedData; and a message whose first body
 * part is the encrypted one inside multipart/mixed (how mailing lists wrap an
 * encrypted post to add a footer) or multipart/signed (signed after encrypting).
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
const AUTH_ENVELOPED_OID = Buffer.from('060b2a864886f70d0109100117', 'hex');
const HEADER_LINE = /^[!-9;-~]+:/;

/** The header block (up to the first empty line), unfolded; undefined when the text does not start with one. */
function headerBlock(text: string): { headers: Map<string, string>; bodyAt: number } | undefined {
  const end = text.search(/\r?\n\r?\n/);
  if (end <= 0) return undefined;
  const lines = text.slice(0, end).split(/\r?\n/);
  const headers = new Map<string, string>();
  let last: string | undefined;
  // Apple Mail's .emlx opens with the message's byte count on a line of its own.
  if (lines.length > 1 && /^\d{1,12}\s*$/.test(lines[0]!)) lines.shift();
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
function inlinePgp(raw: string, headerFields: number, encoding?: string): Detection | undefined {
  // A text/plain body sent with Content-Transfer-Encoding base64 (Python's email package, some webmailers for UTF-8).
  const body = /^\s*base64\b/i.test(encoding ?? '')
    ? (fromBase64(raw.split(/\r?\n\s*\r?\n|\r?\n--/)[0]!)?.toString('latin1') ?? '')
    : raw;
  if (!body.startsWith('-----BEGIN PGP MESSAGE-----')) return undefined;
  const inner = judgeArmored(body);
  if (inner?.status !== 'encrypted') return undefined;
  return encryptedMessage(
    'pgp-inline',
    `E-mail message (${headerFields} header fields, readable) whose body is an inline PGP message: ${inner.reasons[0]?.message ?? 'encrypted'}`,
    headerFields,
  );
}

/** Whether a base64 body opens a CMS ContentInfo of type EnvelopedData or AuthEnvelopedData. */
function envelopedBody(body: string): boolean {
  const der = fromBase64(body.slice(0, 64).split(/\r?\n\r?\n/)[0]!);
  if (!der || der[0] !== 0x30) return false;
  return [ENVELOPED_OID, AUTH_ENVELOPED_OID].some((oid) => {
    const at = der.indexOf(oid);
    return at >= 2 && at <= 6;
  });
}

/** The encryption scheme a Content-Type (and, where it is not explicit, the body) names, with how it was read. */
function schemeOf(type: string, body: string): { scheme: string; how: string } | undefined {
  const smime = /^application\/(x-)?pkcs7-mime\b/.test(type);
  const smimeType = /smime-type\s*=\s*"?([a-z-]+)/.exec(type)?.[1];
  if (smime && (smimeType === 'enveloped-data' || smimeType === 'authenveloped-data'))
    return { scheme: 'smime-cms-enveloped', how: `Content-Type application/pkcs7-mime with smime-type=${smimeType}` };
  // No smime-type: the body itself must be a CMS EnvelopedData.
  if (smime && smimeType === undefined && envelopedBody(body))
    return {
      scheme: 'smime-cms-enveloped',
      how: 'Content-Type application/pkcs7-mime whose base64 body starts a CMS EnvelopedData',
    };
  if (/^multipart\/encrypted\b/.test(type) && /protocol\s*=\s*"?application\/pgp-encrypted/.test(type))
    return { scheme: 'pgp-mime', how: 'Content-Type multipart/encrypted with protocol="application/pgp-encrypted"' };
  return undefined;
}

/** The first body part of a multipart message (its Content-Type as written: boundaries are case-sensitive), or undefined. */
function firstPart(
  type: string,
  text: string,
  bodyAt: number,
): { type: string; body: string; encoding?: string } | undefined {
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return undefined;
  const open = text.indexOf(`--${mark}`, bodyAt);
  if (open < 0) return undefined;
  const part = text.slice(text.indexOf('\n', open) + 1);
  const end = part.search(/\r?\n\r?\n/);
  if (end <= 0) return undefined;
  const fields = part.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const partType = /^content-type:\s*(.*)$/im.exec(fields)?.[1]?.toLowerCase();
  if (!partType) return undefined;
  const encoding = /^content-transfer-encoding:\s*(.*)$/im.exec(fields)?.[1];
  const body = part.slice(end).replace(/^\s+/, '');
  return encoding ? { type: partType, body, encoding } : { type: partType, body };
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

/** The messages of an mbox (split at "From " separator lines after a blank line); a cut last one is left out. */
function mboxMessages(text: string, truncated: boolean): string[] {
  if (!text.startsWith('From ')) return [text];
  const parts = text.split(/\r?\n(?=From [^\r\n]*\r?\n[!-9;-~]+:)/);
  if (truncated && parts.length > 1) parts.pop();
  return parts;
}

/** One message's verdict (the body of the detector for a single message). */
export function judgeMessage(text: string): Detection | undefined {
  const block = headerBlock(text);
  if (!block) return undefined;
  const { headers, bodyAt } = block;
  const type = headers.get('content-type')?.toLowerCase();
  const body = text.slice(bodyAt);
  // A message has an originator or recipient field; a bare MIME entity counts only when its body is a CMS envelope.
  if (!['from', 'to', 'message-id', 'date', 'subject'].some((h) => headers.has(h))) {
    if (!type || !/^application\/(x-)?pkcs7-mime\b/.test(type) || !envelopedBody(body)) return undefined;
    return encryptedMessage(
      'smime-cms-enveloped',
      `S/MIME entity (${headers.size} header fields, no originator fields) whose base64 body is a CMS enveloped message: Content-Type ${type.split(';')[0]}.`,
      headers.size,
    );
  }
  if (!type || /^text\/plain\b/.test(type))
    return inlinePgp(body, headers.size, headers.get('content-transfer-encoding'));
  let found = schemeOf(type, body);
  if (!found && /^multipart\/(mixed|signed)\b/.test(type)) {
    const part = firstPart(headers.get('content-type')!, text, bodyAt);
    // Inline PGP as the first part, with clear attachments after it (as Enigmail sent them).
    if (part && /^text\/plain\b/.test(part.type)) return inlinePgp(part.body, headers.size, part.encoding);
    const inner = part && schemeOf(part.type, part.body);
    if (inner) found = { scheme: inner.scheme, how: `its first part, inside ${type.split(';')[0]}, has ${inner.how}` };
  }
  if (!found) return undefined;
  return encryptedMessage(
    found.scheme,
    `E-mail message (${headers.size} header fields, readable) whose body is encrypted: ${found.how}.`,
    headers.size,
  );
}

export const encryptedEmailDetector = defineDetector({
  meta: {
    id: 'encrypted-email',
    version: '1.1.0',
    title: 'E-mail messages encrypted end to end (S/MIME, PGP/MIME, inline PGP)',
    formats: [
      {
        id: 'email-encrypted',
        name: 'E-mail message, body encrypted (S/MIME, PGP/MIME or inline PGP)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['eml', 'emlx', 'msg', 'txt'],
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
    const messages = mboxMessages(text, probe.head.length < probe.size);
    if (messages.length <= 1) return judgeMessage(text);
    // A mailbox is encrypted only when every message seen in the head is; one clear message makes it readable.
    const verdicts = messages.map(judgeMessage);
    if (verdicts.some((v) => v === undefined)) return undefined;
    const first = verdicts[0]!;
    const reason = first.reasons[0]!;
    return {
      ...first,
      reasons: [
        {
          ...reason,
          message: `Mailbox (mbox) whose ${messages.length} messages in the first 64 KiB all have encrypted bodies; the first: ${reason.message}`,
        },
      ],
    };
  },
});
