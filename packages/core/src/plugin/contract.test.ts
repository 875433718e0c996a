/**
 * The shared contract checks: a scan enforces what the test kit enforces (an
 * undeclared format or status, an undeclared diagnostic code even when the
 * parser declares no `meta.diagnostics`), diagnostic templates are filled
 * from `data`, and a plugin's data is checked when it loads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../model/evidence-item.js';
import { scan } from '../pipeline/scan.js';
import { FolderSource } from '../sources/folder.js';
import { planDetectorTests } from '../testing/detector.js';
import { planParserTests } from '../testing/parser.js';
import { runPlanned } from '../testing/suite.js';
import { checkDiagnostic, fillTemplate, pluginDataProblems } from './contract.js';
import { defineAppRules, defineDetector, defineParser } from './define.js';
import { createRegistry, validatePlugin } from './registry.js';
import type { DetectorPlugin, ParserPlugin } from './types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-contract-'));
fs.writeFileSync(path.join(dir, 'a.toy'), 'TOY! a toy file\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const toyMeta = {
  id: 'toy',
  version: '1.0.0',
  title: 'Toy',
  formats: [{ id: 'toy', name: 'Toy', status: 'analysable' as const, how: 'signature' as const }],
};
const reasons = [{ code: 'TOY_MAGIC', message: 'TOY! at offset 0' }];
const liar = defineDetector({
  meta: toyMeta,
  signatures: [{ offset: 0, ascii: 'TOY!' }],
  detect: () => ({ format: { id: 'toy-other', name: 'Other' }, status: 'analysable', confidence: 0.95, reasons }),
});
const wrongStatus = defineDetector({
  meta: toyMeta,
  signatures: [{ offset: 0, ascii: 'TOY!' }],
  detect: () => ({ format: { id: 'toy', name: 'Toy' }, status: 'encrypted', confidence: 0.95, reasons }),
});
const honest = defineDetector({
  meta: toyMeta,
  signatures: [{ offset: 0, ascii: 'TOY!' }],
  detect: () => ({ format: { id: 'toy', name: 'Toy' }, status: 'analysable', confidence: 0.95, reasons }),
});
const parser = (meta: Partial<ParserPlugin['meta']>, parse: ParserPlugin['parse']) =>
  defineParser({ meta: { id: 'toy-parser', version: '1.0.0', title: 'Toy parser', formats: ['toy'], ...meta }, parse });

async function scanItem(plugins: unknown[]): Promise<EvidenceItem> {
  const items: EvidenceItem[] = [];
  for await (const item of scan(new FolderSource(dir), { plugins })) items.push(item);
  return items.find((i) => i.path === 'a.toy')!;
}

describe('a scan enforces the same contract as the test kit', () => {
  it('drops a detection of an undeclared format, or with another status than declared, with a PLUGIN_BAD_RESULT error', async () => {
    for (const [detector, message] of [
      [liar, 'detector toy reported format "toy-other", which its meta.formats does not declare'],
      [wrongStatus, 'detector toy reported format "toy" as encrypted, but meta.formats declares it analysable'],
    ] as Array<[DetectorPlugin, string]>) {
      const item = await scanItem([detector]);
      expect(item.format?.id).not.toBe('toy-other');
      expect(item.classification.status).not.toBe('encrypted');
      expect(item.errors).toContainEqual(
        expect.objectContaining({ stage: 'identify', code: 'PLUGIN_BAD_RESULT', plugin: 'toy', message }),
      );
      // The kit gives the same verdict, from the same check.
      const verdicts = await runPlanned(
        planDetectorTests(detector, {
          fixtures: dir,
          valid: [{ file: 'a.toy', format: 'toy', status: 'analysable' }],
          invalid: [{ file: 'a.toy', format: 'nothing' }],
        }),
      );
      expect(verdicts.find((v) => v.title.startsWith('valid[0]'))!.message).toContain(message);
    }
    expect((await scanItem([honest])).format?.id).toBe('toy');
  });

  it('fills reason messages from meta.reasons templates with the figures; an undeclared reason code is PLUGIN_BAD_RESULT', async () => {
    const declared = (reasonsGiven: DetectorPlugin['detect']) =>
      defineDetector({
        meta: { ...toyMeta, reasons: { TOY_MAGIC: 'TOY! at offset {offset}, version {version}.' } },
        signatures: [{ offset: 0, ascii: 'TOY!' }],
        detect: reasonsGiven,
      });
    const answer = (reasons: unknown[]) => () => ({
      format: { id: 'toy', name: 'Toy' },
      status: 'analysable' as const,
      confidence: 0.95,
      reasons: reasons as [],
    });
    const filled = await scanItem([declared(answer([{ code: 'TOY_MAGIC', figures: { offset: 0, version: 2 } }]))]);
    expect(filled.classification.reasons).toEqual([
      { code: 'TOY_MAGIC', message: 'TOY! at offset 0, version 2.', figures: { offset: 0, version: 2 }, by: 'toy' },
    ]);
    const other = await scanItem([declared(answer([{ code: 'TOY_OTHER', message: 'x' }]))]);
    expect(other.errors).toContainEqual(
      expect.objectContaining({
        code: 'PLUGIN_BAD_RESULT',
        message: 'detector toy gave reason TOY_OTHER, which its meta.reasons does not declare',
      }),
    );
    const short = await scanItem([declared(answer([{ code: 'TOY_MAGIC', figures: { offset: 0 } }]))]);
    expect(short.errors).toContainEqual(
      expect.objectContaining({
        message:
          'detector toy gave reason TOY_MAGIC without figures for {version} in its template "TOY! at offset {offset}, version {version}."',
      }),
    );
    const bare = defineDetector({
      meta: toyMeta,
      signatures: [{ offset: 0, ascii: 'TOY!' }],
      detect: answer([{ code: 'TOY_MAGIC' }]),
    });
    expect((await scanItem([bare])).errors).toContainEqual(
      expect.objectContaining({
        message:
          'detector toy gave reason TOY_MAGIC without a message (give one, or declare a template in meta.reasons)',
      }),
    );
  });

  it('reports PLUGIN_UNDECLARED_DIAGNOSTIC for a parser that declares no meta.diagnostics at all', async () => {
    const undeclared = parser(
      {},
      (ctx) => void ctx.report({ code: 'TOY_ODD', severity: 'warning', message: 'odd toy' }),
    );
    const item = await scanItem([honest, undeclared]);
    expect(item.errors).toContainEqual(
      expect.objectContaining({
        code: 'PLUGIN_UNDECLARED_DIAGNOSTIC',
        plugin: 'toy-parser',
        message: 'parser toy-parser reported TOY_ODD, which its meta.diagnostics does not declare: odd toy',
      }),
    );
    expect(item.errors.some((e) => e.code === 'TOY_ODD')).toBe(false);
    const verdicts = await runPlanned(
      planParserTests(undeclared, {
        fixtures: dir,
        valid: [{ file: 'a.toy' }],
        invalid: [{ file: 'a.toy', diagnostics: [], name: 'again' }],
      }),
    );
    expect(verdicts.find((v) => v.title.startsWith('valid[0]'))!.message).toContain(
      'undeclared diagnostic: parser toy-parser reported TOY_ODD',
    );
  });

  it("fills a declared template's placeholders from data; a missing value is a PLUGIN_BAD_DIAGNOSTIC", async () => {
    const diagnostics = { TOY_TRUNCATED: 'The toy ends at byte {size}: {reason}.' };
    const fills = parser(
      { diagnostics },
      (ctx) =>
        void ctx.report({
          code: 'TOY_TRUNCATED',
          severity: 'warning',
          data: { size: ctx.item.size, reason: 'no trailer' },
        }),
    );
    expect((await scanItem([honest, fills])).errors).toContainEqual(
      expect.objectContaining({
        code: 'TOY_TRUNCATED',
        severity: 'warning',
        message: 'The toy ends at byte 16: no trailer.',
      }),
    );
    const half = parser(
      { diagnostics },
      (ctx) => void ctx.report({ code: 'TOY_TRUNCATED', severity: 'warning', data: { size: 3 } }),
    );
    expect((await scanItem([honest, half])).errors).toContainEqual(
      expect.objectContaining({
        code: 'PLUGIN_BAD_DIAGNOSTIC',
        message:
          'parser toy-parser reported TOY_TRUNCATED without data for {reason} in its template "The toy ends at byte {size}: {reason}."',
      }),
    );
    expect(fillTemplate('{a} and {b} and {a}', { a: 1, b: 'two' })).toBe('1 and two and 1');
    expect(
      checkDiagnostic(
        { meta: { id: 'p', diagnostics } },
        { code: 'TOY_TRUNCATED', severity: 'info', message: 'given text wins' },
      ),
    ).toEqual({
      ok: true,
      diagnostic: { code: 'TOY_TRUNCATED', severity: 'info', message: 'given text wins' },
    });
  });
});

describe("a plugin's data is checked when it loads", () => {
  it('names the plugin and the field: regular expressions, formats, signatures, diagnostic codes', () => {
    const apps = defineAppRules({
      meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME' },
      rules: [{ id: 'acme', platform: 'android', pattern: '(?<app>com.acme' }],
    });
    expect(() => validatePlugin(apps)).toThrow(
      /^app rules acme-apps: rules\[0\]\.pattern: invalid regular expression: .*Unterminated group/,
    );
    expect(() => createRegistry([apps])).toThrow(/rules\[0\]\.pattern/);
    const fixed = defineAppRules({
      meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME' },
      rules: [{ id: 'acme', platform: 'android', pattern: 'Acme/', appId: 'com.acme' }],
    });
    expect(pluginDataProblems(fixed)).toEqual([]);
    const det = defineDetector({
      meta: {
        ...toyMeta,
        formats: [{ id: 'Toy', name: 'Toy', status: 'readable' as 'analysable', how: 'signature' }],
        diagnostics: { lower_case: 'x' },
      },
      signatures: [{ offset: 0, hex: 'abc' }],
      detect: () => undefined,
    });
    expect(pluginDataProblems(det)).toEqual([
      'meta.diagnostics.lower_case: codes are SCREAMING_SNAKE, e.g. ACME_TRUNCATED',
      expect.stringMatching(/^meta\.formats\[0\]\.id: /),
      'signatures[0].hex: hex must be an even number of hex digits',
    ]);
  });
});
