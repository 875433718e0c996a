import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidSyntheticPasswordDetector } from './android-synthetic-password.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const dir = 'system_de/0/spblob/5f3a9c1e27b4d680';

testDetector(
  androidSyntheticPasswordDetector,
  {
    fixtures: new URL('../../fixtures/android-synthetic-password/', import.meta.url),
    valid: [
      {
        file: `${dir}.spblob`,
        format: 'android-spblob',
        status: 'encrypted',
        reasons: ['SP_BLOB'],
        encryption: { scheme: 'android-synthetic-password-aes-gcm', keyHint: { kind: 'hardware', present: 'no' } },
      },
      { file: `${dir}.metrics`, format: 'android-sp-metrics', status: 'encrypted', reasons: ['SP_METRICS'] },
      { file: `${dir}.secdis`, format: 'android-sp-secdiscardable', status: 'opaque', reasons: ['SP_SECDISCARDABLE'] },
    ],
    invalid: [
      { file: 'system_de/0/spblob/00000000000000ff.spblob', name: 'a version byte no Android wrote' },
      { file: `${dir}.secdis`, path: 'Download/5f3a9c1e27b4d680.secdis', name: 'the same bytes outside spblob/' },
    ],
  },
  { framework: { describe, it } },
);

describe('a spblob folder through the whole engine', () => {
  it('the folder outranks the statistics: key-sized ciphertext encrypted, the random 16 KiB opaque', async () => {
    const items = await scanFixtures('android-synthetic-password');
    expect(items.get(`${dir}.spblob`)?.format?.id).toBe('android-spblob');
    expect(items.get(`${dir}.metrics`)?.classification.status).toBe('encrypted');
    expect(items.get(`${dir}.secdis`)?.format?.id).toBe('android-sp-secdiscardable');
  });
});
