/**
 * 1Password 7's B5.sqlite: a readable database whose item overviews and
 * details are AES-256-GCM ciphertext (the catalogue's encrypted fields for
 * onepassword:b5-items), so the item is analysable and partially encrypted,
 * with the account password and Secret Key as key hint. Fixtures:
 * ../../fixtures/onepassword-b5-items/*.sqlite (generate-b5.sh, from the
 * published dumps of the table, real AES-GCM values).
 */
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../index.js';
import { sqliteArtifactParsers } from './sqlite-artifacts.js';

const fixtures = new URL('../../fixtures/onepassword-b5-items/', import.meta.url);

testParser(
  sqliteArtifactParsers.find((p) => p.meta.id === 'onepassword-b5-items')!,
  {
    fixtures,
    valid: [
      {
        file: 'B5.sqlite',
        artifact: { id: 'onepassword:b5-items', counts: { items: 3 } },
        encryption: { scheme: '1password-b5-a256gcm', scope: 'partial', keyHint: { kind: 'password' } },
        details: { encryptedFields: ['items.overview', 'items.details'], rowsWithEncryptedFields: 6 },
      },
      { file: 'B5-empty.sqlite', artifact: { id: 'onepassword:b5-items', counts: { items: 0 } } },
    ],
    invalid: [{ file: 'B5-truncated.sqlite', diagnostics: [], name: 'truncated copy: not called' }],
    // The .db files are the artifact case table's (sqlite-artifacts.cases.test.ts).
    ignore: ['**/*.db'],
  },
  { framework: { describe, it } },
);

describe('1Password B5.sqlite through the whole scan', () => {
  const items = new Map<string, EvidenceItem>();
  beforeAll(async () => {
    for await (const item of scan(new FolderSource(fixtures.pathname), { plugins: builtinPlugins }))
      items.set(item.path, item);
  });

  it('a vault with items is analysable and partially encrypted, keyed by the account password and Secret Key', () => {
    const item = items.get('B5.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toMatchObject({ scheme: '1password-b5-a256gcm', scope: 'partial' });
    expect(item.encryption?.keyHint?.description).toMatch(/Secret Key/);
  });

  it('an empty vault has nothing encrypted', () => {
    expect(items.get('B5-empty.sqlite')!.encryption).toBeUndefined();
  });
});
