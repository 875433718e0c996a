import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { browserCachesDetector } from './browser-caches.js';

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
      { file: 'resources.pak', format: 'chromium-resource-pack', status: 'opaque', reasons: ['CHROMIUM_PAK_INDEX'] },
      {
        file: 'urlCache.bin',
        format: 'firefox-startup-cache',
        status: 'opaque',
        reasons: ['FIREFOX_STARTUP_CACHE_MAGIC'],
      },
    ],
    invalid: [{ file: 'not-simple-cache' }, { file: 'not-blockfile' }, { file: 'not-snss' }, { file: 'not-pak.bin' }],
  },
  { framework: { describe, it } },
);
