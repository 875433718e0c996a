/**
 * Engine isolation of plugins: a detector or parser that throws, hangs or
 * returns something that fails the contract becomes an error on the item
 * naming the plugin, and the scan goes on (other plugins still decide, every
 * entry still becomes an item).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../model/evidence-item.js';
import { defineDetector, defineParser } from '../plugin/define.js';
import type { DetectorPlugin, ParserPlugin } from '../plugin/types.js';
import { FolderSource } from '../sources/folder.js';
import { scan } from './scan.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-isolation-'));
fs.writeFileSync(path.join(dir, 'a.good'), 'GOOD first file\n');
fs.writeFileSync(path.join(dir, 'b.good'), 'GOOD second file\n');
fs.writeFileSync(path.join(dir, 'c.txt'), 'plain text\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const good = defineDetector({
  meta: {
    id: 'good',
    version: '1.0.0',
    title: 'Good',
    formats: [{ id: 'good', name: 'Good', status: 'analysable', how: 'signature' }],
  },
  signatures: [{ offset: 0, ascii: 'GOOD' }],
  detect: () => ({
    format: { id: 'good', name: 'Good' },
    status: 'analysable',
    confidence: 0.95,
    reasons: [{ code: 'GOOD_MAGIC', message: 'GOOD at 0' }],
  }),
});

const badDetector = (id: string, detect: DetectorPlugin['detect']) =>
  defineDetector({
    meta: { id, version: '1.0.0', title: id, formats: [{ id, name: id, status: 'opaque', how: 'structure' }] },
    detect,
  });
const badParser = (id: string, parse: ParserPlugin['parse']) =>
  defineParser({ meta: { id, version: '1.0.0', title: id, formats: ['good'] }, parse });

async function run(plugins: unknown[]): Promise<{ items: EvidenceItem[]; complete: boolean }> {
  const r = scan(new FolderSource(dir), { plugins, concurrency: 2, limits: { pluginTimeoutMs: 150 } });
  const items: EvidenceItem[] = [];
  for await (const item of r) items.push(item);
  return { items, complete: (await r.summary).complete };
}

const errorsOf = (item: EvidenceItem | undefined) =>
  (item?.errors ?? []).map((e) => `${e.stage} ${e.code} ${e.plugin}`);

describe('engine isolation of detectors', () => {
  it('records a throwing, hanging or garbage-returning detector on every item it ran on, naming it; the others still decide', async () => {
    const { items, complete } = await run([
      good,
      badDetector('throws', () => {
        throw new Error('detector bug');
      }),
      badDetector('hangs', () => new Promise(() => undefined)),
      badDetector(
        'garbage',
        () => ({ format: { id: 'Not An Id', name: '' }, status: 'maybe', confidence: 7 }) as never,
      ),
    ]);
    expect(complete).toBe(true);
    expect(items.map((i) => i.path)).toEqual(['a.good', 'b.good', 'c.txt']);
    for (const item of items) {
      expect(errorsOf(item).sort()).toEqual([
        'identify PLUGIN_BAD_RESULT garbage',
        'identify PLUGIN_THREW throws',
        'identify PLUGIN_TIMEOUT hangs',
      ]);
    }
    const a = items[0]!;
    expect(a.format?.id).toBe('good');
    expect(a.errors.find((e) => e.plugin === 'throws')!.message).toBe('detector throws failed: detector bug');
    expect(a.errors.find((e) => e.plugin === 'hangs')!.message).toBe(
      'detector hangs took longer than 150 ms and was abandoned',
    );
    expect(a.errors.find((e) => e.plugin === 'garbage')!.message).toMatch(
      /^detector garbage returned a result that fails the contract: /,
    );
    // Three items, each waiting once for the hanging detector: the scan ended (a hang would reach the test's timeout).
  });

  it('aborts the signal it gave an async detector when the budget runs out', async () => {
    let aborted = false;
    const polite = badDetector(
      'polite',
      (_probe, ctx) =>
        new Promise((resolve) => ctx.signal?.addEventListener('abort', () => ((aborted = true), resolve(undefined)))),
    );
    const { items } = await run([good, polite]);
    expect(aborted).toBe(true);
    expect(errorsOf(items[0])).toEqual(['identify PLUGIN_TIMEOUT polite']);
  });
});

describe('engine isolation of parsers', () => {
  it('records a throwing, hanging or garbage-returning parser, naming it; other parsers still run', async () => {
    const fine = defineParser({
      meta: { id: 'fine', version: '1.0.0', title: 'fine', formats: ['good'] },
      parse: (ctx) => ({ details: { size: ctx.item.size } }),
    });
    const { items, complete } = await run([
      good,
      fine,
      badParser('p-throws', () => {
        throw new TypeError('parser bug');
      }),
      badParser('p-hangs', () => new Promise(() => undefined)),
      badParser('p-garbage', () => ({ details: 'not an object', extra: 1 }) as never),
      badParser('p-bad-diagnostic', (ctx) => {
        ctx.report({ code: 'lower case', severity: 'fatal', message: 'x' } as never);
        return undefined;
      }),
    ]);
    expect(complete).toBe(true);
    const [a, b, c] = items;
    for (const item of [a, b]) {
      expect(errorsOf(item).sort()).toEqual([
        'parse PLUGIN_BAD_DIAGNOSTIC p-bad-diagnostic',
        'parse PLUGIN_BAD_RESULT p-garbage',
        'parse PLUGIN_THREW p-throws',
        'parse PLUGIN_TIMEOUT p-hangs',
      ]);
      expect(item!.details?.['fine']).toEqual({ size: item!.size });
    }
    expect(a!.errors.find((e) => e.plugin === 'p-throws')!.message).toBe('parser p-throws failed: parser bug');
    expect(a!.errors.find((e) => e.plugin === 'p-hangs')!.message).toBe(
      'parser p-hangs took longer than 150 ms and was abandoned',
    );
    expect(errorsOf(c)).toEqual([]);
  });

  it('names an undeclared diagnostic code in the error', async () => {
    const p = defineParser({
      meta: {
        id: 'strict',
        version: '1.0.0',
        title: 'strict',
        formats: ['good'],
        diagnostics: { STRICT_KNOWN: 'known' },
      },
      parse: (ctx) => {
        ctx.report({ code: 'STRICT_KNOWN', severity: 'info', message: 'fine' });
        ctx.report({ code: 'STRICT_SURPRISE', severity: 'warning', message: 'surprise' });
        return undefined;
      },
    });
    const { items } = await run([good, p]);
    expect(items[0]!.errors.map((e) => [e.code, e.message])).toEqual([
      ['STRICT_KNOWN', 'fine'],
      [
        'PLUGIN_UNDECLARED_DIAGNOSTIC',
        'parser strict reported STRICT_SURPRISE, which its meta.diagnostics does not declare: surprise',
      ],
    ]);
  });
});
