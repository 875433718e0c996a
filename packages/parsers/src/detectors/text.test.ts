import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

describe('text detector (fixtures made by printf and python3)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('text');
  });

  it.each([
    ['doc.json', 'json'],
    ['events.ndjson', 'ndjson'],
    ['prefs.xml', 'xml'],
    ['notes.txt', 'text'],
    ['app.log', 'log'],
    ['utf16.txt', 'text'],
    ['utf16-bom-emoji.txt', 'text'],
  ])('%s is %s and analysable', (name, id) => {
    const item = items.get(name)!;
    expect(item.format?.id).toBe(id);
    expect(item.classification.status).toBe('analysable');
  });

  it('records the encoding it decoded', () => {
    expect(items.get('utf16.txt')!.classification.reasons[0]!.figures).toMatchObject({ encoding: 'utf-16le' });
  });

  it.each(['utf16be-bom-then-uniform-bytes.bin', 'utf16le-bom-then-uniform-bytes.bin'])(
    'does not read random bytes behind a UTF-16 byte-order mark as text (%s)',
    (name) => {
      const item = items.get(name)!;
      expect(item.format?.id).toBe('unknown-encrypted');
      expect(item.classification.status).toBe('encrypted');
    },
  );

  it('does not call binary data with a text preamble text', () => {
    expect(items.get('text-then-binary.bin')!.format?.id).not.toBe('text');
  });
});
