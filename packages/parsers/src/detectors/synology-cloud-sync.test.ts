import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { synologyCloudSyncDetector } from './synology-cloud-sync.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/synology-cloud-sync/', import.meta.url);

// Written from the published layout: fixtures/synology-cloud-sync/generate.sh.
testDetector(
  synologyCloudSyncDetector,
  {
    fixtures,
    valid: [
      {
        // Cloud Sync keeps the original name: a .docx that is ciphertext.
        file: 'report.docx',
        format: 'synology-cloud-sync-encrypted',
        status: 'encrypted',
        reasons: ['SYNOLOGY_CLOUD_SYNC_ENCRYPTED'],
        encryption: { scheme: 'synology-cloud-sync-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      { file: 'notes.txt', format: 'synology-cloud-sync-compressed', status: 'opaque' },
    ],
    invalid: [{ file: 'broken-dict.bin', name: 'the magic, then a dict whose first key is not a string' }],
  },
  { framework: { describe, it } },
);

describe('synology-cloud-sync on other bytes', () => {
  it('takes no random bytes behind the magic', () => {
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const b = seededBytes(i + 29, 60 + (i % 1000));
      b.set(Buffer.from('__CLOUDSYNC_ENC__d8d6ba7b9df02ef39a33ef912a91dc56\x37', 'latin1'), 0);
      if (synologyCloudSyncDetector.detect(wholeFileProbe(b), { limits: DEFAULT_LIMITS })) found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    synologyCloudSyncDetector,
    ['report.docx', 'notes.txt'].map((n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const),
    100,
  );
});
