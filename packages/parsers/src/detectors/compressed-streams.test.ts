import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { compressedStreamsDetector } from './compressed-streams.js';

testDetector(
  compressedStreamsDetector,
  {
    fixtures: new URL('../../fixtures/compressed-streams/', import.meta.url),
    valid: [
      {
        file: 'records.zlib',
        format: 'zlib',
        status: 'analysable',
        confidence: { min: 0.85 },
        reasons: ['ZLIB_STREAM'],
      },
      {
        file: 'records.lzma',
        format: 'lzma',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['LZMA_ALONE_HEADER'],
      },
      { file: 'records.lzma86', format: 'lzma86', status: 'analysable', reasons: ['LZMA86_HEADER'] },
      { file: 'records.lz4', format: 'lz4-legacy', status: 'analysable', reasons: ['LZ4_LEGACY_MAGIC'] },
      // Junk after the end marker: the whole stream still decodes.
      { file: 'junk-after.lzma', format: 'lzma', status: 'analysable', reasons: ['LZMA_ALONE_HEADER'] },
      // The header's size field is wrong (too big, then an end marker): still an LZMA stream.
      { file: 'wrong-size.lzma', format: 'lzma', status: 'analysable', reasons: ['LZMA_ALONE_HEADER'] },
      {
        file: 'skippable.tar.zst',
        format: 'zstd',
        status: 'analysable',
        reasons: ['SKIPPABLE_FRAMES'],
      },
      { file: 'skippable-only.lz4', format: 'lz4', status: 'analysable', reasons: ['SKIPPABLE_FRAMES'] },
      // file(1)'s test files for zstd's pre-1.0 magics (10 bytes each: too short for anything but the magic).
      { file: 'zstd-v0.2.testfile', format: 'zstd', status: 'analysable', reasons: ['ZSTD_LEGACY_MAGIC'] },
      { file: 'zstd-v0.7.testfile', format: 'zstd', status: 'analysable', reasons: ['ZSTD_LEGACY_MAGIC'] },
      {
        file: 'session.jsonlz4',
        format: 'mozlz4',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['MOZLZ4_MAGIC'],
      },
    ],
    // A zlib header on bytes that do not inflate is not called zlib; an LZMA-alone header on
    // records whose first KiB does not decode is not called LZMA.
    // A skippable frame that runs past the end of the file is not claimed.
    invalid: [{ file: 'not-really.zlib' }, { file: 'config-lookalike.dat' }, { file: 'skippable-cut.bin' }],
    // Files wrapped by every stream compressor and simple archiver Debian has: the containers' test, wrappers.test.ts.
    ignore: ['wrappers/**'],
  },
  { framework: { describe, it } },
);
