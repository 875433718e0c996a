/**
 * Chromium profile databases whose values are OSCrypt ciphertext: Cookies
 * (cookies.encrypted_value) and Web Data (credit_cards.card_number_encrypted)
 * stay readable databases, partially encrypted, with the key hint of the
 * Chrome catalogue entry (Local State, the keychain, the desktop keyring).
 * Fixtures: ../../fixtures/chromium-cookies/*.sqlite and
 * ../../fixtures/chromium-web-data/*.sqlite (generate-oscrypt.sh: sqlite3 with
 * Chromium's schemas, real "v10" AES-128-CBC values; truncated copies).
 */
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../index.js';
import { sqliteArtifactParsers } from './sqlite-artifacts.js';

const cookiesDir = new URL('../../fixtures/chromium-cookies/', import.meta.url);
const webDataDir = new URL('../../fixtures/chromium-web-data/', import.meta.url);
const parser = (id: string) => sqliteArtifactParsers.find((p) => p.meta.id === id)!;

testParser(
  parser('chromium-cookies'),
  {
    fixtures: cookiesDir,
    valid: [
      {
        file: 'Cookies.sqlite',
        artifact: { id: 'chromium:cookies', counts: { cookies: 2 } },
        encryption: { scheme: 'chromium-os-crypt', scope: 'partial', keyHint: { kind: 'keystore' } },
        details: { encryptedFields: ['cookies.encrypted_value'], rowsWithEncryptedFields: 2 },
      },
      { file: 'Cookies-clear.sqlite', artifact: { id: 'chromium:cookies', counts: { cookies: 1 } } },
    ],
    invalid: [{ file: 'Cookies-truncated.sqlite', diagnostics: [], name: 'truncated copy: not called' }],
    // The .db files are the artifact case table's (sqlite-artifacts.cases.test.ts).
    ignore: ['**/*.db'],
  },
  { framework: { describe, it } },
);

testParser(
  parser('chromium-web-data'),
  {
    fixtures: webDataDir,
    valid: [
      {
        file: 'Web Data.sqlite',
        artifact: { id: 'chromium:web-data', counts: { autofill: 1, keywords: 1, cards: 1 } },
        encryption: { scheme: 'chromium-os-crypt', scope: 'partial' },
        details: {
          encryptedFields: [
            'credit_cards.card_number_encrypted',
            'unmasked_credit_cards.card_number_encrypted',
            'local_stored_cvc.value_encrypted',
            'server_stored_cvc.value_encrypted',
            'local_ibans.value_encrypted',
            'token_service.encrypted_token',
          ],
          rowsWithEncryptedFields: 1,
        },
      },
    ],
    invalid: [{ file: 'Web Data-truncated.sqlite', diagnostics: [], name: 'truncated copy: not called' }],
    ignore: ['**/*.db'],
  },
  { framework: { describe, it } },
);

describe('Chromium profile databases through the whole scan', () => {
  const items = new Map<string, EvidenceItem>();
  beforeAll(async () => {
    for (const dir of [cookiesDir, webDataDir])
      for await (const item of scan(new FolderSource(dir.pathname), { plugins: builtinPlugins }))
        items.set(item.path, item);
  });

  it('a cookie store with OSCrypt values is analysable, partially encrypted, keyed by the OS key store', () => {
    const item = items.get('Cookies.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toMatchObject({ scheme: 'chromium-os-crypt', scope: 'partial' });
    expect(item.encryption?.keyHint?.description).toMatch(/Local State.*Chrome Safe Storage/s);
    expect(item.encryption?.keyHint?.lookFor).toEqual(['**/User Data/Local State']);
  });

  it('a cookie store with clear values has no encryption', () => {
    const item = items.get('Cookies-clear.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toBeUndefined();
  });

  it('Web Data with a saved card is analysable and partially encrypted', () => {
    const item = items.get('Web Data.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toMatchObject({ scheme: 'chromium-os-crypt', scope: 'partial' });
  });
});
