import { describe, expect, it } from 'vitest';
import { epubEncryption } from './epub-encryption.js';

// encryption.xml entries shaped as in EPUB OCF 3.3 §3.5.2's examples (default namespace or the
// enc: prefix), one per resource.
const entry = (uri: string, algorithm: string, prefix = '') =>
  `<${prefix}EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><${prefix}EncryptionMethod Algorithm="${algorithm}"/><${prefix}CipherData><${prefix}CipherReference URI="${uri}"/></${prefix}CipherData></${prefix}EncryptedData>`;
const file = (...entries: string[]) =>
  `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">${entries.join('')}</encryption>`;
const IDPF = 'http://www.idpf.org/2008/embedding';
const ADOBE_FONT = 'http://ns.adobe.com/pdf/enc#RC';
const AES = 'http://www.w3.org/2001/04/xmlenc#aes128-cbc';

describe('epubEncryption', () => {
  it('takes font obfuscation (IDPF and Adobe) for no DRM', () => {
    const r = epubEncryption(file(entry('fonts/a.otf', IDPF), entry('fonts/b.otf', ADOBE_FONT, 'enc:')), new Set());
    expect(r).toMatchObject({ entries: 2, obfuscated: 2 });
    expect(r.drm).toBeUndefined();
  });

  it('names the DRM from its licence file once any resource is really encrypted', () => {
    const xml = file(entry('fonts/a.otf', IDPF), entry('text/ch1.xhtml', AES, 'enc:'));
    expect(epubEncryption(xml, new Set(['META-INF/rights.xml'])).drm?.scheme).toBe('adobe-adept');
    expect(epubEncryption(xml, new Set(['META-INF/license.lcpl'])).drm?.scheme).toBe('readium-lcp');
    expect(epubEncryption(xml, new Set(['META-INF/sinf.xml'])).drm?.scheme).toBe('apple-fairplay');
    expect(epubEncryption(xml, new Set()).drm).toMatchObject({ scheme: 'epub-xmlenc', keyHint: { kind: 'unknown' } });
    expect(epubEncryption(xml, new Set())).toMatchObject({ entries: 2, obfuscated: 1 });
  });

  it('finds nothing in an empty or unreadable file', () => {
    expect(epubEncryption('', new Set())).toMatchObject({ entries: 0, obfuscated: 0 });
    expect(epubEncryption('', new Set()).drm).toBeUndefined();
  });
});

describe('epubEncryption on hostile input', () => {
  it('reads 4 MiB of unclosed EncryptionMethod tags in bounded, linear work', () => {
    const xml = `<EncryptedData>${'<EncryptionMethod Algorithm'.repeat(150_000)}`;
    const r = epubEncryption(xml, new Set());
    expect(r).toMatchObject({ entries: 1, obfuscated: 0 });
    expect(r.drm?.scheme).toBe('epub-xmlenc');
  });
});
