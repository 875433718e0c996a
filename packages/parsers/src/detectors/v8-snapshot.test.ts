import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { v8SnapshotDetector } from './v8-snapshot.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/v8-snapshot/ (generate.sh: Debian chromium's and Node 20's snapshots, cut to 4 KiB).
testDetector(
  v8SnapshotDetector,
  {
    fixtures: new URL('../../fixtures/v8-snapshot/', import.meta.url),
    valid: [
      { file: 'snapshot_blob.bin', format: 'v8-startup-snapshot', status: 'opaque', reasons: ['V8_SNAPSHOT_HEADER'] },
      {
        file: 'v8_context_snapshot.bin',
        format: 'v8-startup-snapshot',
        status: 'opaque',
        reasons: ['V8_SNAPSHOT_HEADER'],
      },
      { file: 'node-v8-11.bin', format: 'v8-startup-snapshot', status: 'opaque', reasons: ['V8_SNAPSHOT_HEADER'] },
      { file: 'indexeddb-value-2', format: 'v8-serialized', status: 'opaque', reasons: ['V8_SERIALIZED_VALUE'] },
    ],
    invalid: [
      { file: 'not-snapshot.bin', name: 'the header with other text where the version is' },
      { file: 'not-snapshot-offsets.bin', name: 'a payload offset pointing back into the header' },
      { file: 'not-serialized.bin', name: 'both serializer headers, then an object without a key tag' },
    ],
  },
  { framework: { describe, it } },
);

describe('V8 snapshots through the whole engine', () => {
  it('read the version in both header layouts', async () => {
    const items = await scanFixtures('v8-snapshot');
    expect(items.get('snapshot_blob.bin')!.classification.reasons[0]?.figures).toMatchObject({
      v8Version: '15.6.75.63',
      contexts: 1,
      truncated: true,
    });
    expect(items.get('node-v8-11.bin')!.classification.reasons[0]?.figures).toMatchObject({
      v8Version: '11.3.244.8-node.38',
      contexts: 4,
    });
    expect(items.get('indexeddb-value-2')!.classification.reasons[0]?.figures).toMatchObject({
      blinkVersion: 21,
      v8Version: 15,
    });
    for (const file of ['not-snapshot.bin', 'not-snapshot-offsets.bin'])
      expect(items.get(file)!.format?.id, file).not.toBe('v8-startup-snapshot');
  });
});
