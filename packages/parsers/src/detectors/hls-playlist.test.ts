import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { hlsAttributes, hlsPlaylistDetector } from './hls-playlist.js';

// Made by ffmpeg's HLS muxer (AES-128 and clear), two lists written from RFC 8216: fixtures/hls-playlist/generate.sh.
testDetector(
  hlsPlaylistDetector,
  {
    fixtures: new URL('../../fixtures/hls-playlist/', import.meta.url),
    valid: [
      {
        file: 'vod/playlist.m3u8',
        format: 'm3u8',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['HLS_PLAYLIST_ENCRYPTED_MEDIA'],
        details: {
          hls: true,
          segments: 2,
          encryptedMedia: true,
          keys: [{ method: 'AES-128', uri: 'enc.key', iv: '0x00000000000000000000000000000000', session: false }],
        },
      },
      {
        file: 'sample-aes/fairplay.m3u8',
        format: 'm3u8',
        status: 'analysable',
        reasons: ['HLS_PLAYLIST_ENCRYPTED_MEDIA'],
        details: {
          keys: [
            {
              method: 'SAMPLE-AES',
              uri: 'skd://example-asset-42',
              keyFormat: 'com.apple.streamingkeydelivery',
              drm: 'FairPlay Streaming',
              session: false,
            },
          ],
        },
      },
      {
        file: 'clear/clear.m3u8',
        format: 'm3u8',
        status: 'analysable',
        reasons: ['HLS_PLAYLIST'],
        details: { segments: 2 },
      },
      {
        file: 'clear/master.m3u8',
        format: 'm3u8',
        status: 'analysable',
        reasons: ['HLS_PLAYLIST'],
        details: { variants: 1 },
      },
      { file: 'music.m3u', format: 'm3u8', status: 'analysable', reasons: ['M3U_PLAYLIST'], details: { hls: false } },
    ],
    // Segments and keys are not playlists.
    invalid: [
      { file: 'vod/seg0.ts' },
      { file: 'vod/seg1.ts' },
      { file: 'vod/cut.ts' },
      { file: 'vod/enc.key' },
      { file: 'clear/clear0.ts' },
      { file: 'lonely/seg0.ts' },
      { file: 'extm3u-then-binary.bin', name: '"#EXTM3U" before random bytes: not text, not a playlist' },
    ],
  },
  { framework: { describe, it } },
);

describe('EXT-X attribute lists', () => {
  it('keeps commas inside quoted values', () => {
    expect(hlsAttributes('METHOD=AES-128,URI="https://k.example/key?a=1,b=2",IV=0x01')).toEqual({
      METHOD: 'AES-128',
      URI: 'https://k.example/key?a=1,b=2',
      IV: '0x01',
    });
  });
});
