import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { browserCachesDetector } from './browser-caches.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  browserCachesDetector,
  {
    fixtures: new URL('../../fixtures/browser-caches/', import.meta.url),
    valid: [
      {
        file: 'chromium-simple-cache-entry_0',
        format: 'chromium-simple-cache-entry',
        status: 'opaque',
        reasons: ['CHROMIUM_SIMPLE_CACHE_ENTRY'],
      },
      {
        file: 'chromium-simple-cache-index',
        format: 'chromium-simple-cache-index',
        status: 'opaque',
        reasons: ['CHROMIUM_SIMPLE_CACHE_FAKE_INDEX'],
      },
      {
        file: 'the-real-index',
        format: 'chromium-simple-cache-index',
        status: 'opaque',
        reasons: ['CHROMIUM_SIMPLE_CACHE_INDEX'],
      },
      {
        file: 'data_0',
        format: 'chromium-blockfile-cache',
        status: 'opaque',
        reasons: ['CHROMIUM_BLOCKFILE_BLOCKS'],
      },
      {
        file: 'Code Cache/js/url-keyed_0',
        format: 'chromium-code-cache-entry',
        status: 'opaque',
        reasons: ['CHROMIUM_CODE_CACHE_ENTRY'],
      },
      {
        file: 'Code Cache/js/hash-keyed_0',
        format: 'chromium-code-cache-entry',
        status: 'opaque',
        reasons: ['CHROMIUM_CODE_CACHE_ENTRY'],
      },
      { file: 'Session_plain', format: 'chromium-session', status: 'opaque', reasons: ['CHROMIUM_SNSS_COMMANDS'] },
      {
        file: 'Session_encrypted',
        format: 'chromium-session-encrypted',
        status: 'encrypted',
        reasons: ['CHROMIUM_SNSS_OSCRYPT'],
        encryption: { scheme: 'chromium-oscrypt-v10', keyHint: { kind: 'keystore', lookFor: ['**/Local State'] } },
      },
      {
        file: 'Tabs_encrypted',
        format: 'chromium-session-encrypted',
        status: 'encrypted',
        reasons: ['CHROMIUM_SNSS_OSCRYPT'],
      },
      {
        file: 'Visited Links',
        format: 'chromium-visited-links',
        status: 'opaque',
        reasons: ['CHROMIUM_VISITED_LINKS'],
      },
      { file: 'resources.pak', format: 'chromium-resource-pack', status: 'opaque', reasons: ['CHROMIUM_PAK_INDEX'] },
      {
        file: 'urlCache.bin',
        format: 'firefox-startup-cache',
        status: 'opaque',
        reasons: ['FIREFOX_STARTUP_CACHE_MAGIC'],
      },
    ],
    invalid: [
      { file: 'not-simple-cache' },
      { file: 'not-blockfile' },
      { file: 'not-snss' },
      { file: 'not-pak.bin' },
      { file: 'not-visited-links' },
    ],
  },
  { framework: { describe, it } },
);

describe('V8 code cache entries through the whole engine', () => {
  it('are named with the script and origin their key holds, never judged by statistics', async () => {
    const items = await scanFixtures('browser-caches');
    const byUrl = items.get('Code Cache/js/url-keyed_0')!;
    expect(byUrl.format?.id).toBe('chromium-code-cache-entry');
    expect(byUrl.classification.status).toBe('opaque');
    expect(byUrl.classification.reasons[0]?.figures).toMatchObject({ cache: 'js' });
    const urlDetails = byUrl.details?.['browser-caches'] as { url?: string; origin?: string } | undefined;
    expect(urlDetails?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/big\.js$/);
    expect(urlDetails?.origin).toBe('http://127.0.0.1/');
    const hashDetails = items.get('Code Cache/js/hash-keyed_0')!.details?.['browser-caches'] as
      { sourceHash?: string } | undefined;
    expect(hashDetails?.sourceHash).toMatch(/^[0-9A-F]{64}$/);
    // An HTTP cache entry keeps its own name.
    expect(items.get('chromium-simple-cache-entry_0')!.format?.id).toBe('chromium-simple-cache-entry');
  });
});
