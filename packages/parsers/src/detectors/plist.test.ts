import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem, Probe } from '@evtriage/core';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { plistDetector } from './plist.js';

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

function textProbe(text: string): Probe {
  const head = Buffer.from(text, 'latin1');
  return {
    path: 'x.xml',
    logicalPath: 'x.xml',
    name: 'x.xml',
    extension: 'xml',
    size: head.length,
    head,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  };
}

describe('plist detector: comments before the root', () => {
  const limits = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 } };
  it('a run of comments not followed by <plist> is refused in one pass (a lazy comment body split it 2^n ways)', async () => {
    // 40 comments then text: 311 bytes that held the detector past its 15-second deadline.
    const comments = '<!---->'.repeat(40) + '<!-- a -- b --->';
    expect(
      await plistDetector.detect(textProbe(`<?xml version="1.0"?>\n${comments}x<plist>\n`), limits),
    ).toBeUndefined();
    const found = await plistDetector.detect(
      textProbe(`<?xml version="1.0"?>\n${comments}\n<plist version="1.0"/>`),
      limits,
    );
    expect(found).toMatchObject({ format: { id: 'xml-plist' } });
    // A comment ends at its first "-->": what follows it is not a comment's body.
    expect(await plistDetector.detect(textProbe('<!-- a --> b --><plist>'), limits)).toBeUndefined();
  });
});
