/**
 * Fixture cases for the statistical fallback detector, with
 * @evtriage/core/testing (fixtures: ../../fixtures/statistics/, generate.sh).
 * Statistics never reach "certain": every confidence here stays below 0.7.
 */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { ebmlDetector } from './ebml.js';
import { xbaseMemoDetector } from './xbase-memo.js';
import { statisticsDetector } from './statistics.js';

const suspected = { max: 0.69 };

testDetector(
  statisticsDetector,
  {
    fixtures: new URL('../../fixtures/statistics/', import.meta.url),
    valid: [
      {
        file: 'raw-aes-ctr.bin',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
        encryption: { scheme: 'unknown' },
      },
      { file: 'prefixed.bin', format: 'unknown-encrypted', status: 'encrypted', confidence: suspected },
      {
        file: 'raw-deflate.bin',
        format: 'deflate-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_DEFLATE_STREAM'],
      },
      // Brotli (no magic) whose bytes pass for uniform: the trial decode finds it before any random verdict.
      {
        file: 'page.js.br',
        format: 'brotli-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['BROTLI_STREAM'],
      },
      // Raw LZMA and LZMA2 (no header, no magic) whose bytes pass for uniform: a trial decode finds each.
      {
        file: 'page.js.lzma-raw',
        format: 'lzma-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_LZMA_STREAM'],
      },
      {
        file: 'page.js.lzma2-raw',
        format: 'lzma2-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_LZMA2_STREAM'],
      },
      // LHA static-Huffman streams outside their archive (lhasa's test vectors): the first block's code tables.
      {
        file: 'lhasa-lh5.bin',
        format: 'lzh-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_LZH_STREAM'],
      },
      {
        file: 'lhasa-lh6.bin',
        format: 'lzh-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_LZH_STREAM'],
      },
      // A DEFLATE stream flushed and never closed (app caches): the trial inflate finds it.
      {
        file: 'cache-entry.bin',
        format: 'deflate-raw',
        status: 'opaque',
        confidence: suspected,
        reasons: ['RAW_DEFLATE_STREAM'],
      },
      // Block profile: ciphertext behind a 4 KiB clear header page, and before a 1,331-byte clear trailer.
      {
        file: 'header-page-ciphertext.bin',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      // The first 32 KiB of a text file encrypted in place: clear bytes after the random run only, outweighing it.
      {
        file: 'first-part-encrypted.txt',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      // Ciphertext whose middle, between the probe's head and tail, is shorter than four sample blocks.
      ...['ciphertext-26624.bin', 'ciphertext-32768.bin'].map((file) => ({
        file,
        format: 'unknown-encrypted',
        status: 'encrypted' as const,
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      })),
      // A clear JSON line of 161 bytes before 2,000 bytes of AES-CTR output: too long a prefix for the short cuts, too
      // short a header for the block profile; set aside by the clear-header search.
      {
        file: 'header-line-ciphertext.bin',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      // The same line before an LZMA-alone stream (xz): the stream's header at the clear header's end, and a trial decode.
      {
        file: 'header-line-lzma.bin',
        format: 'compressed-unknown',
        status: 'opaque',
        reasons: ['COMPRESSED_AFTER_HEADER'],
      },
      // LockMyPix's .6zu picture: the catalogue's extension map names the app, its scheme and its PIN.
      {
        file: 'sdcard/.lmp/IMG_20261201_101500.6zu',
        format: 'app-encrypted-file',
        status: 'encrypted',
        reasons: ['RANDOM_WITH_APP_EXTENSION'],
        encryption: { scheme: 'lockmypix', keyHint: { kind: 'password' } },
      },
      {
        file: 'ciphertext-trailer.bin',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      {
        file: 'small-ciphertext-trailer.bin',
        name: '1,200 bytes of ciphertext before a 1,331-byte clear trailer: the trailer is set aside',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      // Signal's key-value store: the catalogue reading comes first (the classify stage ranks it over the name's "key").
      {
        file: 'data/data/org.thoughtcrime.securesms/databases/signal-key-value.db',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_DATABASE_OF_ENCRYPTING_APP'],
      },
      // No database extension, but in an app's databases/ folder: the folder says database.
      {
        file: 'data/data/io.ionic.starter/databases/_ionicstorage',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_DATABASE'],
      },
      // Enpass's vault in files/: its extension says database, the catalogue says Enpass uses SQLCipher.
      {
        file: 'data/data/io.enpass.app/files/vault.enpassdb',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_DATABASE_OF_ENCRYPTING_APP'],
      },
      // "secret" in a document's name (.txt) is no sign of key material: random bytes there are an encrypted file.
      {
        file: 'secret_notes.txt',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      { file: 'empty.tar', format: 'zero-filled', status: 'analysable', reasons: ['ALL_ZERO'] },
      // 96 KiB of zeros (a preallocated or wiped file), larger than the probe: judged by the blocks read.
      { file: 'preallocated.bin', format: 'zero-filled', status: 'analysable', reasons: ['ALL_ZERO_READ'] },
      // Erased flash (0xFF throughout), larger than the probe: one byte value, nothing to unlock.
      { file: 'erased-flash.bin', format: 'byte-filled', status: 'analysable', reasons: ['ALL_ONE_BYTE_READ'] },
      { file: 'backup.002', format: 'split-archive-volume', status: 'opaque', reasons: ['SPLIT_ARCHIVE_CONTINUATION'] },
      // A PDF stream object (R's srgb.flate, a carved object): 74 bytes of dictionary text, then a zlib stream.
      {
        file: 'pdf-object-flate.bin',
        format: 'compressed-unknown',
        status: 'opaque',
        reasons: ['COMPRESSED_AFTER_HEADER'],
      },
      // An app cache entry: a 20-byte header, then raw DEFLATE found by trial inflates from short offsets.
      {
        file: 'cache-with-header.bin',
        format: 'compressed-unknown',
        status: 'opaque',
        reasons: ['COMPRESSED_AFTER_HEADER'],
      },
      // The same header page before a zlib stream: compressed, found by a trial inflate after the header.
      {
        file: 'header-page-compressed.bin',
        format: 'compressed-unknown',
        status: 'opaque',
        confidence: suspected,
        reasons: ['COMPRESSED_AFTER_HEADER'],
      },
      { file: 'records.bin', format: 'binary-unknown', status: 'opaque', reasons: ['STRUCTURED_BINARY'] },
      { file: 'tiny-key.bin', format: 'random-keyfile', status: 'opaque', reasons: ['KEY_SIZED_RANDOM'] },
      // At a key length (32 bytes) any values are key material, even all below 0x80.
      { file: 'key-length-low-bytes.key', format: 'random-keyfile', status: 'opaque', reasons: ['KEY_SIZED_RANDOM'] },
      // Key-sized with 50 distinct values, but all below 0x80 (an 8-bit raster's small values): not a key.
      {
        file: 'small-values-raster.bin',
        format: 'binary-unknown',
        status: 'opaque',
        reasons: ['TOO_SMALL_FOR_STATISTICS'],
      },
      // Key-sized with few repeated bytes, yet printable ASCII except one NUL (a systemd fuzz input): not a key.
      {
        file: 'network-unit-with-nul.bin',
        format: 'binary-unknown',
        status: 'opaque',
        reasons: ['TOO_SMALL_FOR_STATISTICS'],
      },
      // Key-sized with few repeated bytes, yet text with flag bytes (JDK public-suffix records): not keys.
      ...['utf8-record-with-nul.bin', 'ascii-records-with-flags.bin'].map((file) => ({
        file,
        format: 'binary-unknown',
        status: 'opaque' as const,
        reasons: ['TOO_SMALL_FOR_STATISTICS'],
      })),
      { file: 'keyfile1', format: 'random-keyfile', status: 'opaque', reasons: ['RANDOM_KEY_MATERIAL'] },
      { file: 'random_org_10k.bin', format: 'random-data', status: 'opaque', reasons: ['NAMED_RANDOM_DATA'] },
      // A random first sector, then bytes a test tool's generator left non-uniform: the name speaks before the volume rule.
      { file: 'random.bin', format: 'random-data', status: 'opaque', reasons: ['NAMED_RANDOM_DATA'] },
      // Random stretches between zero runs: mixed test data, not a ciphertext body behind a header.
      { file: 'mixed-content.bin', format: 'binary-unknown', status: 'opaque', reasons: ['STRUCTURED_BINARY'] },
      {
        file: 'clear-members-random-member.dar',
        format: 'binary-unknown',
        status: 'opaque',
        reasons: ['STRUCTURED_BINARY'],
        name: 'an archive of clear members and one random member: clear bytes outweigh the random run',
      },
      // A compressed frame behind an app's 14-byte header: its magic number says compressed, not ciphertext.
      ...['zstd', 'xz', 'bzip2', 'lz4'].map((tool) => ({
        file: `${tool}-after-header.bin`,
        format: 'compressed-unknown',
        status: 'opaque' as const,
        reasons: ['COMPRESSED_AFTER_HEADER'],
      })),
      // Every printable ASCII character once, in 141 bytes: uniform on 256 bins, not on the high nibbles.
      { file: 'chars.rds', format: 'binary-unknown', status: 'opaque', reasons: ['STRUCTURED_BINARY'] },
      {
        file: 'overwritten.mkv',
        format: 'damaged-file',
        status: 'opaque',
        confidence: suspected,
        reasons: ['SIGNATURE_WITHOUT_STRUCTURE'],
      },
      // An LZMA-alone header (xz's) before 101 bytes that are not its stream: a damaged LZMA file.
      {
        file: 'damaged.lzma',
        format: 'damaged-file',
        status: 'opaque',
        confidence: suspected,
        reasons: ['SIGNATURE_WITHOUT_STRUCTURE'],
      },
      // Zero bytes at offset 4 match the xBase memo detector's dispatch signature: no magic, so no "damaged file".
      {
        file: 'versioned-ciphertext.bin',
        format: 'unknown-encrypted',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['STATISTICALLY_RANDOM'],
      },
      {
        file: 'archive.7z.002',
        format: 'split-archive-volume',
        status: 'opaque',
        reasons: ['SPLIT_ARCHIVE_CONTINUATION'],
      },
      // Signal Desktop: the catalogue's desktop folder, and a key hint naming the files that hold the key.
      {
        file: 'Users/analyst/AppData/Roaming/Signal/sql/db.sqlite',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_DATABASE_OF_ENCRYPTING_APP'],
        encryption: {
          scheme: 'sqlcipher',
          keyHint: { kind: 'key-file', lookFor: ['**/Signal/config.json', '**/Signal/Local State'] },
        },
      },
      {
        file: 'sqlcipher-whole.db',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_DATABASE'],
        encryption: { scheme: 'sqlcipher' },
      },
      // A span of AAC cut from an M4A: its first sector looks random, the rest is compressed, not a volume's body.
      {
        file: 'aac-span.bin',
        format: 'compressed-unknown',
        status: 'opaque',
        reasons: ['HIGH_ENTROPY_NOT_RANDOM'],
      },
      {
        file: 'volume.hc',
        format: 'truecrypt-veracrypt',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_VOLUME_HEADER'],
      },
      // The same volume with a line end or one NUL appended: the whole sectors are the volume, the byte is not.
      ...['volume-newline.hc', 'volume-crlf.hc', 'volume-nul.hc'].map((file) => ({
        file,
        format: 'truecrypt-veracrypt',
        status: 'encrypted' as const,
        confidence: suspected,
        reasons: ['RANDOM_VOLUME_HEADER'],
      })),
      // Any other byte appended is not set aside: no whole sectors, no volume layout.
      {
        file: 'volume-byte.hc',
        format: 'binary-unknown',
        status: 'opaque',
        confidence: suspected,
        reasons: ['STRUCTURED_BINARY'],
      },
      {
        file: 'notes.txt.cpt',
        format: 'ccrypt',
        status: 'encrypted',
        confidence: suspected,
        reasons: ['RANDOM_WITH_TOOL_EXTENSION'],
        encryption: { scheme: 'ccrypt', keyHint: { kind: 'password' } },
      },
      // An empty GNU tar (its zero blocks) with a line feed or a note appended: the zeros are judged, the rest named.
      {
        file: 'empty-tar-newline.tar',
        format: 'zero-filled',
        status: 'analysable',
        confidence: suspected,
        reasons: ['ALL_ZERO', 'TRAILING_DATA'],
      },
      {
        file: 'empty-tar-appended-note.tar',
        format: 'zero-filled',
        status: 'analysable',
        confidence: suspected,
        reasons: ['ALL_ZERO', 'TRAILING_DATA'],
      },
      // Zero blocks followed by bytes that are not clear: nothing is set aside, the whole file is judged.
      {
        file: 'zeros-then-random.bin',
        format: 'binary-unknown',
        status: 'opaque',
        confidence: suspected,
        reasons: ['STRUCTURED_BINARY'],
      },
    ],
    invalid: [
      { file: 'raw-deflate.bin', format: 'unknown-encrypted', name: 'compressed data must not be called ciphertext' },
      { file: 'page.js.br', format: 'unknown-encrypted', name: 'a Brotli stream must not be called ciphertext' },
      { file: 'records.bin', format: 'unknown-encrypted', name: 'structured records must not be called ciphertext' },
      {
        file: 'cache-entry.bin',
        format: 'unknown-encrypted',
        name: 'an unclosed DEFLATE stream must not be called ciphertext',
      },
      {
        file: 'counter-then-zeros.bin',
        format: 'truecrypt-veracrypt',
        name: 'a byte counter before zeros must not be called a volume header',
      },
      {
        file: 'cache-with-header.bin',
        format: 'unknown-encrypted',
        name: 'a cache entry holding DEFLATE behind a short header must not be called ciphertext',
      },
      {
        file: 'header-page-compressed.bin',
        format: 'unknown-encrypted',
        name: 'a compressed body behind a clear header must not be called ciphertext',
      },
    ],
    // The EBML detector runs first, as in a scan: its magic at the start of overwritten.mkv matches, then it declines;
    // the xBase memo detector's zero signature at offset 4 matches versioned-ciphertext.bin and it declines too.
    alongside: [ebmlDetector, xbaseMemoDetector],
  },
  { framework: { describe, it } },
);
