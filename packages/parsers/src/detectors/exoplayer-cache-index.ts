/**
 * ExoPlayer's cache index (`cached_content_index.exi`, beside the `.exo`
 * spans of media an Android app streamed): which URLs (cache keys) the spans
 * belong to, and their lengths. ExoPlayer writes a version (1 or 2) and a
 * flags word; flag 1 means the rest is encrypted with AES/CBC/PKCS5Padding
 * under a 16-byte key the app passed to its SimpleCache, behind a 16-byte IV.
 * The header alone is eight bytes of small numbers, so the file's name is
 * required too. Newer ExoPlayer and Media3 keep this index in SQLite
 * (`exoplayer_internal.db`), which the SQLite detectors read.
 * Reference: ExoPlayer's CachedContentIndex (LegacyStorage: writeFile,
 * readFile; FLAG_ENCRYPTED_INDEX = 1).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, u16be, u32be } from './util.js';

const NAME = 'cached_content_index.exi';
const IV_BYTES = 16;

export const exoplayerCacheIndexDetector = defineDetector({
  meta: {
    id: 'exoplayer-cache-index',
    version: '1.0.0',
    title: "ExoPlayer's cache index (cached_content_index.exi), plain or encrypted",
    formats: [
      {
        id: 'exoplayer-cache-index',
        name: 'ExoPlayer cache index',
        status: 'analysable',
        how: 'header-field',
        extensions: ['exi'],
      },
      {
        id: 'exoplayer-cache-index-encrypted',
        name: 'ExoPlayer cache index, encrypted (AES-CBC)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['exi'],
      },
    ],
  },
  signatures: ['0000000100000000', '0000000100000001', '0000000200000000', '0000000200000001'].map((hex) => ({
    offset: 0,
    hex,
  })),
  minSize: 12,
  priority: 60,
  detect(probe): Detection | undefined {
    if (probe.name !== NAME) return undefined;
    const h = probe.head;
    const version = u32be(h, 0)!;
    const encrypted = (u32be(h, 4)! & 1) === 1;
    const figures = { version, encrypted };
    if (encrypted) {
      const body = probe.size - 8 - IV_BYTES;
      // CBC with PKCS#5 padding: whole blocks, at least one.
      if (body < 16 || body % 16 !== 0) return undefined;
      return locked({
        id: 'exoplayer-cache-index-encrypted',
        name: 'ExoPlayer cache index, encrypted (AES-CBC)',
        confidence: 0.9,
        code: 'EXOPLAYER_INDEX_ENCRYPTED',
        message: `ExoPlayer cache index version ${version} with its encrypted flag set: a 16-byte IV, then ${body} bytes of AES-CBC ciphertext (whole blocks).`,
        figures: { ...figures, ciphertextBytes: body },
        scheme: 'exoplayer-aes-128-cbc',
        keyHint: {
          description:
            "The 16-byte secret key the app passed to ExoPlayer's SimpleCache: in the app's code or its own storage, not a password.",
          kind: 'unknown',
          present: 'unknown',
        },
      });
    }
    const count = u32be(h, 8)!;
    // The first entry: its id, then its key (a URL, usually) as Java's writeUTF writes it.
    const keyLength = count > 0 ? u16be(h, 16) : 0;
    if (count > 1_000_000 || keyLength === undefined || (count > 0 && 18 + keyLength > probe.size)) return undefined;
    return plain('analysable', {
      id: 'exoplayer-cache-index',
      name: 'ExoPlayer cache index',
      confidence: 0.9,
      code: 'EXOPLAYER_INDEX',
      message: `ExoPlayer cache index version ${version}, not encrypted: ${count} cached resource(s), each a cache key (usually the URL) and its spans' length.`,
      figures: { ...figures, entries: count },
    });
  },
});
