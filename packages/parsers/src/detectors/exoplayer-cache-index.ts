/**
 * ExoPlayer's cache index (`cached_content_index.exi`, beside the `.exo`
 * spans of media an Android app streamed): which URLs (cache keys) the spans
 * belong to, and their lengths. ExoPlayer writes a version (1 or 2) and a
 * flags word; flag 1 means the rest is encrypted with AES/CBC/PKCS5Padding
 * under a 16-byte key the app passed to its SimpleCache, behind a 16-byte IV.
 * The header alone is eight bytes of small numbers: the encrypted index (an
 * IV and whole blocks after it) needs the file's name too. A plain index is
 * taken under any name when its entries (an id, the key in Java's writeUTF,
 * the length or the metadata entries) chain exactly to the hash word that
 * ends the file. Newer ExoPlayer and Media3 keep this index in SQLite
 * (`exoplayer_internal.db`), which the SQLite detectors read.
 * Reference: ExoPlayer's CachedContentIndex (LegacyStorage: writeFile,
 * readFile; FLAG_ENCRYPTED_INDEX = 1).
 */
import { isUtf8 } from 'node:buffer';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, u16be, u32be } from './util.js';

/** Most entries and metadata values taken (an app's cache of streamed media; a guard on hostile counts). */
const MAX_ENTRIES = 100_000;
const MAX_VALUE = 1024 * 1024;

/** A Java writeUTF string at `at`: its text and where it ends, if it is valid and has no control characters. */
function javaUtf(h: Uint8Array, at: number): [string, number] | undefined {
  const length = u16be(h, at);
  if (length === undefined || length === 0 || at + 2 + length > h.length) return undefined;
  const bytes = h.subarray(at + 2, at + 2 + length);
  // Modified UTF-8 is UTF-8 for the keys and names an app writes (no NUL, no supplementary characters).
  if (!isUtf8(bytes) || bytes.some((b) => b < 0x20 || b === 0x7f)) return undefined;
  return [Buffer.from(bytes).toString('utf8'), at + 2 + length];
}

/**
 * LegacyStorage.writeFile's plain body after the version and flags: a count, then per entry its id, its key and
 * (version 1) the content length or (version 2) the metadata entries (a count, then each a name and a
 * length-prefixed value), then the hash word. The entries must end 4 bytes before the file does.
 */
export function chainedEntries(h: Uint8Array, version: number): { count: number; firstKey: string } | undefined {
  if (version !== 1 && version !== 2) return undefined;
  const count = u32be(h, 8);
  if (count === undefined || count === 0 || count > MAX_ENTRIES) return undefined;
  let at = 12;
  let firstKey = '';
  for (let i = 0; i < count; i++) {
    if (u32be(h, at) === undefined || u32be(h, at)! >= 2 ** 31) return undefined;
    const key = javaUtf(h, at + 4);
    if (!key) return undefined;
    if (i === 0) firstKey = key[0];
    at = key[1];
    if (version === 1) {
      at += 8;
      continue;
    }
    const fields = u32be(h, at);
    if (fields === undefined || fields > MAX_ENTRIES) return undefined;
    at += 4;
    for (let f = 0; f < fields; f++) {
      const name = javaUtf(h, at);
      const length = name && u32be(h, name[1]);
      if (!name || length === undefined || length > MAX_VALUE) return undefined;
      at = name[1] + 4 + length;
    }
  }
  return at + 4 === h.length ? { count, firstKey } : undefined;
}

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
    const h = probe.head;
    if (probe.name !== NAME) {
      const entries = probe.complete && (u32be(h, 4) === 0 ? chainedEntries(h, u32be(h, 0)!) : undefined);
      if (!entries) return undefined;
      return plain('analysable', {
        id: 'exoplayer-cache-index',
        name: 'ExoPlayer cache index',
        confidence: 0.85,
        code: 'EXOPLAYER_INDEX_CHAINED',
        message: `ExoPlayer cache index version ${u32be(h, 0)!}, not encrypted, under another name: its ${entries.count} entr${entries.count === 1 ? 'y' : 'ies'} (an id, the cache key such as ${JSON.stringify(entries.firstKey.slice(0, 80))}, ${u32be(h, 0) === 1 ? 'the length' : 'the metadata'}) end exactly at the hash word that closes the file.`,
        figures: { version: u32be(h, 0)!, encrypted: false, entries: entries.count },
      });
    }
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
