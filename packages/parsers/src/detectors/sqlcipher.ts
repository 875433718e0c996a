/**
 * SQLCipher databases that keep a plain SQLite header: SQLCipher 4 can leave
 * the first 32 bytes of page 1 in clear (cipher_plaintext_header_size, used by
 * iOS apps so the OS recognises WAL files), so the file starts with
 * "SQLite format 3" but the rest of the header and page 1 are ciphertext: the
 * schema format and text encoding fields are out of range and the b-tree
 * page header is not a b-tree page type. Fully encrypted SQLCipher files have
 * no header at all; the statistical fallback handles those.
 * References: SQLCipher API "cipher_plaintext_header_size"; SQLite file
 * format §1.3 (header fields at 44 and 56), §1.6 (b-tree page types 2, 5, 10, 13).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { locked, startsWith, u16be, u32be } from './util.js';

const BTREE_TYPES = new Set([2, 5, 10, 13]);

export const sqlcipherDetector = defineDetector({
  meta: {
    id: 'sqlcipher',
    version: '1.0.0',
    title: 'SQLCipher databases with a plaintext SQLite header',
    formats: [
      {
        id: 'sqlcipher',
        name: 'SQLCipher database (plaintext header)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['db', 'sqlite', 'sqlite3', 'sqlitedb', 'db3'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'SQLite format 3\0' }],
  minSize: 1024,
  priority: 5,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'SQLite format 3\0')) return undefined;
    const raw = u16be(h, 16) ?? 0;
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return undefined;
    const schemaFormat = u32be(h, 44) ?? 0;
    const encoding = u32be(h, 56) ?? 0;
    const pageType = h[100] ?? 0;
    const headerBroken = (schemaFormat > 4 || encoding > 3) && !BTREE_TYPES.has(pageType);
    if (!headerBroken) return undefined;
    const page = h.subarray(100, Math.min(h.length, pageSize));
    const e = randomnessFigures([page]);
    // Random bytes over n samples reach about log2(n) bits/byte for small n.
    if (page.length < 256 || e.shannon < Math.min(7.5, Math.log2(page.length) - 0.6)) return undefined;
    return {
      ...locked({
        id: 'sqlcipher',
        name: 'SQLCipher database (plaintext header)',
        confidence: 0.99,
        code: 'SQLCIPHER_PLAINTEXT_HEADER',
        message: `"SQLite format 3" header with page size ${pageSize}, but schema format ${schemaFormat}, text encoding ${encoding} and page type 0x${pageType.toString(16)} are not SQLite values and page 1 is random (entropy ${e.shannon}): a SQLCipher database that keeps its first 32 bytes in clear.`,
        figures: { pageSize, schemaFormat, textEncoding: encoding, pageType, pageShannon: e.shannon },
        scheme: 'sqlcipher',
        keyHint: {
          description:
            "The app's SQLCipher passphrase or raw key (on iOS often kept in the keychain; on Android in the Keystore or app preferences).",
          kind: 'unknown',
          present: 'unknown',
        },
      }),
      entropy: e,
    };
  },
});
