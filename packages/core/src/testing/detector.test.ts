/**
 * The detector test kit passes a good suite and rejects each kind of bad test
 * or bad detector, naming the case. The toy format ("TOYV" + version byte +
 * flags byte, encrypted when flag bit 0 is set) is made up for these tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineDetector } from '../plugin/define.js';
import type { DetectorPlugin, Probe } from '../plugin/types.js';
import { planDetectorTests, runPlanned, testDetector, type DetectorSuite } from './index.js';
import { setTestFramework } from './framework.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-kit-det-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function fixtures(files: Record<string, Uint8Array | string>): string {
  const dir = fs.mkdtempSync(path.join(root, 'f-'));
  for (const [name, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

const toy = (flags: number) =>
  Buffer.concat([Buffer.from('TOYV', 'latin1'), Buffer.from([1, flags]), Buffer.alloc(64, 0x2a)]);

function toyDetector(
  overrides: Partial<Parameters<typeof defineDetector>[0]> = {},
  detect?: (probe: Probe) => unknown,
): DetectorPlugin {
  return defineDetector({
    meta: {
      id: 'toy-vault',
      version: '1.0.0',
      title: 'Toy vault',
      formats: [
        { id: 'toy-vault', name: 'Toy vault', status: 'analysable', how: 'signature' },
        { id: 'toy-vault-encrypted', name: 'Toy vault (encrypted)', status: 'encrypted', how: 'header-field' },
      ],
    },
    signatures: [{ offset: 0, ascii: 'TOYV' }],
    detect:
      (detect as DetectorPlugin['detect']) ??
      ((probe) => {
        const encrypted = ((probe.head[5] ?? 0) & 1) === 1;
        return {
          format: encrypted
            ? { id: 'toy-vault-encrypted', name: 'Toy vault (encrypted)' }
            : { id: 'toy-vault', name: 'Toy vault' },
          status: encrypted ? 'encrypted' : 'analysable',
          confidence: 0.95,
          reasons: [
            { code: 'TOY_MAGIC', message: 'TOYV at offset 0' },
            ...(encrypted ? [{ code: 'TOY_FLAG_ENCRYPTED', message: 'flag bit 0 set' }] : []),
          ],
          ...(encrypted ? { encryption: { scheme: 'toy-aes', scope: 'full' as const } } : {}),
        };
      }),
    ...overrides,
  });
}

const files = {
  'plain.toy': toy(0),
  'locked.toy': toy(1),
  'lookalike.txt': 'TOY vault notes, not a vault\n',
  'make-fixtures.sh': '# generator, ignored\n',
};
const goodSuite = (dir: string): DetectorSuite => ({
  fixtures: dir,
  valid: [
    { file: 'plain.toy', format: 'toy-vault', status: 'analysable', confidence: 0.95, reasons: ['TOY_MAGIC'] },
    {
      file: 'locked.toy',
      format: 'toy-vault-encrypted',
      status: 'encrypted',
      confidence: { min: 0.9 },
      reasons: ['TOY_FLAG_ENCRYPTED', 'TOY_MAGIC'],
      encryption: { scheme: 'toy-aes' },
    },
  ],
  invalid: [{ file: 'lookalike.txt' }],
});

async function verdicts(detector: DetectorPlugin, suite: DetectorSuite, timeoutMs?: number) {
  const results = await runPlanned(planDetectorTests(detector, suite, timeoutMs ? { timeoutMs } : {}));
  return {
    results,
    failed: results.filter((r) => !r.ok),
    byTitle: (prefix: string) => results.find((r) => r.title.startsWith(prefix)),
  };
}

describe('detector test kit', () => {
  it('passes a good suite', async () => {
    const { results, failed } = await verdicts(toyDetector(), goodSuite(fixtures(files)));
    expect(failed).toEqual([]);
    expect(results.map((r) => r.title)).toEqual([
      'plugin: meta and contract',
      'suite: valid and invalid cases',
      'valid[0] plain.toy',
      'valid[1] locked.toy',
      'invalid[0] lookalike.txt',
      'fixtures: every file in the folder is used by a case',
    ]);
  });

  it('rejects a wrong expectation, naming the case and the field', async () => {
    const suite = goodSuite(fixtures(files));
    suite.valid = [suite.valid[0]!, { ...suite.valid[1]!, status: 'opaque', reasons: ['TOY_MAGIC'] }];
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed.map((f) => f.title)).toEqual(['valid[1] locked.toy']);
    expect(failed[0]!.message).toContain('valid[1]');
    expect(failed[0]!.message).toContain('expected status opaque, got encrypted');
    expect(failed[0]!.message).toContain('expected reason codes [TOY_MAGIC], got [TOY_FLAG_ENCRYPTED, TOY_MAGIC]');
  });

  it('rejects unknown keys in a case', async () => {
    const suite = goodSuite(fixtures(files));
    (suite.valid as unknown[])[0] = { ...suite.valid[0]!, staus: 'analysable' };
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed.map((f) => f.message)).toEqual([expect.stringMatching(/^valid\[0\]: unknown key "staus"/)]);
  });

  it('rejects unknown keys in the suite and an empty invalid list', async () => {
    const dir = fixtures({ 'plain.toy': toy(0) });
    const { failed } = await verdicts(toyDetector(), {
      fixtures: dir,
      valid: [{ file: 'plain.toy', format: 'toy-vault', status: 'analysable' }],
      invalid: [],
      fixture: 'x',
    } as DetectorSuite);
    expect(failed.map((f) => f.title)).toEqual(['suite: valid and invalid cases']);
    expect(failed[0]!.message).toContain('unknown suite key "fixture"');
    expect(failed[0]!.message).toContain('"invalid" needs at least one case');
  });

  it('rejects duplicate cases (the names may differ)', async () => {
    const suite = goodSuite(fixtures(files));
    suite.valid = [...suite.valid, { ...suite.valid[0]!, name: 'the same again' }];
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed.map((f) => f.title)).toEqual(['valid[2] the same again']);
    expect(failed[0]!.message).toContain('valid[2]: duplicates valid[0]');
  });

  it('rejects fixture files that no case uses, and cases whose file is missing', async () => {
    const suite = goodSuite(fixtures({ ...files, 'forgotten.toy': toy(0) }));
    suite.invalid = [...suite.invalid, { file: 'not-there.bin' }];
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed.map((f) => f.title)).toEqual([
      'invalid[1] not-there.bin',
      'fixtures: every file in the folder is used by a case',
    ]);
    expect(failed[0]!.message).toContain('fixture file "not-there.bin" does not exist');
    expect(failed[1]!.message).toContain('forgotten.toy');
    expect(failed[1]!.message).not.toContain('make-fixtures.sh');
  });

  it('rejects a look-alike the detector matches', async () => {
    const dir = fixtures({
      ...files,
      'fake.txt': Buffer.concat([Buffer.from('TOYV'), Buffer.from(' is the name of my notes file\n')]),
    });
    const suite = goodSuite(dir);
    suite.invalid = [...suite.invalid, { file: 'fake.txt', name: 'text that starts with TOYV' }];
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed.map((f) => f.title)).toEqual(['invalid[1] text that starts with TOYV']);
    expect(failed[0]!.message).toMatch(/a look-alike must not match, but the detector reported "toy-vault/);
  });

  it('rejects results that fail the Detection schema', async () => {
    const bad = toyDetector({}, () => ({
      format: { id: 'toy-vault', name: 'Toy vault' },
      status: 'analysable',
      confidence: 1.5,
      reasons: [{ code: 'toy magic', message: 'x' }],
    }));
    const { failed } = await verdicts(bad, goodSuite(fixtures(files)));
    expect(failed.map((f) => f.title)).toEqual(['valid[0] plain.toy', 'valid[1] locked.toy']);
    expect(failed[0]!.message).toMatch(
      /PLUGIN_BAD_RESULT: detector toy-vault returned a result that fails the contract: confidence/,
    );
  });

  it('matches reasons exactly, and reasonsInclude as a subset', async () => {
    const dir = fixtures(files);
    const withCase = (c: Record<string, unknown>): DetectorSuite => {
      const suite = goodSuite(dir);
      return {
        ...suite,
        valid: [suite.valid[0]!, { file: 'locked.toy', format: 'toy-vault-encrypted', status: 'encrypted', ...c }],
      };
    };
    const exactSubset = await verdicts(toyDetector(), withCase({ reasons: ['TOY_MAGIC'] }));
    expect(exactSubset.byTitle('valid[1]')!.message).toBe(
      'valid[1]: expected reason codes [TOY_MAGIC], got [TOY_FLAG_ENCRYPTED, TOY_MAGIC]',
    );
    const subset = await verdicts(toyDetector(), withCase({ reasonsInclude: ['TOY_FLAG_ENCRYPTED'] }));
    expect(subset.failed).toEqual([]);
    const missing = await verdicts(toyDetector(), withCase({ reasonsInclude: ['TOY_FLAG_ENCRYPTED', 'TOY_KEY_SLOT'] }));
    expect(missing.byTitle('valid[1]')!.message).toBe(
      'valid[1]: expected reason codes to include [TOY_KEY_SLOT], got [TOY_FLAG_ENCRYPTED, TOY_MAGIC]',
    );
  });

  it('rejects a format the detector does not declare, or declares with another status', async () => {
    const undeclared = toyDetector({}, () => ({
      format: { id: 'toy-other', name: 'Other' },
      status: 'analysable',
      confidence: 0.9,
      reasons: [{ code: 'TOY_MAGIC', message: 'x' }],
    }));
    const a = await verdicts(undeclared, goodSuite(fixtures(files)));
    expect(a.failed[0]!.message).toContain(
      'PLUGIN_BAD_RESULT: detector toy-vault reported format "toy-other", which its meta.formats does not declare',
    );
    const wrongStatus = toyDetector({}, () => ({
      format: { id: 'toy-vault', name: 'Toy vault' },
      status: 'opaque',
      confidence: 0.9,
      reasons: [{ code: 'TOY_MAGIC', message: 'x' }],
    }));
    const b = await verdicts(wrongStatus, goodSuite(fixtures(files)));
    expect(b.failed[0]!.message).toContain(
      'reported format "toy-vault" as opaque, but meta.formats declares it analysable',
    );
  });

  it('rejects a detector that mutates the probe object or its bytes', async () => {
    const renames = toyDetector({}, (probe) => {
      (probe as { name: string }).name = 'changed';
      return undefined;
    });
    const a = await verdicts(renames, goodSuite(fixtures(files)));
    expect(a.byTitle('valid[0]')!.message).toContain('the detector mutates its input (the probe is frozen)');
    const scribbles = toyDetector({}, (probe) => {
      probe.head[4] = 9;
      return {
        format: { id: 'toy-vault', name: 'Toy vault' },
        status: 'analysable',
        confidence: 0.9,
        reasons: [{ code: 'TOY_MAGIC', message: 'x' }],
      };
    });
    const b = await verdicts(scribbles, goodSuite(fixtures(files)));
    expect(b.byTitle('valid[0]')!.message).toContain('the detector mutates its input: probe.head changed');
  });

  it('rejects a detector that answers differently on a second run', async () => {
    let calls = 0;
    const moody = toyDetector({}, () => ({
      format: { id: 'toy-vault', name: 'Toy vault' },
      status: 'analysable',
      confidence: ++calls % 2 ? 0.95 : 0.9,
      reasons: [{ code: 'TOY_MAGIC', message: 'x' }],
    }));
    const { byTitle } = await verdicts(moody, goodSuite(fixtures(files)));
    expect(byTitle('valid[0]')!.message).toContain('a second run on the same file gave a different answer');
  });

  it('turns a throw or a hang into a failure of the case that names the plugin', async () => {
    const throws = toyDetector({}, () => {
      throw new Error('boom');
    });
    const a = await verdicts(throws, goodSuite(fixtures(files)));
    expect(a.byTitle('valid[0]')!.message).toContain('PLUGIN_THREW: boom');
    const hangs = toyDetector({}, () => new Promise(() => undefined));
    const b = await verdicts(hangs, goodSuite(fixtures(files)), 100);
    expect(b.byTitle('valid[0]')!.message).toContain('PLUGIN_TIMEOUT: detector toy-vault took longer than 100 ms');
  });

  it('keeps known failures on record with "fails", and flags them once they pass', async () => {
    const suite = goodSuite(fixtures(files));
    suite.valid = [
      suite.valid[0]!,
      { ...suite.valid[1]!, status: 'opaque', fails: 'the toy detector cannot tell yet' },
    ];
    expect((await verdicts(toyDetector(), suite)).failed).toEqual([]);
    suite.valid = [suite.valid[0]!, { ...goodSuite('x').valid[1]!, fails: 'was broken' }];
    const { failed } = await verdicts(toyDetector(), suite);
    expect(failed[0]!.message).toContain('marked "fails" (was broken) but now passes');
  });

  it('rejects a plugin built for another contract major', async () => {
    const old = toyDetector({ meta: { ...toyDetector().meta, contract: '0' } });
    const { failed } = await verdicts(old, goodSuite(fixtures(files)));
    expect(failed.map((f) => f.title)).toContain('plugin: meta and contract');
    expect(failed.find((f) => f.title.startsWith('plugin'))!.message).toMatch(/built for plugin contract 0/);
  });

  it('registers one describe and one it per case with an injected framework, honouring only', () => {
    const seen: string[] = [];
    const fw = {
      describe: (name: string, body: () => void) => {
        seen.push(`describe ${name}`);
        body();
      },
      it: (name: string) => void seen.push(`it ${name}`),
      itOnly: (name: string) => void seen.push(`only ${name}`),
    };
    const suite = goodSuite(fixtures(files));
    suite.valid = [suite.valid[0]!, { ...suite.valid[1]!, only: true }];
    testDetector(toyDetector(), suite, { framework: fw });
    expect(seen).toEqual([
      'describe detector toy-vault',
      'it plugin: meta and contract',
      'it suite: valid and invalid cases',
      'it valid[0] plain.toy',
      'only valid[1] locked.toy',
      'it invalid[0] lookalike.txt',
      'it fixtures: every file in the folder is used by a case',
    ]);
  });

  it('says what to do when there is no framework', () => {
    setTestFramework(undefined);
    expect(() => testDetector(toyDetector(), goodSuite(fixtures(files)))).toThrow(
      /no test framework: pass \{ framework: \{ describe, it \} \}/,
    );
  });
});

// The kit runs inside vitest too: a real registration of a good suite.
testDetector(toyDetector(), goodSuite(fixtures(files)), { framework: { describe, it } });
