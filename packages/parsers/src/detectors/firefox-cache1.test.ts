import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { firefoxCache1Detector } from './firefox-cache1.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/firefox-cache1/ (generate.sh: from the published layout; near misses by hand).
testDetector(
  firefoxCache1Detector,
  {
    fixtures: new URL('../../fixtures/firefox-cache1/', import.meta.url),
    valid: [
      { file: '_CACHE_MAP_', format: 'firefox-cache1-map', status: 'opaque', reasons: ['FIREFOX_CACHE1_MAP'] },
      {
        file: '_CACHE_001_',
        format: 'firefox-cache1-block',
        status: 'opaque',
        reasons: ['FIREFOX_CACHE1_BLOCK_FILE'],
      },
    ],
    invalid: [
      { file: 'not-cache-map.bin', name: 'a record count that is no multiple of the 32 buckets' },
      { file: 'cache-001-copy', name: "a block file's bytes under another name" },
    ],
  },
  { framework: { describe, it } },
);

describe('Firefox version 1 cache files through the whole engine', () => {
  it('name the map by its header and the block file by its name', async () => {
    const items = await scanFixtures('firefox-cache1');
    expect(items.get('_CACHE_MAP_')!.classification.reasons[0]?.figures).toMatchObject({
      version: '1.19',
      entries: 3,
      records: 64,
      truncated: false,
    });
    expect(items.get('_CACHE_001_')!.classification.status).toBe('opaque');
    expect(items.get('cache-001-copy')!.format?.id).not.toBe('firefox-cache1-block');
  });
});
