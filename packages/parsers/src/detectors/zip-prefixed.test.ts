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

  it('its members are listed and identified: appended as written, shifted by zip -A, with bytes after the end, locked', async () => {
    const items = await scanFixtures('zip-prefixed');
    for (const archive of ['launcher.jar', 'adjusted-sfx.zip', 'trailing-bytes.jar']) {
      expect(items.get(archive)?.errors, archive).toEqual([]);
      const member = items.get(`${archive}!/notes.txt`);
      expect(member?.format?.id, archive).toBe('text');
      expect(member?.size, archive).toBe('meeting notes: the harbour at nine\n'.length);
      expect(member?.depth, archive).toBe(1);
    }
    expect(items.get('locked-sfx.zip!/notes.txt')?.classification.status).toBe('encrypted');
    // The look-alikes stay files: no members.
    expect(
      [...items.keys()].filter((p) => p.startsWith('cut-end.bin!/') || p.startsWith('stray-end-record.bin!/')),
    ).toEqual([]);
  });
});
