import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dpapiTextDetector } from './dpapi-text.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/dpapi-text/ (generate.sh: blobs to the published DPAPI layout, text as each writer makes it).
testDetector(
  dpapiTextDetector,
  {
    fixtures: new URL('../../fixtures/dpapi-text/', import.meta.url),
    valid: [
      {
        file: 'securestring.txt',
        format: 'dpapi-blob-text',
        status: 'encrypted',
        reasons: ['DPAPI_BLOB_HEX_TEXT'],
        encryption: {
          scheme: 'dpapi-aes-256',
          scope: 'full',
          keyHint: { kind: 'key-file', lookFor: ['**/Protect/S-1-*/6d2b8f0e-4c1a-4e3b-9f57-2a8c1d0e5b74'] },
        },
      },
      {
        file: 'credential.xml',
        format: 'dpapi-blob-text',
        status: 'encrypted',
        reasons: ['DPAPI_BLOBS_IN_TEXT'],
        encryption: { scheme: 'dpapi-aes-256', scope: 'partial' },
      },
      {
        file: 'local.vdf',
        format: 'dpapi-blob-text',
        status: 'encrypted',
        reasons: ['DPAPI_BLOBS_IN_TEXT'],
        encryption: {
          scope: 'partial',
          keyHint: { lookFor: ['**/Protect/S-1-*/a4f1c9d2-7e3b-4a6c-8d5e-0f1b2c3d4e5f'] },
        },
      },
      {
        file: 'settings.json',
        format: 'dpapi-blob-text',
        status: 'encrypted',
        reasons: ['DPAPI_BLOBS_IN_TEXT'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'Zoom.us.ini',
        format: 'dpapi-blob-text',
        status: 'encrypted',
        reasons: ['DPAPI_BLOBS_IN_TEXT'],
        encryption: { scope: 'partial', keyHint: { kind: 'key-file' } },
      },
    ],
    invalid: [
      { file: 'guid-notes.txt', name: "prose quoting the blob's start: no blob" },
      { file: 'bad-version.txt', name: 'master key version 7: not a DPAPI blob' },
    ],
  },
  { framework: { describe, it } },
);

describe('DPAPI blobs in text through the whole engine', () => {
  it('outranks the text, XML and JSON readings; look-alikes stay readable text', async () => {
    const items = await scanFixtures('dpapi-text');
    for (const file of ['securestring.txt', 'credential.xml', 'local.vdf', 'settings.json', 'Zoom.us.ini']) {
      expect(items.get(file)!.format?.id, file).toBe('dpapi-blob-text');
      expect(items.get(file)!.classification.status, file).toBe('encrypted');
    }
    for (const file of ['guid-notes.txt', 'bad-version.txt'])
      expect(items.get(file)!.classification.status, file).toBe('analysable');
  });
});
