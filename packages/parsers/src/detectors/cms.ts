/**
 * CMS / PKCS#7 messages (S/MIME `.p7m`, `openssl cms`, PKCS#7 `.p7`): a
 * ContentInfo — SEQUENCE { contentType OID, [0] EXPLICIT content } — in DER
 * or BER (indefinite lengths, as streaming encoders write it). EnvelopedData
 * and AuthEnvelopedData are encrypted to their recipients (the recipient
 * infos say with what: a certificate's key, a key-encryption key or a
 * password); EncryptedData is encrypted with a symmetric key given out of
 * band. SignedData and the rest are readable (public material).
 * The PEM form ("-----BEGIN CMS-----", "PKCS7", gpgsm's "ENCRYPTED MESSAGE") is decoded and read the same
 * way; a signed one stays the pem detector's public material.
 * References: RFC 5652 §3 (ContentInfo), §6 (EnvelopedData, RecipientInfo
 * choices), §8 (EncryptedData); RFC 5083 (AuthEnvelopedData); RFC 3565 and
 * RFC 5084 (AES OIDs). Fixtures made by `openssl cms` (fixtures/cms/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { DER_JUDGED, childrenFill, prefixChildren, prefixNode } from './der-prefix.js';
import { ascii, berTlv, fromBase64, hexOf, locked, notingZeroPadding, afterStructureEnd } from './util.js';

const PKCS7 = '2a864886f70d0107';
const CONTENT_TYPES: Record<string, string> = {
  [`${PKCS7}01`]: 'data',
  [`${PKCS7}02`]: 'signedData',
  [`${PKCS7}03`]: 'envelopedData',
  [`${PKCS7}05`]: 'digestedData',
  [`${PKCS7}06`]: 'encryptedData',
  '2a864886f70d0109100117': 'authEnvelopedData',
  '2a864886f70d0109100109': 'compressedData',
};
const CIPHERS: Record<string, string> = {
  '608648016503040102': 'aes128-cbc',
  '608648016503040116': 'aes192-cbc',
  '60864801650304012a': 'aes256-cbc',
  '608648016503040106': 'aes128-gcm',
  '60864801650304011a': 'aes192-gcm',
  '60864801650304012e': 'aes256-gcm',
  '2a864886f70d0307': 'des-ede3-cbc',
  '2a864886f70d0302': 'rc2-cbc',
  '2b0e030207': 'des-cbc',
};
/** RecipientInfo choices by tag: ktri is a SEQUENCE, the others context tags. */
const RECIPIENTS: Record<number, string> = {
  0x30: 'key transport',
  0xa1: 'key agreement',
  0xa2: 'key-encryption key',
  0xa3: 'password',
  0xa4: 'other',
};

/** One BER element's header, single-byte tags only (CMS uses no others). */
function element(b: Uint8Array, at: number): ReturnType<typeof berTlv> {
  const e = berTlv(b, at);
  return e && (e.tag & 0x1f) !== 0x1f ? e : undefined;
}

export interface CmsContent {
  contentType: string;
  /** The outer length declared and the file's size, when the first runs past the second (a message cut short). */
  cutShort?: { declared: number; size: number };
  /** The cut falls inside the recipient infos: the EncryptedContentInfo (and its cipher) lies past it. */
  recipientsCut?: boolean;
  cipher?: string;
  recipients: string[];
}

/**
 * Reads a ContentInfo from the start of `b` (the whole's size is `size`); undefined when it is not one.
 * With `allowCut`, an outer length running past `size` (a message cut short) is read as far as the headers go.
 * Also read by `ole2-encryption` for the S/MIME attachment of an Outlook message.
 */
export function cmsContent(b: Uint8Array, size: number, allowCut = false): CmsContent | undefined {
  const outer = element(b, 0);
  if (!outer || outer.tag !== 0x30) return undefined;
  const cut = outer.end !== undefined && outer.end > size && allowCut;
  if (outer.end !== undefined && outer.end !== size && !cut) return undefined;
  const oid = element(b, outer.start);
  if (!oid || oid.tag !== 0x06 || oid.end === undefined || oid.end - oid.start > 16) return undefined;
  const contentType = CONTENT_TYPES[hexOf(b, oid.start, oid.end)];
  const explicit = element(b, oid.end);
  if (!contentType || !explicit || explicit.tag !== 0xa0) return undefined;
  const body = element(b, explicit.start);
  if (!body || body.tag !== 0x30) return undefined;
  const version = element(b, body.start);
  if (!version || version.tag !== 0x02 || version.end === undefined || version.end - version.start !== 1)
    return undefined;
  const out: CmsContent = cut
    ? { contentType, recipients: [], cutShort: { declared: outer.end!, size } }
    : { contentType, recipients: [] };
  let at = version.end;
  if (contentType === 'envelopedData' || contentType === 'authEnvelopedData') {
    let setAt = at;
    let set = element(b, at);
    if (set?.tag === 0xa0 && set.end !== undefined) set = element(b, (setAt = set.end)); // originatorInfo
    if (!set || set.tag !== 0x31 || set.end === undefined) return undefined;
    if (cut && set.end > b.length) return recipientsBeforeCut(b, setAt, out);
    for (
      let r = element(b, set.start);
      r && r.end !== undefined && r.end <= set.end && out.recipients.length < 64;
      r = element(b, r.end)
    ) {
      const kind = RECIPIENTS[r.tag];
      if (!kind) return undefined;
      if (!out.recipients.includes(kind)) out.recipients.push(kind);
      if (r.end === set.end) break;
    }
    if (out.recipients.length === 0) return undefined;
    at = set.end;
  }
  if (contentType === 'envelopedData' || contentType === 'authEnvelopedData' || contentType === 'encryptedData') {
    // EncryptedContentInfo: SEQUENCE { contentType OID, contentEncryptionAlgorithm SEQUENCE { OID, params }, [0] ... }.
    const eci = element(b, at);
    const innerType = eci?.tag === 0x30 ? element(b, eci.start) : undefined;
    const alg = innerType?.end !== undefined && innerType.tag === 0x06 ? element(b, innerType.end) : undefined;
    const algOid = alg?.tag === 0x30 ? element(b, alg.start) : undefined;
    if (!algOid || algOid.tag !== 0x06 || algOid.end === undefined) return undefined;
    out.cipher = CIPHERS[hexOf(b, algOid.start, algOid.end)] ?? 'unknown-cipher';
  }
  return out;
}

/**
 * A message cut inside its recipient infos (a small message: one RSA recipient's encrypted key is 256 bytes):
 * the recipients in sight are read as far as they go (`der-prefix.ts`: each must nest in the SET, the last may
 * cross the cut), and each must be a RecipientInfo choice. The content type already says the content is
 * encrypted to them; the cipher is named after them, past the cut.
 */
function recipientsBeforeCut(b: Uint8Array, setAt: number, out: CmsContent): CmsContent | undefined {
  const set = prefixNode(b, setAt);
  const infos = set?.cut ? prefixChildren(b, set) : undefined;
  if (!infos || infos.length === 0) return undefined;
  for (const r of infos) {
    const kind = RECIPIENTS[r.tag];
    if (!kind) return undefined;
    if (!out.recipients.includes(kind)) out.recipients.push(kind);
  }
  return { ...out, recipientsCut: true };
}

/**
 * PEM labels of a ContentInfo: RFC 7468's "CMS" and "PKCS7", OpenSSL's "PKCS #7 SIGNED DATA", and gpgsm's
 * armor ("ENCRYPTED MESSAGE", "SIGNED MESSAGE", GnuPG sm/gpgsm.c). The body may run past the head (a large
 * message): its first part is decoded, and the outer element's own length stands for the whole.
 */
const PEM =
  /^-----BEGIN (CMS|PKCS7|PKCS #7 SIGNED DATA|ENCRYPTED MESSAGE|SIGNED MESSAGE)-----\r?\n([A-Za-z0-9+/=\r\n]+)(-----END \1-----)?/;

/** The verdict for an encrypted ContentInfo (enveloped, auth-enveloped, encrypted data), else undefined. */
function cmsVerdict(content: CmsContent, form: 'DER/BER' | 'PEM'): Detection | undefined {
  if (!content.cipher && !content.recipientsCut) return undefined;
  const cipher = content.cipher ?? 'a cipher named past the cut';
  const password = content.recipients.includes('password');
  const byKey = content.recipients.filter((r) => r !== 'password');
  const keyHint: KeyHint =
    content.contentType === 'encryptedData'
      ? {
          description:
            'The symmetric key the sender and recipient agreed out of band (EncryptedData names no recipient).',
          kind: 'unknown',
          present: 'unknown',
        }
      : byKey.length > 0
        ? {
            description: `A recipient's private key (${byKey.join(', ')}${password ? '; or the password of a password recipient' : ''}): the recipient infos name each recipient's certificate (issuer and serial number, or key identifier).`,
            kind: 'keystore',
            present: 'unknown',
            lookFor: ['**/*.p12', '**/*.pfx', '**/*.key', '**/*.pem'],
          }
        : {
            description: 'The password given for the message (password recipient, PBKDF2).',
            kind: 'password',
            present: 'unknown',
          };
  return locked({
    id: 'cms-encrypted',
    name: 'CMS/PKCS#7 encrypted message (S/MIME .p7m)',
    confidence: 0.96,
    code: content.cutShort ? 'CMS_ENCRYPTED_CUT_SHORT' : 'CMS_ENCRYPTED_CONTENT',
    message: `CMS ContentInfo (${form}) of type ${content.contentType}, content encrypted with ${cipher}${content.recipients.length > 0 ? ` for ${content.recipients.join(', ')} recipient(s)` : ''}${content.cutShort ? `; the message is cut short (the outer SEQUENCE declares ${content.cutShort.declared} bytes, the file has ${content.cutShort.size}${content.recipientsCut ? ', and it ends inside the recipient infos' : ''}): judged on the headers that are there` : ''}.`,
    figures: {
      contentType: content.contentType,
      cipher: content.cipher ?? 'past the cut',
      recipients: content.recipients.join(', '),
      ...(content.cutShort ? { declaredBytes: content.cutShort.declared, fileBytes: content.cutShort.size } : {}),
    },
    scheme: content.cipher ? `cms-${content.cipher}` : 'cms',
    keyHint,
  });
}

export const cmsDetector = defineDetector({
  meta: {
    id: 'cms',
    version: '1.4.0',
    title: 'CMS / PKCS#7 encrypted messages (S/MIME .p7m, openssl cms)',
    formats: [
      {
        id: 'cms-encrypted',
        name: 'CMS/PKCS#7 encrypted message (S/MIME .p7m)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['p7m', 'p7', 'cms', 'der'],
      },
    ],
  },
  // A SEQUENCE (short, long or indefinite length) then the PKCS#7 / S/MIME content-type OID prefix.
  signatures: [
    { offset: 2, hex: '06092a864886f70d0107', within: 4 },
    { offset: 2, hex: '060b2a864886f70d010910', within: 4 },
    { offset: 0, ascii: '-----BEGIN CMS-----' },
    { offset: 0, ascii: '-----BEGIN PKCS7-----' },
    { offset: 0, ascii: '-----BEGIN ENCRYPTED MESSAGE-----' },
  ],
  minSize: 16,
  priority: 20,
  detect(probe): Detection | undefined {
    if (probe.head[0] === 0x2d) {
      const pem = PEM.exec(ascii(probe.head, 0, probe.head.length));
      if (!pem || (!pem[3] && probe.complete)) return undefined;
      const body = pem[2]!.replace(/\s+/g, '');
      const der = fromBase64(pem[3] ? body : body.slice(0, body.length - (body.length % 4)));
      const whole = der && !pem[3] ? berTlv(der, 0) : undefined;
      const content = der ? cmsContent(der, whole?.end ?? der.length) : undefined;
      return content ? cmsVerdict(content, 'PEM') : undefined;
    }
    // Bytes after the element its outer length closes (zeros: a carve's slack, a block-rounded copy; other
    // bytes: appended data, a carve's overshoot) are set aside.
    const outer = berTlv(probe.head, 0);
    const end = outer?.end;
    const padding =
      end !== undefined && end < probe.size && childrenFill(probe.head, outer!.start, end)
        ? afterStructureEnd(probe, end)
        : undefined;
    const content = cmsContent(probe.head, padding ? end! : probe.size, true);
    return notingZeroPadding(content ? cmsVerdict(content, 'DER/BER') : undefined, padding, DER_JUDGED);
  },
});
