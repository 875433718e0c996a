import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pythonPickleDetector } from './python-pickle.js';

testDetector(
  pythonPickleDetector,
  {
    fixtures: new URL('../../fixtures/python-pickle/', import.meta.url),
    valid: [
      { file: 'settings.pkl', format: 'python-pickle', status: 'analysable', reasons: ['PICKLE_OPCODES'] },
      { file: 'trailing-newline.pkl', format: 'python-pickle', status: 'analysable', reasons: ['PICKLE_OPCODES'] },
      { file: 'records.pkl', format: 'python-pickle', status: 'analysable', reasons: ['PICKLE_OPCODES'] },
    ],
    invalid: [
      { file: 'cut-before-stop.pkl', name: 'a pickle cut before its STOP opcode' },
      { file: 'frame-past-end.pkl', name: 'a FRAME length that runs past the end of the file' },
    ],
  },
  { framework: { describe, it } },
);
