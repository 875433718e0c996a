import { describe, it } from 'vitest';
import fs from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { codeEncodersDetector } from './code-encoders.js';

const opaque = (file: string, format: string) => ({
  file,
  format,
  status: 'opaque' as const,
  confidence: { min: 0.9 },
  reasons: ['CODE_ENCODER_STUB'],
});

testDetector(
  codeEncodersDetector,
  {
    fixtures: new URL('../../fixtures/code-encoders/', import.meta.url),
    valid: [
      // Both ionCube bodies: the text one had been called XML ciphertext, the binary one random ciphertext.
      opaque('ioncube-text.php', 'ioncube-encoded'),
      opaque('ioncube-binary.php', 'ioncube-encoded'),
      opaque('ioncube-icb0.php', 'ioncube-encoded'),
      opaque('zend-guard.php', 'zend-guard-encoded'),
      opaque('sourceguardian.php', 'sourceguardian-encoded'),
      opaque('pyarmor8.py', 'pyarmor-obfuscated'),
      opaque('pyarmor7.py', 'pyarmor-obfuscated'),
    ],
    // Source that only talks about the encoders stays the text detector's.
    invalid: [{ file: 'comment.php' }, { file: 'sg-manual.php' }, { file: 'about-pyarmor.py' }],
  },
  { framework: { describe, it } },
);

describe('code-encoders on damaged input', () => {
  const dir = new URL('../../fixtures/code-encoders/', import.meta.url);
  const seeds = [
    'ioncube-text.php',
    'ioncube-binary.php',
    'ioncube-icb0.php',
    'zend-guard.php',
    'sourceguardian.php',
    'pyarmor8.py',
    'pyarmor7.py',
  ].map((n) => [n, new Uint8Array(fs.readFileSync(new URL(n, dir)))] as const);
  fuzzFlipCutGrow(codeEncodersDetector, seeds, 200);
});
