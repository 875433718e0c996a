/**
 * Pieces shared by the detector and parser testers: the planned-test shape,
 * the plugin and fixture-folder checks, and registration with a framework.
 */
import fs from 'node:fs';
import type { ScanLimits } from '../limits.js';
import { validatePlugin } from '../plugin/registry.js';
import type { Plugin } from '../plugin/types.js';
import { CaseFailure, DEFAULT_FIXTURE_IGNORE, listFixtures, type CaseBase, type Located } from './cases.js';
import { register, resolveFramework, type TestFramework } from './framework.js';

/** Options of `testDetector` / `testParser`. */
export interface KitOptions {
  /** `describe`/`it` to register with; default: `setTestFramework`, then the globals. */
  framework?: TestFramework;
  /** Time budget of one plugin call in the tests, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Other engine limits (probe sizes...). */
  limits?: Partial<ScanLimits>;
}

/** What every suite has. */
export interface SuiteBase<V, I> {
  /** The plugin's fixture folder (a path, or a `file:` URL such as `new URL('./fixtures/acme/', import.meta.url)`). */
  fixtures: string | URL;
  /** Files the plugin must handle. */
  valid: readonly V[];
  /** Look-alikes (detectors) or corrupt files (parsers). */
  invalid: readonly I[];
  /** Globs of files in the folder that are not fixtures; added to the defaults (generator scripts, notes, dotfiles). */
  ignore?: readonly string[];
}

/** One test the kit would register: run it to get the verdict (throws a message naming the case). */
export interface PlannedTest {
  title: string;
  only: boolean;
  run(): Promise<void>;
}

export function pluginCheck(plugin: unknown, kind: Plugin['kind']): PlannedTest {
  return {
    title: 'plugin: meta and contract',
    only: false,
    async run() {
      validatePlugin(plugin);
      const p = plugin;
      const tester = { detector: 'testDetector', parser: 'testParser', 'app-rules': 'testAppRules' } as const;
      if (p.kind !== kind)
        throw new Error(`plugin ${p.meta.id} is a ${p.kind}, not a ${kind}; use ${tester[p.kind]} for it`);
    },
  };
}

export function suiteCheck(
  suite: { valid?: unknown; invalid?: unknown },
  extraKeys: readonly string[],
  raw: object,
): PlannedTest {
  return {
    title: 'suite: valid and invalid cases',
    only: false,
    async run() {
      const allowed = ['fixtures', 'valid', 'invalid', 'ignore', ...extraKeys];
      const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
      const problems: string[] = unknown.map((k) => `unknown suite key "${k}" (allowed: ${allowed.join(', ')})`);
      if (!Array.isArray(suite.valid) || suite.valid.length === 0)
        problems.push('"valid" needs at least one case (a file the plugin must handle)');
      if (!Array.isArray(suite.invalid) || suite.invalid.length === 0)
        problems.push('"invalid" needs at least one case (a look-alike or a corrupt file)');
      if (problems.length > 0) throw new CaseFailure('suite', problems);
    },
  };
}

/** Every file in the fixture folder must be used by a case, or be ignored explicitly. */
export function fixturesCheck(
  dir: string,
  cases: ReadonlyArray<Located<CaseBase>>,
  ignore: readonly string[] | undefined,
): PlannedTest {
  return {
    title: 'fixtures: every file in the folder is used by a case',
    only: false,
    async run() {
      if (!fs.existsSync(dir)) throw new Error(`the fixture folder ${dir} does not exist`);
      const used = new Set(cases.map((c) => c.data.file));
      const unused = listFixtures(dir, [...DEFAULT_FIXTURE_IGNORE, ...(ignore ?? [])]).filter((f) => !used.has(f));
      if (unused.length > 0)
        throw new Error(
          `fixture files no case uses: ${unused.join(', ')} (add a case for each, delete them, or list them in "ignore")`,
        );
    },
  };
}

/** Wraps a case's check: case problems first, then the run; a `fails` case inverts the verdict. */
export function caseTest<C extends CaseBase>(c: Located<C>, check: () => Promise<string[]>): PlannedTest {
  return {
    title: c.title,
    only: c.data.only === true,
    async run() {
      if (c.problems.length > 0) throw new CaseFailure(c.where, c.problems);
      const problems = await check();
      if (typeof c.data.fails === 'string') {
        if (problems.length === 0)
          throw new CaseFailure(c.where, [`marked "fails" (${c.data.fails}) but now passes; remove "fails"`]);
        return;
      }
      if (problems.length > 0) throw new CaseFailure(c.where, problems);
    },
  };
}

export function registerAll(
  describeTitle: string,
  tests: readonly PlannedTest[],
  framework: TestFramework | undefined,
): void {
  const fw = resolveFramework(framework);
  fw.describe(describeTitle, () => {
    for (const t of tests) register(fw, t.title, t.only, () => t.run());
  });
}

/** Runs planned tests without a framework; the verdict of each (for node scripts and the kit's own tests). */
export async function runPlanned(
  tests: readonly PlannedTest[],
): Promise<Array<{ title: string; ok: boolean; message?: string }>> {
  const out: Array<{ title: string; ok: boolean; message?: string }> = [];
  for (const t of tests) {
    try {
      await t.run();
      out.push({ title: t.title, ok: true });
    } catch (err) {
      out.push({ title: t.title, ok: false, message: (err as Error).message });
    }
  }
  return out;
}
