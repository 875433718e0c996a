import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { statisticsDetector } from '../detectors/statistics.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { hlsSegmentsParser, paddedTransportStreamSize } from './hls-segments.js';

// The hls-playlist detector's fixtures (made by ffmpeg's HLS muxer in fixtures/hls-playlist/generate.sh):
// segments with their playlists. The kit gives the parser an index
// holding the item alone, so no playlist is beside any file there: every segment stays what the
// statistics said, with the size fact recorded. The scan below, through the real pipeline, has the playlists.
testParser(
  hlsSegmentsParser,
  {
    fixtures: new URL('../../fixtures/hls-playlist/', import.meta.url),
    detectors: [statisticsDetector],
    ignore: ['**/*.m3u8', '**/*.m3u', '**/*.key', 'clear/**', 'vod/seg0.ts', 'extm3u-then-binary.bin'],
    valid: [
      {
        // An AES-padded whole number of packets, no playlist: the fact is recorded, the verdict stays.
        file: 'lonely/seg0.ts',
        format: 'unknown-encrypted',
        status: 'encrypted',
        details: { playlistBeside: false, transportStreamPackets: 44 },
      },
      {
        file: 'vod/seg1.ts',
        format: 'unknown-encrypted',
        details: { playlistBeside: false, transportStreamPackets: 46 },
      },
    ],
    // Cut to 8192 bytes: no padded whole number of packets.
    invalid: [{ file: 'vod/cut.ts', format: 'unknown-encrypted', diagnostics: [] }],
  },
  { framework: { describe, it } },
);

describe('HLS AES-128 segments in a scan', () => {
  it('names random segments beside a playlist, with the key file beside them', async () => {
    const items = await scanFixtures('hls-playlist');
    for (const name of ['vod/seg0.ts', 'vod/seg1.ts']) {
      const item = items.get(name)!;
      expect(item.format?.id, name).toBe('hls-segment-aes-128');
      expect(item.classification.status).toBe('encrypted');
      expect(item.classification.confidence).toBeGreaterThanOrEqual(0.9);
      expect(codes(item)).toContain('HLS_SEGMENT_ENCRYPTED');
      expect(item.encryption).toMatchObject({
        scheme: 'hls-aes-128',
        keyHint: { kind: 'key-file', present: 'yes', foundAt: ['vod/enc.key'] },
      });
    }
    // The playlist carries the key method and URI.
    expect(items.get('vod/playlist.m3u8')?.classification.reasons[0]?.message).toContain('URI "enc.key"');
    // No playlist beside it; cut to a size that is no padded whole number of packets: statistics only.
    for (const name of ['lonely/seg0.ts', 'vod/cut.ts']) {
      expect(items.get(name)?.format?.id, name).toBe('unknown-encrypted');
      expect(items.get(name)?.encryption?.scheme, name).toBe('unknown');
    }
    // A clear segment is a transport stream, whatever the playlist.
    expect(items.get('clear/clear0.ts')?.format?.id).toBe('mts');
  });

  it('takes only sizes AES-CBC with PKCS#7 padding makes of whole 188-byte packets', () => {
    expect(paddedTransportStreamSize(188 * 44 + 16)).toBe(true); // 8272 is a multiple of 16: a whole padding block
    expect(paddedTransportStreamSize(188 * 46 + 8)).toBe(true);
    expect(paddedTransportStreamSize(8192)).toBe(false);
    let taken = 0;
    for (let size = 16; size < 16 * 100000; size += 16) if (paddedTransportStreamSize(size)) taken++;
    // One multiple of 16 in about 11.75 (188 / 16) is taken.
    expect(taken / 100000).toBeGreaterThan(0.08);
    expect(taken / 100000).toBeLessThan(0.09);
  });
});
