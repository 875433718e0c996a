/**
 * Encrypted resources of unpacked EPUBs. Apple Books keeps each book it
 * downloads as a folder named `<id>.epub` (iOS `Media/Books/Purchases/`, the
 * Mac app's `BCAssetRepository`, iCloud's `iCloud~com~apple~iBooks`), and a
 * FairPlay-protected one holds its chapters and images as ciphertext files
 * beside a clear `META-INF/encryption.xml` and `sinf.xml`. Without the ZIP
 * around them no parser sees the book, and each chapter alone is only random
 * bytes to the statistics. A file inside a `*.epub/` folder, outside
 * `META-INF`, with a content document's or image's extension, no text and
 * uniformly random bytes is such a resource: encrypted by the DRM that folder's
 * META-INF names (FairPlay under Apple Books' paths). Fonts are left out: IDPF
 * obfuscation scrambles their first bytes without any secret.
 * References: EPUB OCF 3.3 §3.5.2 (encryption.xml lists each encrypted
 * resource by path); Apple Books' storage as found in iOS and macOS
 * extractions (folder bundles named `.epub`).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomUnderNamedPath } from './statistics-figures.js';
import { isUtf8TextWindow, locked } from './util.js';

/** A resource inside a folder named `*.epub`: content documents, styles, navigation, images (not fonts, not META-INF). */
const RESOURCE =
  /(?:^|\/)[^/]+\.epub\/(?!META-INF\/)(?:[^/]+\/)*[^/]+\.(?:x?html?|css|ncx|opf|smil|svg|jpe?g|png|gif|webp|mp3|m4a|mp4)$/i;
/** Apple Books' places: FairPlay is the DRM of the books it keeps there. */
const APPLE_BOOKS =
  /(?:^|\/)(?:Books\/(?:Purchases|Sync|Managed)\/|[^/]*BCAssetRepository\/|iCloud~com~apple~iBooks\/)/;

const RESOURCE_FORMAT = { id: 'epub-drm-resource', name: 'Encrypted resource of an unpacked EPUB (DRM)' };

export const unpackedEpubDetector = defineDetector({
  meta: {
    id: 'unpacked-epub',
    version: '1.0.0',
    title: "Encrypted resources of unpacked EPUBs (Apple Books' book folders)",
    formats: [{ ...RESOURCE_FORMAT, status: 'encrypted', how: 'path' }],
  },
  minSize: 32,
  fallback: true,
  priority: 40,
  detect(probe): Detection | undefined {
    const path = probe.logicalPath.replaceAll('\\', '/');
    if (!RESOURCE.test(path) || isUtf8TextWindow(probe.head)) return undefined;
    const figures = randomUnderNamedPath(probe);
    if (!figures) return undefined;
    const apple = APPLE_BOOKS.test(path);
    const book = /(?:^|\/)([^/]+\.epub)\//.exec(path)?.[1] ?? 'the book';
    return {
      ...locked({
        ...RESOURCE_FORMAT,
        confidence: 0.8,
        code: 'UNPACKED_EPUB_CIPHERTEXT',
        message:
          `A ${probe.extension || 'resource'} file inside the unpacked EPUB folder ${book}, outside META-INF, whose bytes are uniformly random ` +
          `(entropy ${figures.shannon.toFixed(2)} bits a byte): a resource the book's DRM encrypted` +
          `${apple ? " (Apple Books' storage: FairPlay)" : ''}; the folder's META-INF/encryption.xml lists it.`,
        figures: { shannon: Number(figures.shannon.toFixed(3)) },
        scheme: apple ? 'apple-fairplay' : 'epub-xmlenc',
        scope: 'full',
        keyHint: apple
          ? {
              description:
                "The Apple account's FairPlay keys, held by the Books app on an authorised device (the book folder's META-INF/sinf.xml names the account).",
              kind: 'keystore',
              present: 'unknown',
            }
          : {
              description:
                "The key of the DRM that the book folder's META-INF names (rights.xml: Adobe ADEPT; license.lcpl: Readium LCP; sinf.xml: Apple FairPlay).",
              kind: 'unknown',
              present: 'unknown',
            },
      }),
      entropy: figures,
      basis: 'path',
    };
  },
});
