/**
 * Apple Notes locked notes: NoteStore.sqlite stays a readable database, and the
 * rows whose ZCRYPTOWRAPPEDKEY holds a wrapped key (the app catalogue's encrypted
 * field for ios:notes) make the item partially encrypted. Fixtures:
 * ../../fixtures/ios-notes/*.sqlite (generate-locked.sh, from the published schema).
 */
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../index.js';
import { sqliteArtifactParsers } from './sqlite-artifacts.js';

const fixtures = new URL('../../fixtures/ios-notes/', import.meta.url);
const notes = sqliteArtifactParsers.find((p) => p.meta.id === 'ios-notes')!;

testParser(
  notes,
  {
    fixtures,
    valid: [
      {
        file: 'locked.sqlite',
        artifact: { id: 'ios:notes', counts: { notes: 3 } },
        encryption: { scheme: 'apple-notes-locked', scope: 'partial' },
        details: { encryptedFields: ['ZICCLOUDSYNCINGOBJECT.ZCRYPTOWRAPPEDKEY'], rowsWithEncryptedFields: 1 },
      },
      { file: 'unlocked.sqlite', artifact: { id: 'ios:notes', counts: { notes: 3 } } },
    ],
    invalid: [{ file: 'locked-truncated.sqlite', diagnostics: [], name: 'truncated copy: not called' }],
    // The .db files are the artifact case table's (sqlite-artifacts.cases.test.ts).
    ignore: ['**/*.db'],
  },
  { framework: { describe, it } },
);

describe('Apple Notes store through the whole scan', () => {
  const items = new Map<string, EvidenceItem>();
  beforeAll(async () => {
    for await (const item of scan(new FolderSource(new URL('.', fixtures).pathname), { plugins: builtinPlugins }))
      items.set(item.path, item);
  });

  it('a store with a locked note stays analysable, partially encrypted, with the key hint of Notes', () => {
    const item = items.get('locked.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toMatchObject({
      scheme: 'apple-notes-locked',
      scope: 'partial',
      keyHint: { kind: 'password' },
    });
    expect(item.encryption?.keyHint?.description).toMatch(/ZPASSWORDHINT/);
  });

  it('a store without locked notes has no encryption', () => {
    const item = items.get('unlocked.sqlite')!;
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toBeUndefined();
  });
});
