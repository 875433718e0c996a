/**
 * Which app rule decides is the same in every entry point: a plugin's
 * app-specific rule (priority 50) is tried before the built-in generic layout
 * rules (priority 90), so a scan with the built-ins (as the CLI runs) and a
 * library scan without them attribute data/data/com.acme.chat/... by the
 * plugin's rule, whichever order the plugins are given in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineAppRules, FolderSource, scan, type EvidenceItem, type Plugin } from '@evtriage/core';
import { builtinPlugins } from '@evtriage/parsers';
import { afterAll, describe, expect, it } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-precedence-'));
fs.mkdirSync(path.join(dir, 'data/data/com.acme.chat/files'), { recursive: true });
fs.writeFileSync(path.join(dir, 'data/data/com.acme.chat/files/notes.txt'), 'hello\n');
fs.mkdirSync(path.join(dir, 'data/data/org.other.app/files'), { recursive: true });
fs.writeFileSync(path.join(dir, 'data/data/org.other.app/files/notes.txt'), 'hello\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const acme = defineAppRules({
  meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME apps' },
  rules: [
    {
      id: 'acme-chat-data',
      platform: 'android',
      literal: 'com.acme.chat/',
      pattern: '(?:^|/)data/data/(?<app>com\\.acme\\.chat)/',
    },
  ],
});

async function apps(plugins: readonly Plugin[]): Promise<Record<string, EvidenceItem['app']>> {
  const out: Record<string, EvidenceItem['app']> = {};
  for await (const item of scan(new FolderSource(dir), { plugins }))
    if (item.kind === 'file') out[item.path] = item.app;
  return out;
}

describe('app rule precedence', () => {
  it('is the same with and without the built-ins, in either order: the plugin rule decides its paths, the built-in the rest', async () => {
    const cliOrder = await apps([...builtinPlugins, acme]);
    const reversed = await apps([acme, ...builtinPlugins]);
    const alone = await apps([acme]);
    for (const run of [cliOrder, reversed, alone]) {
      expect(run['data/data/com.acme.chat/files/notes.txt']).toMatchObject({
        id: 'com.acme.chat',
        rule: 'acme-chat-data',
      });
    }
    expect(cliOrder['data/data/org.other.app/files/notes.txt']).toMatchObject({
      id: 'org.other.app',
      rule: 'android-data-data',
    });
    expect(reversed).toEqual(cliOrder);
    expect(alone['data/data/org.other.app/files/notes.txt']).toBeUndefined();
  });
});
