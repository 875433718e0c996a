import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fsarchiverDetector } from './fsarchiver.js';

// Archives made by fsarchiver 0.8.7 itself (savedir and savefs, plain and with -c), the same with the
// main header's encryption entry renamed, volume headers before other bytes (fixtures/fsarchiver/generate.sh).
const blowfish = { scheme: 'fsarchiver-blowfish', keyHint: { kind: 'password' } } as const;
testDetector(
  fsarchiverDetector,
  {
    fixtures: new URL('../../fixtures/fsarchiver/', import.meta.url),
    valid: [
      { file: 'plain-dir.fsa', format: 'fsarchiver', status: 'analysable', reasons: ['FSARCHIVER_NOT_ENCRYPTED'] },
      { file: 'gzip-dir.fsa', format: 'fsarchiver', status: 'analysable', reasons: ['FSARCHIVER_NOT_ENCRYPTED'] },
      { file: 'plain-fs.fsa', format: 'fsarchiver', status: 'analysable', reasons: ['FSARCHIVER_NOT_ENCRYPTED'] },
      { file: 'plain-no-key.fsa', format: 'fsarchiver', status: 'analysable', reasons: ['FSARCHIVER_NOT_ENCRYPTED'] },
      {
        file: 'locked-dir.fsa',
        format: 'fsarchiver-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['FSARCHIVER_ENCRYPTED'],
        encryption: blowfish,
      },
      {
        file: 'locked-fs.fsa',
        format: 'fsarchiver-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['FSARCHIVER_ENCRYPTED'],
        encryption: blowfish,
      },
      {
        file: 'locked-no-key.fsa',
        format: 'fsarchiver-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['FSARCHIVER_ENCRYPTED'],
        encryption: blowfish,
      },
      {
        file: 'volume-random.fsa',
        format: 'fsarchiver-encrypted',
        status: 'encrypted',
        confidence: { max: 0.7 },
        reasons: ['FSARCHIVER_VOLUME_RANDOM'],
        encryption: blowfish,
      },
      {
        file: 'locked-split-cut.f01',
        format: 'fsarchiver-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['FSARCHIVER_ENCRYPTED'],
        encryption: blowfish,
      },
      {
        file: 'plain-split-cut.f01',
        format: 'fsarchiver',
        status: 'analysable',
        reasons: ['FSARCHIVER_NOT_ENCRYPTED'],
      },
      { file: 'volume-text.fsa', format: 'fsarchiver', status: 'analysable', reasons: ['FSARCHIVER_VOLUME'] },
    ],
    invalid: [{ file: 'fsa0-note.txt' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
