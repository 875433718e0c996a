/**
 * What an EPUB's META-INF/encryption.xml says. The ZIP container is clear;
 * the OCF encryption file lists each encrypted resource with its algorithm.
 * Font obfuscation (IDPF's http://www.idpf.org/2008/embedding and Adobe's
 * http://ns.adobe.com/pdf/enc#RC) masks fonts with a key derived from the
 * book's own identifier: no secret, the book stays readable. Any other
 * algorithm (XML Encryption AES-CBC) is DRM: Adobe ADEPT (META-INF/rights.xml),
 * Readium LCP (META-INF/license.lcpl, a user passphrase) or Apple FairPlay
 * (META-INF/sinf.xml). Kobo's DRM lists nothing there: its books' content
 * documents are themselves ciphertext (`cipheredDocuments`). Shared by the
 * ZIP encryption parser; not a plugin.
 * References: EPUB OCF 3.3 §3.5.2 (encryption.xml) and §4 (font
 * obfuscation); Adobe "Font Obfuscation" note; Readium LCP 1.0 §5 (license
 * document, encryption.xml key retrieval); DeDRM's obok and KOReader's
 * kobodrm (Kobo: each listed file AES-ECB with PKCS#7 padding, its key in
 * the reader's `content_keys` table).
 */
import type { KeyHint } from '@evtriage/core/contract';
import { spreadLikeRandom } from '../detectors/statistics-figures.js';
import type { ZipMember } from './zip-entries.js';

const OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);

/** Kobo's databases (reader, desktop app) whose content_keys and user tables unlock its books (obok). */
export const KOBO_KEY_FILES = ['**/.kobo/KoboReader.sqlite', '**/KoboReader.sqlite', '**/Kobo.sqlite'];
/** Adobe Digital Editions' and RMSDK readers' activation record (the ADEPT user key): DeDRM's adobekey, DeACSM. */
export const ADEPT_KEY_FILES = [
  '**/.adobe-digital-editions/activation.xml',
  '**/Digital Editions/activation.dat',
  '**/Digital Editions/activation.xml',
];

export interface EpubEncryption {
  /** EncryptedData entries listed. */
  entries: number;
  /** Entries whose algorithm is font obfuscation only. */
  obfuscated: number;
  algorithms: string[];
  /** The algorithms other than font obfuscation: what the DRM encrypted with. */
  encryptedWith: string[];
  /** The DRM scheme when any entry is really encrypted. */
  drm?: { scheme: string; name: string; keyHint: KeyHint };
}

/** The Algorithm of an entry's EncryptionMethod tag: a bounded, linear read (the file is untrusted). */
function methodAlgorithm(block: string): string {
  const head = block.slice(0, 4096);
  const start = head.search(/EncryptionMethod\b/);
  if (start < 0) return '';
  const end = head.indexOf('>', start);
  const tag = head.slice(start, end < 0 ? head.length : end);
  return /\bAlgorithm\s*=\s*["']([^"']*)["']/.exec(tag)?.[1] ?? '';
}

/** Reads encryption.xml's entries; `names` are the archive's member names (the DRM's licence files). */
export function epubEncryption(xml: string, names: ReadonlySet<string>): EpubEncryption {
  const blocks = xml.split(/<(?:[\w-]+:)?EncryptedData\b/).slice(1);
  const algorithms = new Set<string>();
  let obfuscated = 0;
  for (const block of blocks) {
    const algorithm = methodAlgorithm(block);
    algorithms.add(algorithm);
    if (OBFUSCATION.has(algorithm)) obfuscated++;
  }
  const result: EpubEncryption = {
    entries: blocks.length,
    obfuscated,
    algorithms: [...algorithms],
    encryptedWith: [...algorithms].filter((a) => !OBFUSCATION.has(a)),
  };
  if (blocks.length === obfuscated) return result;
  if (names.has('META-INF/license.lcpl')) {
    result.drm = {
      scheme: 'readium-lcp',
      name: 'Readium LCP',
      keyHint: {
        description:
          "The LCP user passphrase (the licence's text hint says which); the content key is wrapped in META-INF/license.lcpl.",
        kind: 'password',
        present: 'unknown',
      },
    };
  } else if (names.has('META-INF/sinf.xml')) {
    result.drm = {
      scheme: 'apple-fairplay',
      name: 'Apple FairPlay',
      keyHint: {
        description: "The Apple account's FairPlay keys, held by the Books app on an authorised device.",
        kind: 'keystore',
        present: 'unknown',
      },
    };
  } else if (names.has('META-INF/rights.xml') || /ns\.adobe\.com\/adept/.test(xml)) {
    result.drm = {
      scheme: 'adobe-adept',
      name: 'Adobe ADEPT',
      keyHint: {
        description:
          "The Adobe ADEPT user key of the reading app's activation (Adobe Digital Editions, an ADEPT-licensed reader); META-INF/rights.xml holds the book key wrapped for it.",
        kind: 'keystore',
        present: 'unknown',
        lookFor: ADEPT_KEY_FILES,
      },
    };
  } else {
    result.drm = {
      scheme: 'epub-xmlenc',
      name: 'XML Encryption',
      keyHint: { description: 'The key of the DRM that encrypted the book.', kind: 'unknown', present: 'unknown' },
    };
  }
  return result;
}

/** Content documents sampled for ciphertext: a few small inflates per EPUB. */
const MAX_SAMPLED_DOCUMENTS = 4;
const SAMPLE_BYTES = 256;
/** Markup as a content document begins: a byte-order mark (UTF-8 or UTF-16), white space or NULs, then "<". */
const MARKUP_START = /^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\0]*</;

export interface CipheredDocuments {
  sampled: number;
  /** Sampled content documents that are ciphertext. */
  ciphered: string[];
}

/**
 * Content documents (XHTML/HTML) that are ciphertext rather than markup, as Kobo's DRM leaves a book: each file
 * AES-128-ECB encrypted with PKCS#7 padding (so its length is a multiple of 16), then deflated into the ZIP, with
 * nothing in META-INF saying so. A document is ciphertext when its length is a multiple of 16 and its first bytes are
 * no markup and spread like random bytes. Undefined when no sampled document is.
 */
export async function cipheredDocuments(
  members: readonly ZipMember[],
  head: (member: ZipMember, length: number) => Promise<Uint8Array>,
): Promise<CipheredDocuments | undefined> {
  const documents = members
    .filter((m) => !(m.flags & 1) && m.size >= 32 && /\.x?html?$/i.test(m.name))
    .slice(0, MAX_SAMPLED_DOCUMENTS);
  const ciphered: string[] = [];
  let sampled = 0;
  for (const m of documents) {
    let bytes: Uint8Array;
    try {
      bytes = await head(m, SAMPLE_BYTES);
    } catch {
      continue; // a damaged member says nothing either way
    }
    sampled++;
    const text = Buffer.from(bytes).toString('latin1');
    if (m.size % 16 === 0 && !MARKUP_START.test(text) && spreadLikeRandom(bytes)) ciphered.push(m.name);
  }
  return ciphered.length > 0 ? { sampled, ciphered } : undefined;
}

/**
 * The length of the book key an Adobe rights document (EPUB's META-INF/rights.xml, a PDF's ADEPT_LICENSE) wraps:
 * RSA for Adobe's 1024-bit user keys (128 bytes), AES for Barnes & Noble's (64 in EPUBs, 48 in PDFs). Undefined
 * when the document is no adept rights document.
 */
export function rightsKeyBytes(rights: string): number | undefined {
  if (!rights.includes('http://ns.adobe.com/adept')) return undefined;
  const key = /<(?:[\w-]+:)?encryptedKey\b[^<>]*>([^<]{1,4096})</.exec(rights)?.[1];
  return key ? Buffer.from(key.replace(/\s+/g, ''), 'base64').length : undefined;
}

/** Barnes & Noble's EPUB DRM: ADEPT's layout, the book key AES-wrapped in 64 bytes for the Nook user key. */
export const BARNES_NOBLE_DRM = {
  scheme: 'barnes-noble',
  name: 'Barnes & Noble',
  keyHint: {
    description:
      "The Barnes & Noble (Nook) user key, derived from the account's name and credit card number or kept by the Nook app; META-INF/rights.xml holds the book key wrapped for it.",
    kind: 'keystore',
    present: 'unknown',
  } satisfies KeyHint,
};

/** Kobo's DRM: what unlocks a book whose content documents are ciphertext. */
export const KOBO_DRM = {
  scheme: 'kobo-kdrm',
  name: 'Kobo',
  keyHint: {
    description:
      "Kobo's per-file content keys (the content_keys table of the reader's KoboReader.sqlite, or Kobo.sqlite of the desktop app), each wrapped under a key derived from the device serial (or the computer's MAC address) and the account's user id (its user table).",
    kind: 'keystore',
    present: 'unknown',
    lookFor: KOBO_KEY_FILES,
  } satisfies KeyHint,
};
