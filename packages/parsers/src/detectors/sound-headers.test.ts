import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { soundHeadersDetector } from './sound-headers.js';

// Files by SoX; a module from libopenmpt's test suite; a look-alike text (generate.sh).
testDetector(
  soundHeadersDetector,
  {
    fixtures: new URL('../../fixtures/sound-headers/', import.meta.url),
    valid: [
      { file: 'tone.sox', format: 'sox-native', status: 'analysable', reasons: ['SOX_HEADER'] },
      { file: 'tone-be.sox', format: 'sox-native', status: 'analysable', reasons: ['SOX_HEADER'] },
      { file: 'tone.paf', format: 'paris-audio', status: 'analysable', reasons: ['PAF_HEADER'] },
      { file: 'tone.wve', format: 'psion-wve', status: 'analysable', reasons: ['PSION_WVE_HEADER'] },
      { file: 'tone.sndt', format: 'soundtool', status: 'analysable', reasons: ['SOUNDTOOL_HEADER'] },
      { file: 'test.mod', format: 'mod', status: 'analysable', reasons: ['MOD_HEADER'] },
    ],
    invalid: [{ file: 'prose.txt' }],
  },
  { framework: { describe, it } },
);
