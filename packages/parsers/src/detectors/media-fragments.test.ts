import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mediaFragmentsDetector } from './media-fragments.js';

testDetector(
  mediaFragmentsDetector,
  {
    fixtures: new URL('../../fixtures/media-fragments/', import.meta.url),
    valid: [
      { file: 'clip.ts.1000.v3.exo', format: 'mts', status: 'analysable', reasons: ['TS_PACKET_CHAIN'] },
      {
        file: 'scrambled.ts.exo',
        format: 'mpeg-ts-scrambled',
        status: 'encrypted',
        reasons: ['TS_SCRAMBLED'],
        encryption: { scheme: 'mpeg-ts-scrambling', scope: 'partial' },
      },
      { file: 'tone.mp3.777.v3.exo', format: 'mp3', status: 'analysable', reasons: ['AUDIO_FRAME_CHAIN'] },
      { file: 'tone.aac.333.v3.exo', format: 'aac', status: 'analysable', reasons: ['AUDIO_FRAME_CHAIN'] },
      { file: 'clip.webm.2222.v3.exo', format: 'webm-blocks', status: 'analysable', reasons: ['EBML_BLOCK_CHAIN'] },
      { file: 'clip.mp4-samples.v3.exo', format: 'avc-samples', status: 'opaque', reasons: ['NAL_LENGTH_CHAIN'] },
      // An H.265 span cut inside units (make-chance-fixtures.sh): the file's end cuts its last unit.
      { file: 'clip.hevc-samples.exo', format: 'hevc-samples', status: 'opaque', reasons: ['NAL_LENGTH_CHAIN'] },
      // Spans cut from the middle of audio files: Ogg pages chain, FLAC frame headers check by CRC-8.
      { file: 'cut-voice.ogg.exo', format: 'ogg-pages', status: 'analysable', reasons: ['OGG_PAGE_CHAIN'] },
      { file: 'cut-song.ogg.exo', format: 'ogg-pages', status: 'analysable', reasons: ['OGG_PAGE_CHAIN'] },
      { file: 'tail-voice-note.opus.exo', format: 'ogg-pages', status: 'analysable', reasons: ['OGG_PAGE_CHAIN'] },
      { file: 'cut-song.flac.exo', format: 'flac-frames', status: 'analysable', reasons: ['FLAC_FRAME_HEADERS'] },
    ],
    invalid: [
      { file: 'random.bin' },
      { file: 'sync-12-packets.bin' },
      { file: 'gradient.rgba', name: 'raw pixels whose repeating bytes chain as MPEG audio frames' },
      // csv2yapet (make-chance-fixtures.sh): its first two TLV records chain as H.264 units (media-fragments.chance.test.ts).
      { file: 'yapet-vault.pet', name: 'a YAPET password store: records behind 4-byte lengths, then AES ciphertext' },
      // make-verity-fixture.sh: a dm-verity leaf block over empty blocks repeats one 32-byte hash, a 0x47 in it every
      // 192 bytes; the packets are all the same and no continuity counter advances.
      {
        file: 'verity-tree-of-zero-blocks.bin',
        name: 'a dm-verity hash block repeating one SHA-256 with a 0x47 in it',
      },
    ],
  },
  { framework: { describe, it } },
);
