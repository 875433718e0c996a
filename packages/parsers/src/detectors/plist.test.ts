import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

describe('plist detector (fixtures made by python3 plistlib)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('plist');
  });

  it('identifies binary plists by magic, with or without an extension', () => {
    for (const name of ['binary.plist', 'binary-no-extension']) {
      const item = items.get(name)!;
      expect(item.format?.id).toBe('bplist');
      expect(codes(item)).toContain('BPLIST_MAGIC');
      expect(item.classification.status).toBe('analysable');
    }
  });

  it('identifies XML plists by their root element and lists top-level keys', () => {
    const item = items.get('xml.plist')!;
    expect(item.format?.id).toBe('xml-plist');
    const summary = item.details?.['plist-summary'] as { root?: unknown; keys?: unknown } | undefined;
    expect(summary?.root).toBe('dict');
    expect(summary?.keys).toEqual(expect.arrayContaining(['CFBundleIdentifier', 'LastOpened']));
    expect(items.get('binary.plist')!.details?.['plist-summary']).toMatchObject({ root: 'dict', keyCount: 5 });
  });

  it('does not call another XML document a plist', () => {
    expect(items.get('not-a-plist.xml')!.format?.id).toBe('xml');
  });
});
