/**
 * A plist item is decoded once and shared: every parser of a `bplist` or
 * `xml-plist` item gets the same decoded value in `ctx.plist`, with or
 * without `requires.plistKeys`; an item that fails to decode still reaches
 * parsers without requirements, with no `ctx.plist`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineParser, openSource, scan } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

const sample = path.resolve(
  import.meta.dirname,
  '../../examples/sample-extraction/ios/private/var/mobile/Containers/Data/Application/3F2504E0-4F89-11D3-9A0C-0305E82C3301',
);
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-shared-plist-'));
  // A binary plist made by the sample script (python plistlib) and an XML one (its EmojiCache).
  fs.copyFileSync(
    path.join(sample, '.com.apple.mobile_container_manager.metadata.plist'),
    path.join(dir, 'metadata.plist'),
  );
  fs.copyFileSync(path.join(sample, 'Library/Preferences/com.apple.EmojiCache.plist'), path.join(dir, 'emoji.plist'));
  // Identified as an XML plist by its root element, but cut short: it cannot decode.
  fs.writeFileSync(
    path.join(dir, 'broken.plist'),
    '<?xml version="1.0"?>\n<plist version="1.0"><dict><key>a</key><string>b',
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ctx.plist', () => {
  it('is decoded once per item and given to every parser of a plist', async () => {
    const seen = new Map<string, unknown[]>();
    const spy = (id: string, priority: number) =>
      defineParser({
        meta: { id, version: '1.0.0', title: id, formats: ['bplist', 'xml-plist'] },
        priority,
        parse(ctx) {
          seen.set(`${id}:${ctx.item.path}`, [ctx.plist]);
          return undefined;
        },
      });
    const source = await openSource(dir);
    const items = [];
    for await (const item of scan(source, {
      plugins: [...builtinPlugins, spy('spy-first', 1), spy('spy-last', 99)],
      containers: builtinContainers,
    }))
      items.push(item);
    await source.close();
    for (const name of ['metadata.plist', 'emoji.plist']) {
      const first = seen.get(`spy-first:${name}`)![0];
      expect(first, name).toBeTypeOf('object');
      // The same object, not a second decoding.
      expect(seen.get(`spy-last:${name}`)![0]).toBe(first);
    }
    expect(seen.get('spy-first:metadata.plist')![0]).toHaveProperty('MCMMetadataIdentifier');
    // The broken one still reaches the parsers, without a value; plist-summary reports why.
    expect(seen.get('spy-first:broken.plist')![0]).toBeUndefined();
    const broken = items.find((i) => i.path === 'broken.plist')!;
    expect(broken.format?.id).toBe('xml-plist');
    expect(broken.errors).toContainEqual(expect.objectContaining({ code: 'PLIST_MALFORMED', plugin: 'plist-summary' }));
  });
});
