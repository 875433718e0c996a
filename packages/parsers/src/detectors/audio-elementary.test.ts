import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { audioElementaryDetector } from './audio-elementary.js';

// Streams by ffmpeg's own encoders and muxers; sync words in front of PCM samples (generate.sh).
testDetector(
  audioElementaryDetector,
  {
    fixtures: new URL('../../fixtures/audio-elementary/', import.meta.url),
    valid: [
      { file: 'tone.dts', format: 'dts', status: 'analysable', reasons: ['DTS_FRAME_CHAIN'] },
      { file: 'tone.thd', format: 'truehd', status: 'analysable', reasons: ['MLP_MAJOR_SYNC'] },
      { file: 'tone.mlp', format: 'mlp', status: 'analysable', reasons: ['MLP_MAJOR_SYNC'] },
      { file: 'tone.sbc', format: 'sbc', status: 'analysable', reasons: ['SBC_FRAME_CHAIN'] },
      { file: 'tone.latm', format: 'loas', status: 'analysable', reasons: ['LOAS_FRAME_CHAIN'] },
      { file: 'tone.c2', format: 'codec2', status: 'analysable', reasons: ['CODEC2_HEADER'] },
      { file: 'pattern.m4v', format: 'mpeg4-visual', status: 'analysable', reasons: ['MPEG4_VISUAL_START_CODES'] },
      { file: 'pattern.h263', format: 'h263', status: 'analysable', reasons: ['H263_PICTURE_HEADERS'] },
      { file: 'tone.gsm', format: 'gsm-610', status: 'analysable', reasons: ['GSM_FRAME_SIGNATURES'] },
    ],
    // A sync word alone is not a stream: no frame follows where its header says.
    invalid: [{ file: 'sync-then-pcm.dts' }, { file: 'sync-then-pcm.sbc' }, { file: 'cut.gsm' }],
  },
  { framework: { describe, it } },
);
