/**
 * A detector on a worker thread: a synchronous infinite loop (which no
 * main-thread budget can stop) becomes PLUGIN_TIMEOUT on that item, the
 * worker is replaced, and the other items are still identified by it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../model/evidence-item.js';
import { scan } from '../pipeline/scan.js';
import { FolderSource } from '../sources/folder.js';
import { isolateDetector } from './isolated-detector.js';
import type { DetectorPlugin } from './types.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-isolated-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
fs.mkdirSync(path.join(tmp, 'evidence'));
fs.writeFileSync(path.join(tmp, 'evidence/a.kite'), 'KITE ok one\n');
fs.writeFileSync(path.join(tmp, 'evidence/b.kite'), 'KITE loop forever\n');
fs.writeFileSync(path.join(tmp, 'evidence/c.kite'), 'KITE ok two\n');
fs.writeFileSync(path.join(tmp, 'evidence/d.kite'), 'KITE throw\n');
const moduleFile = path.join(tmp, 'kite.mjs');
fs.writeFileSync(
  moduleFile,
  `export const kite = {
  kind: 'detector',
  meta: { id: 'kite', version: '1.0.0', title: 'Kite', formats: [{ id: 'kite', name: 'Kite', status: 'analysable', how: 'signature' }] },
  signatures: [{ offset: 0, ascii: 'KITE' }],
  detect(probe) {
    const text = new TextDecoder().decode(probe.head);
    if (text.includes('loop forever')) for (;;) {}
    if (text.includes('throw')) throw new Error('kite bug');
    return { format: { id: 'kite', name: 'Kite' }, status: 'analysable', confidence: 0.9, reasons: [{ code: 'KITE_MAGIC', message: 'KITE at 0' }] };
  },
};
`,
);

describe('isolateDetector', () => {
  it('stops a detector stuck in a synchronous loop, records PLUGIN_TIMEOUT, and keeps using the detector for the other items', async () => {
    const url = pathToFileURL(moduleFile).href;
    const { kite } = (await import(url)) as { kite: DetectorPlugin };
    const isolated = isolateDetector(kite, url);
    expect(isolated.signatures).toEqual(kite.signatures);
    const started = Date.now();
    try {
      const run = scan(new FolderSource(path.join(tmp, 'evidence')), {
        plugins: [isolated],
        concurrency: 4,
        limits: { pluginTimeoutMs: 3000 },
      });
      const items: EvidenceItem[] = [];
      for await (const item of run) items.push(item);
      expect((await run.summary).complete).toBe(true);
      const by = new Map(items.map((i) => [i.path, i]));
      expect(by.get('a.kite')!.format?.id).toBe('kite');
      expect(by.get('c.kite')!.format?.id).toBe('kite');
      expect(by.get('b.kite')!.errors.map((e) => [e.code, e.plugin, e.message])).toEqual([
        ['PLUGIN_TIMEOUT', 'kite', 'detector kite took longer than 3000 ms and was abandoned'],
      ]);
      expect(by.get('d.kite')!.errors.map((e) => [e.code, e.message])).toEqual([
        ['PLUGIN_THREW', 'detector kite failed: kite bug'],
      ]);
    } finally {
      await isolated.close();
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
