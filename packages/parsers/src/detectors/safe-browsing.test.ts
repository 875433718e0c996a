import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { safeBrowsingDetector } from './safe-browsing.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/safe-browsing/ (generate.sh: from Chromium's published layout; near misses by hand).
testDetector(
  safeBrowsingDetector,
  {
    fixtures: new URL('../../fixtures/safe-browsing/', import.meta.url),
    valid: [
      {
        file: 'UrlSoceng.store.4_13406000000000000',
        format: 'chromium-safe-browsing-prefixes',
        status: 'opaque',
        reasons: ['SAFE_BROWSING_PREFIXES_SORTED'],
      },
      {
        file: 'UrlMalware.store.32_13406000000000001',
        format: 'chromium-safe-browsing-prefixes',
        status: 'opaque',
        reasons: ['SAFE_BROWSING_PREFIXES_SORTED'],
      },
      {
        file: 'UrlSoceng.store',
        format: 'chromium-safe-browsing-store',
        status: 'opaque',
        reasons: ['SAFE_BROWSING_V4_STORE'],
      },
    ],
    invalid: [
      { file: 'UrlBilling.store.4_13406000000000002', name: 'the name of a prefix file over unsorted random bytes' },
      { file: 'not-a-store.pb', name: 'the store magic field, then no version field' },
    ],
  },
  { framework: { describe, it } },
);

describe('Safe Browsing files through the whole engine', () => {
  it('are never ciphertext when their prefixes ascend; unsorted random bytes are left to the statistics', async () => {
    const items = await scanFixtures('safe-browsing');
    const big = items.get('UrlMalware.store.32_13406000000000001')!;
    expect(big.classification.status).toBe('opaque');
    // 25,600 bytes: the 16 KiB head and 8 KiB tail hold 512 and 256 whole hashes.
    expect(big.classification.reasons[0]?.figures).toMatchObject({ prefixSize: 32, prefixes: 800, checked: 768 });
    expect(items.get('UrlSoceng.store.4_13406000000000000')!.classification.reasons[0]?.figures).toMatchObject({
      prefixes: 3000,
    });
    expect(items.get('UrlBilling.store.4_13406000000000002')!.format?.id).not.toBe('chromium-safe-browsing-prefixes');
  });
});
