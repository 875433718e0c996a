/**
 * W3C XML Encryption (xmlenc) documents: SAML's encrypted assertions, WS-Security
 * messages, xmlsec1 and Apache Santuario output. Ciphertext is carried as base64
 * in `CipherValue` elements of `EncryptedData` (and wrapped keys in `EncryptedKey`),
 * namespace `http://www.w3.org/2001/04/xmlenc#`.
 * - A document whose root is `EncryptedData` or `EncryptedKey` with ciphertext in it
 *   is the ciphertext in a readable wrapper: encrypted (scope full).
 * - An element or content encrypted in place inside another document is encrypted
 *   (scope partial) when the ciphertext is at least as long as the readable character
 *   data outside the encrypted parts (the substance is locked); a short encrypted
 *   field beside more readable text stays what it is (readable XML).
 * - A template (empty `CipherValue`, as xmlsec1 takes before encrypting) holds no
 *   ciphertext and is readable XML.
 * Only the probe's head is read: a longer document is judged on its first window.
 * Reference: W3C "XML Encryption Syntax and Processing" (2002, and 1.1, 2013):
 * §3.1 EncryptedType, §3.3 CipherData, §3.5 EncryptedKey, §5 algorithm identifiers.
 * Fixtures made by xmlsec1 1.2.37 (fixtures/xml-encryption/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, textMarks } from './util.js';

const XMLENC_NS = 'http://www.w3.org/2001/04/xmlenc#';
const ENCRYPTED_ELEMENTS = new Set(['EncryptedData', 'EncryptedKey']);

/** What one pass over the document's tags and character data finds. */
export interface XmlEncryptionShape {
  /** The root element's local name. */
  root: string;
  /** Base64 characters in the `CipherValue` of `EncryptedData` (encrypted content; whitespace not counted). */
  cipherChars: number;
  /** Base64 characters in the `CipherValue` of `EncryptedKey` (wrapped keys, not content). */
  wrappedKeyChars: number;
  /** Non-whitespace character data outside any `EncryptedData`/`EncryptedKey`. */
  readableChars: number;
  /** `EncryptionMethod` algorithms in document order (fragment after `#`, or the whole URI). */
  algorithms: string[];
  keyNames: string[];
  encryptedKey: boolean;
  agreement: boolean;
  passwordDerived: boolean;
}

// Each pattern stops at the next '<' or runs to the end of the text once (an unclosed comment, PI or DOCTYPE subset
// swallows the rest), so hostile text is read in linear time.
const SKIPPED = /<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)|<!DOCTYPE(?:[^[<>]|\[[^\]]*(?:\]|$))*>?/g;
const TAG = /<(\/?)(?:[\w.-]+:)?([\w.-]+)((?:[^<>"']|"[^"<]*"|'[^'<]*')*?)(\/?)>/g;

function algorithmName(uri: string): string {
  const hash = uri.lastIndexOf('#');
  return hash >= 0 ? uri.slice(hash + 1) : uri;
}

/** Reads the tags of `text` (an XML document's head) once; undefined when it has no root element. */
export function xmlEncryptionShape(text: string): XmlEncryptionShape | undefined {
  const body = text.replace(SKIPPED, '');
  const shape: XmlEncryptionShape = {
    root: '',
    cipherChars: 0,
    wrappedKeyChars: 0,
    readableChars: 0,
    algorithms: [],
    keyNames: [],
    encryptedKey: false,
    agreement: false,
    passwordDerived: false,
  };
  const open: string[] = [];
  /** The open EncryptedData/EncryptedKey elements, innermost last. */
  const encrypted: string[] = [];
  let last = 0;
  const countText = (from: number, to: number) => {
    if (to <= from) return;
    const chars = body.slice(from, to).replace(/<!\[CDATA\[|\]\]>|\s/g, '').length;
    const inner = open[open.length - 1];
    if (encrypted.length > 0) {
      // Only base64 characters count as ciphertext (a placeholder word in a template does not).
      const base64 = body.slice(from, to).replace(/[^A-Za-z0-9+/=]/g, '').length;
      if (inner === 'CipherValue' && encrypted[encrypted.length - 1] === 'EncryptedData') shape.cipherChars += base64;
      else if (inner === 'CipherValue') shape.wrappedKeyChars += base64;
      else if (inner === 'KeyName' && chars > 0) shape.keyNames.push(body.slice(from, to).trim().slice(0, 80));
    } else if (open.length > 0) shape.readableChars += chars;
  };
  for (const m of body.matchAll(TAG)) {
    countText(last, m.index);
    last = m.index + m[0].length;
    const [, closing, name = '', attrs = '', selfClosing] = m;
    if (!shape.root) {
      // A document starts with its root (after the prolog): a script or text quoting XML further on is not one.
      if (
        closing ||
        body
          .slice(0, m.index)
          .replace(/^\uFEFF/, '')
          .trim() !== ''
      )
        return undefined;
      shape.root = name;
    }
    if (closing) {
      if (open.pop() !== undefined && ENCRYPTED_ELEMENTS.has(name)) encrypted.pop();
      continue;
    }

    if (name === 'EncryptedKey') shape.encryptedKey = true;
    if (name === 'AgreementMethod') shape.agreement = true;
    if (name === 'EncryptionMethod' || name === 'KeyDerivationMethod' || name === 'AgreementMethod') {
      const alg = /\bAlgorithm\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
      if (alg && name === 'EncryptionMethod') shape.algorithms.push(algorithmName(alg));
      if (alg && /pbkdf2/i.test(alg)) shape.passwordDerived = true;
    }
    if (selfClosing) continue;
    open.push(name);
    if (ENCRYPTED_ELEMENTS.has(name)) encrypted.push(name);
  }
  countText(last, body.length);
  return shape.root ? shape : undefined;
}

function keyHintOf(s: XmlEncryptionShape): KeyHint {
  const names = s.keyNames.length ? ` (key name${s.keyNames.length > 1 ? 's' : ''} "${s.keyNames.join('", "')}")` : '';
  if (s.passwordDerived)
    return {
      description: `The password the key was derived from (PBKDF2)${names}.`,
      kind: 'password',
      present: 'unknown',
    };
  const transport = s.algorithms.find((a) => /^rsa|rsa-/i.test(a));
  if (s.encryptedKey && transport)
    return {
      description: `The recipient's RSA private key (the session key is wrapped with ${transport}; the EncryptedKey's KeyInfo names the recipient's certificate or key)${names}.`,
      kind: 'keystore',
      present: 'unknown',
    };
  if (s.agreement)
    return {
      description: `The recipient's Diffie-Hellman or ECDH private key (AgreementMethod)${names}.`,
      kind: 'keystore',
      present: 'unknown',
    };
  return {
    description: `The symmetric key shared between sender and recipient out of band${names}${s.encryptedKey ? ', which unwraps the session key' : ''}.`,
    kind: 'unknown',
    present: 'unknown',
  };
}

const mentionsNamespace = textMarks([XMLENC_NS]);

export const xmlEncryptionDetector = defineDetector({
  meta: {
    id: 'xml-encryption',
    version: '1.0.0',
    title: 'W3C XML Encryption documents (EncryptedData with ciphertext)',
    formats: [
      {
        id: 'xmlenc-encrypted',
        name: 'W3C XML Encryption document (xmlenc)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['xml', 'enc', 'saml'],
      },
    ],
  },
  minSize: 64,
  priority: 30,
  detect(probe): Detection | undefined {
    if (!mentionsNamespace(probe.head)) return undefined;
    const text = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.byteLength).toString('utf8');
    const s = xmlEncryptionShape(text);
    if (!s) return undefined;
    // A document that is one wrapped key is locked as a key file is; elsewhere a wrapped key (the HMAC key
    // of a signature, a session key) is not content, and only EncryptedData's ciphertext counts.
    const whole = ENCRYPTED_ELEMENTS.has(s.root);
    const cipherChars = s.root === 'EncryptedKey' ? s.wrappedKeyChars : s.cipherChars;
    if (cipherChars < 16 || (!whole && cipherChars < s.readableChars)) return undefined;
    const cipher = s.algorithms[0] ?? 'unnamed';
    return locked({
      id: 'xmlenc-encrypted',
      name: 'W3C XML Encryption document (xmlenc)',
      confidence: 0.95,
      code: whole ? 'XMLENC_ENCRYPTED_ROOT' : 'XMLENC_ENCRYPTED_SUBSTANCE',
      message: whole
        ? `The document's root is xmlenc ${s.root} with ${cipherChars} base64 characters of ciphertext in CipherValue (cipher ${cipher}): the content is ciphertext in an XML wrapper.`
        : `Elements encrypted in place with W3C XML Encryption (cipher ${cipher}): ${s.cipherChars} base64 characters of ciphertext against ${s.readableChars} characters of readable text around them, so the substance is locked.`,
      figures: {
        root: s.root,
        cipherChars,
        wrappedKeyChars: s.wrappedKeyChars,
        readableChars: s.readableChars,
        algorithms: s.algorithms.join(' ') || 'none named',
      },
      scheme: `xmlenc-${cipher}`,
      scope: whole ? 'full' : 'partial',
      keyHint: keyHintOf(s),
    });
  },
});
