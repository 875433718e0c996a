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
      {
        file: 'mixed-settings.json',
        format: 'electron-safestorage-text',
        status: 'encrypted',
        reasons: ['OSCRYPT_VALUES_IN_TEXT'],
      },
    ],
    invalid: [
      { file: 'release-notes.json', name: 'base64 of text that starts "v10": printable once decoded' },
      { file: 'short-value.json', name: 'a "v10" value too short for OSCrypt output' },
      {
        file: 'chromium-Preferences',
        name: 'a Chromium profile\'s Preferences: its only "v10" values are encrypted MACs',
      },
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
    // The encrypted MACs are left out, the token beside them counts.
    expect(items.get('mixed-settings.json')!.classification.reasons[0]?.figures).toMatchObject({ values: 1 });
    for (const file of ['release-notes.json', 'short-value.json', 'chromium-Preferences'])
      expect(items.get(file)!.classification.status, file).toBe('analysable');
    expect(items.get('chromium-Preferences')!.format?.id).toBe('json');
  });
});
