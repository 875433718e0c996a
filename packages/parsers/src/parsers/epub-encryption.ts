/**
 * What an EPUB's META-INF/encryption.xml says. The ZIP container is clear;
 * the OCF encryption file lists each encrypted resource with its algorithm.
 * Font obfuscation (IDPF's http://www.idpf.org/2008/embedding and Adobe's
 * http://ns.adobe.com/pdf/enc#RC) masks fonts with a key derived from the
 * book's own identifier: no secret, the book stays readable. Any other
 * algorithm (XML Encryption AES-CBC) is DRM: Adobe ADEPT (META-INF/rights.xml),
 * Readium LCP (META-INF/license.lcpl, a user passphrase) or Apple FairPlay
 * (META-INF/sinf.xml). Shared by the ZIP encryption parser; not a plugin.
 * References: EPUB OCF 3.3 §3.5.2 (encryption.xml) and §4 (font
 * obfuscation); Adobe "Font Obfuscation" note; Readium LCP 1.0 §5 (license
 * document, encryption.xml key retrieval).
 */
import type { KeyHint } from '@evtriage/core/contract';

const OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);

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
