import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { unpackedEpubDetector } from './unpacked-epub.js';

const APPLE_BOOK = 'private/var/mobile/Media/Books/Purchases/8F3A1C2B.epub';

testDetector(
  unpackedEpubDetector,
  {
    fixtures: new URL('../../fixtures/unpacked-epub/', import.meta.url),
    valid: [
      {
        name: "an encrypted chapter in Apple Books' book folder: FairPlay",
        file: 'chapter-encrypted.xhtml',
        path: `${APPLE_BOOK}/OEBPS/chapter1.xhtml`,
        format: 'epub-drm-resource',
        status: 'encrypted',
        encryption: { scheme: 'apple-fairplay', scope: 'full', keyHint: { kind: 'keystore' } },
      },
      {
        name: 'the same chapter in another unpacked book: the DRM its META-INF names',
        file: 'chapter-encrypted.xhtml',
        path: 'sdcard/Books/Field Notes.epub/OEBPS/Text/chapter1.xhtml',
        format: 'epub-drm-resource',
        status: 'encrypted',
        encryption: { scheme: 'epub-xmlenc', keyHint: { kind: 'unknown' } },
      },
    ],
    invalid: [
      { name: 'a clear chapter: markup', file: 'chapter-clear.xhtml', path: `${APPLE_BOOK}/OEBPS/chapter1.xhtml` },
      {
        name: 'random bytes outside any .epub folder',
        file: 'chapter-encrypted.xhtml',
        path: 'private/var/mobile/Media/Books/chapter1.xhtml',
      },
      { name: 'inside META-INF', file: 'chapter-encrypted.xhtml', path: `${APPLE_BOOK}/META-INF/sinf.xml` },
      { name: 'an obfuscated font', file: 'font-obfuscated.ttf', path: `${APPLE_BOOK}/OEBPS/fonts/mono.ttf` },
    ],
  },
  { framework: { describe, it } },
);
