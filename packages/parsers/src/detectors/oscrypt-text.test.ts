import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { oscryptTextDetector } from './oscrypt-text.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/oscrypt-text/ (generate.sh: Chromium's OSCrypt layouts with real AES-GCM and AES-CBC).
testDetector(
  oscryptTextDetector,
  {
    fixtures: new URL('../../fixtures/oscrypt-text/', import.meta.url),
    valid: [
      {
        file: 'app-settings.json',
        format: 'electron-safestorage-text',
        status: 'encrypted',
        reasons: ['OSCRYPT_VALUES_IN_TEXT'],
        encryption: { scheme: 'electron-safestorage-v10', scope: 'partial', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'linux-token.json',
        format: 'electron-safestorage-text',
        status: 'encrypted',
        reasons: ['OSCRYPT_VALUES_IN_TEXT'],
        encryption: { scheme: 'electron-safestorage-v11', scope: 'partial' },
      },
    ],
    invalid: [
      { file: 'release-notes.json', name: 'base64 of text that starts "v10": printable once decoded' },
      { file: 'short-value.json', name: 'a "v10" value too short for OSCrypt output' },
    ],
  },
  { framework: { describe, it } },
);

describe('safeStorage values in text through the whole engine', () => {
  it('outrank the JSON reading; look-alikes stay readable JSON', async () => {
    const items = await scanFixtures('oscrypt-text');
    const settings = items.get('app-settings.json')!;
    expect(settings.format?.id).toBe('electron-safestorage-text');
    expect(settings.classification.status).toBe('encrypted');
    expect(settings.classification.reasons[0]?.figures).toMatchObject({ values: 2, prefixes: 'v10' });
    expect(items.get('linux-token.json')!.classification.status).toBe('encrypted');
    for (const file of ['release-notes.json', 'short-value.json'])
      expect(items.get(file)!.classification.status, file).toBe('analysable');
  });
});
