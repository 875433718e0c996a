import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { pyinstallerKeyedModuleDetector, pyinstallerPyzDetector, pythonForMagic } from './pyinstaller-pyz.js';

testDetector(
  pyinstallerPyzDetector,
  {
    fixtures: new URL('../../fixtures/pyinstaller-pyz/', import.meta.url),
    valid: [
      {
        file: 'PYZ-00.pyz',
        format: 'pyinstaller-pyz',
        status: 'opaque',
        confidence: { min: 0.9 },
        reasons: ['PYINSTALLER_PYZ_HEADER'],
      },
      // --key members: the key is in the same bundle, so opaque like the plain archive, never encrypted.
      {
        file: 'PYZ-00-key.pyz',
        format: 'pyinstaller-pyz',
        status: 'opaque',
        confidence: { min: 0.9 },
        reasons: ['PYINSTALLER_PYZ_HEADER'],
      },
    ],
    invalid: [{ file: 'not-cpython.pyz' }, { file: 'toc-past-end.pyz' }],
  },
  { framework: { describe, it } },
);

describe('pythonForMagic', () => {
  it('maps the magic numbers CPython used to their versions', () => {
    expect(pythonForMagic(62211)).toBe('2.7');
    expect(pythonForMagic(3379)).toBe('3.6');
    expect(pythonForMagic(3413)).toBe('3.8');
    expect(pythonForMagic(3439)).toBe('3.10');
    expect(pythonForMagic(3495)).toBe('3.11');
    expect(pythonForMagic(3531)).toBe('3.12');
    expect(pythonForMagic(3571)).toBe('3.13');
    expect(pythonForMagic(10000)).toBeUndefined();
    expect(pythonForMagic(20)).toBeUndefined();
  });
});

describe('pyinstaller-pyz on damaged input', () => {
  const dir = new URL('../../fixtures/pyinstaller-pyz/', import.meta.url);
  const seeds = ['PYZ-00.pyz', 'PYZ-00-key.pyz'].map(
    (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, dir)))] as const,
  );
  fuzzFlipCutGrow(pyinstallerPyzDetector, seeds, 100, { wholeHalf: true });
});

// pyinstxtractor's output for a --key member: random bytes, named by the extractor, opaque (the key is in the bundle).
testDetector(
  pyinstallerKeyedModuleDetector,
  {
    fixtures: new URL('../../fixtures/pyinstaller-keyed-module/', import.meta.url),
    valid: [
      {
        file: 'PYZ-00.pyz_extracted/util.pyc.encrypted',
        format: 'pyinstaller-keyed-module',
        status: 'opaque',
        confidence: { min: 0.9 },
        reasons: ['PYINSTALLER_KEYED_MODULE_NAME'],
      },
    ],
    invalid: [{ file: 'random.encrypted' }],
  },
  { framework: { describe, it } },
);
