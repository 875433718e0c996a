import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { zipPrefixedDetector } from './zip-prefixed.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Made by Info-ZIP zip with a launcher stub concatenated in front: fixtures/zip-prefixed/generate.sh.
testDetector(
  zipPrefixedDetector,
  {
    fixtures: new URL('../../fixtures/zip-prefixed/', import.meta.url),
    valid: [
      {
        file: 'launcher.jar',
        format: 'zip-prefixed',
        status: 'analysable',
        reasons: ['ZIP_PREFIXED'],
        name: 'offsets relative to the archive (cat stub a.zip)',
      },
      {
        file: 'adjusted-sfx.zip',
        format: 'zip-prefixed',
        status: 'analysable',
        reasons: ['ZIP_PREFIXED'],
        name: 'offsets shifted by zip -A',
      },
      {
        file: 'trailing-bytes.jar',
        format: 'zip-prefixed',
        status: 'analysable',
        reasons: ['ZIP_PREFIXED'],
        name: 'bytes after the end record',
      },
      {
        file: 'locked-sfx.zip',
        format: 'zip-prefixed-encrypted',
        status: 'encrypted',
        reasons: ['ZIP_PREFIXED_ENCRYPTED'],
        encryption: { scheme: 'zip', scope: 'full', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'cut-end.bin' }, { file: 'stray-end-record.bin' }],
  },
  { framework: { describe, it } },
);

describe('prefixed ZIP archives through the whole engine', () => {
  it('the prefix is measured and the archive is not opaque binary', async () => {
    const items = await scanFixtures('zip-prefixed');
    const launcher = items.get('launcher.jar')!;
    expect(launcher.format?.id).toBe('zip-prefixed');
    expect(launcher.classification.status).toBe('analysable');
    expect(launcher.classification.reasons.find((r) => r.code === 'ZIP_PREFIXED')?.figures?.prefixBytes).toBe(35);
    expect(items.get('locked-sfx.zip')?.classification.status).toBe('encrypted');
  });
});
