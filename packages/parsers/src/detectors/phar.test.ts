import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pharDetector } from './phar.js';

// Phars made by PHP's Phar class; near misses: a script carrying a payload after its halt call, and a phar cut
// in half (fixtures/phar/generate.sh).
const phar = (file: string) => ({
  file,
  format: 'phar',
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['PHAR_MANIFEST'],
});

testDetector(
  pharDetector,
  {
    fixtures: new URL('../../fixtures/phar/', import.meta.url),
    valid: [phar('tool.phar'), phar('many-files.phar'), phar('openssl-signed.phar'), phar('small.phar')],
    invalid: [{ file: 'halt-compiler-payload.php' }, { file: 'truncated.phar' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
