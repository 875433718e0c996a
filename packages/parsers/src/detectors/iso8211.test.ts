import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { iso8211Detector } from './iso8211.js';

const ok = (file: string) => ({
  file,
  format: 'iso8211',
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['ISO8211_DDR'],
});

testDetector(
  iso8211Detector,
  {
    fixtures: new URL('../../fixtures/iso8211/', import.meta.url),
    valid: [ok('chart.000'), ok('ABCDEF01.GEN'), ok('TRANSH01.THF')],
    // The directory without its field terminator; text with an "L" where the leader's id goes.
    invalid: [{ file: 'bad-terminator.000' }, { file: 'leader-like.txt' }],
  },
  { framework: { describe, it } },
);
