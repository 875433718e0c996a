/**
 * Browser profile files through the whole identify and classify stages with
 * every built-in: a Firefox cache2 entry is its body's format when something
 * recognises the body (the cache metadata is only the wrapper), and the cache
 * format when nothing does; Chromium's blockfile cache is named by its
 * own header rather than libmagic's "FoxPro FPT"; a session file whose
 * commands are OSCrypt ciphertext is encrypted, a clear one is not.
 * Fixtures made by headless chromium and firefox-esr
 * (packages/parsers/fixtures/browser-caches/generate.sh).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

const fixtures = fileURLToPath(new URL('../../packages/parsers/fixtures/', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-browser-'));
const items = new Map<string, EvidenceItem>();

beforeAll(async () => {
  const files: Record<string, string> = {
    'chromium/Default/Cache/Cache_Data/7913497e8f0746b8_0': 'browser-caches/chromium-simple-cache-entry_0',
    'chromium/Default/GPUCache/data_0': 'browser-caches/data_0',
    'chromium/Default/Sessions/Session_13440873659024000': 'browser-caches/Session_plain',
    'chromium/Default/Sessions_Encrypted/Tabs_13440873659090832': 'browser-caches/Tabs_encrypted',
    'firefox/cache2/entries/261898FB51B6F60B778C786765640B1E24F85DEE': 'firefox-cache2/entry-image',
    'firefox/cache2/entries/D0F48A0632B6C451791F4257697E861961F06A6F': 'firefox-cache2/entry-page',
  };
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.copyFileSync(path.join(fixtures, from), path.join(root, to));
  }
  for await (const item of scan(new FolderSource(root), { plugins: builtinPlugins, containers: builtinContainers }))
    items.set(item.path, item);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const verdict = (p: string) => {
  const item = items.get(p)!;
  return { status: item.classification.status, format: item.format?.id };
};

describe('browser profile files with every built-in', () => {
  it('a Firefox cache2 entry is its body when the body is recognised, else the cache format', () => {
    expect(verdict('firefox/cache2/entries/261898FB51B6F60B778C786765640B1E24F85DEE')).toEqual({
      status: 'analysable',
      format: 'png',
    });
    // A 485-byte HTML body before 676 bytes of binary cache metadata: libmagic says "data"; the trailer explains the file.
    const page = items.get('firefox/cache2/entries/D0F48A0632B6C451791F4257697E861961F06A6F')!;
    expect(verdict(page.path)).toEqual({ status: 'opaque', format: 'firefox-cache2-entry' });
    expect(page.classification.reasons[0]!.figures).toMatchObject({ bodyBytes: 485, version: 4 });
  });

  it('Chromium caches and sessions by their own headers; OSCrypt session commands are encrypted', () => {
    expect(verdict('chromium/Default/Cache/Cache_Data/7913497e8f0746b8_0')).toEqual({
      status: 'opaque',
      format: 'chromium-simple-cache-entry',
    });
    expect(verdict('chromium/Default/GPUCache/data_0')).toEqual({
      status: 'opaque',
      format: 'chromium-blockfile-cache',
    });
    expect(verdict('chromium/Default/Sessions/Session_13440873659024000')).toEqual({
      status: 'opaque',
      format: 'chromium-session',
    });
    const tabs = items.get('chromium/Default/Sessions_Encrypted/Tabs_13440873659090832')!;
    expect(verdict(tabs.path)).toEqual({ status: 'encrypted', format: 'chromium-session-encrypted' });
    expect(tabs.encryption?.scheme).toBe('chromium-oscrypt-v10');
  });
});
