import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';
import { buildAndroidTree } from '../fixtures/apps/generate.js';
import { tempDir } from './scan-tree.js';

let root: string;
beforeAll(() => {
  root = tempDir('cli');
  buildAndroidTree(path.join(root, 'android'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('evtriage scan: the per-app summary on stderr', () => {
  it('ends with the top apps, encrypted items by app, apps nobody parsed and installed apps with no data', async () => {
    const out = path.join(root, 'manifest.json');
    const r = await runCli(['scan', path.join(root, 'android'), '-o', out]);
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    const text = r.stderr;
    expect(text).toMatch(/top apps \(\d+ with data\)/);
    expect(text).toMatch(/WhatsApp \(com\.whatsapp\)\s+android\s+8\s/);
    expect(text).toContain('whatsapp:messages (40 messages, 2 chats, 1 calls)');
    expect(text).toContain('KakaoTalk: kakaotalk-field-aes x1 (fields inside readable items)');
    expect(text).toMatch(/Apps with data no parser understands \(\d+\): .*com\.example\.notes \(1 file, 900 B\)/);
    expect(text).toContain('Installed, no data in this extraction (2): com.example.installedonly, Signal');
    const manifest = readJsonManifest(out);
    const kakao = manifest.summary.apps.find((a) => a.id === 'com.kakao.talk');
    expect(kakao?.encrypted).toEqual([
      expect.objectContaining({ scheme: 'kakaotalk-field-aes', count: 1, scope: 'partial' }),
    ]);
  });
});
