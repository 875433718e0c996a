/**
 * Fixture tests for detectors, as data: files that must be identified (with
 * format, status and optionally confidence, reason codes, encryption,
 * details) and look-alikes that must not be. Each file goes through the
 * engine's identify stage with only this detector (and the suite's
 * `alongside` ones), so declared signatures and size limits apply exactly as
 * in a scan. Besides the expectations, every case
 * checks: the answer passes the contract schema, reports only declared formats
 * with their declared status, leaves the probe alone, and is the same on a
 * second run.
 */
import type { Candidate } from '../pipeline/identify.js';
import type { DetectorPlugin } from '../plugin/types.js';
import {
  CASE_KEYS,
  fixtureDir,
  locateCases,
  type DetectorInvalidCase,
  type DetectorValidCase,
  type Located,
} from './cases.js';
import { show, sorted, stableStringify, subsetDiff } from './compare.js';
import { detectOnce, fixtureEntry, isFrozenWrite, kitLimits, type DetectOutcome } from './run.js';
import {
  caseTest,
  fixturesCheck,
  pluginCheck,
  registerAll,
  suiteCheck,
  type KitOptions,
  type PlannedTest,
  type SuiteBase,
} from './suite.js';

/** A detector's cases. */
export interface DetectorSuite extends SuiteBase<DetectorValidCase, DetectorInvalidCase> {
  /**
   * Detectors that run with this one, in this order before it, as in a scan: a
   * fallback runs only when none of them recognised the file, and sees the
   * signatures of theirs that matched (`ctx.declinedSignatures`). Only this
   * detector's answers are checked.
   */
  alongside?: readonly DetectorPlugin[];
}

/**
 * The tests `testDetector` would register, without registering them.
 *
 * @example
 * const results = await runPlanned(planDetectorTests(acmeDetector, suite));
 */
export function planDetectorTests(
  detector: DetectorPlugin,
  suite: DetectorSuite,
  options: KitOptions = {},
): PlannedTest[] {
  const dir = fixtureDir(suite.fixtures);
  const limits = kitLimits(options.timeoutMs, options.limits);
  const seen = new Map<string, string>();
  const valid = locateCases<DetectorValidCase>(
    suite.valid,
    'valid',
    CASE_KEYS.detectorValid,
    ['format', 'status'],
    dir,
    seen,
  );
  const invalid = locateCases<DetectorInvalidCase>(suite.invalid, 'invalid', CASE_KEYS.detectorInvalid, [], dir, seen);

  const run = async (
    c: Located<DetectorValidCase | DetectorInvalidCase>,
  ): Promise<{ first: DetectOutcome; problems: string[] }> => {
    const entry = fixtureEntry(dir, c.data.file, c.data.path);
    const first = await detectOnce(detector, entry, limits, suite.alongside);
    const problems: string[] = [];
    for (const f of first.failures) {
      const message = (f.error as Error)?.message ?? String(f.error);
      problems.push(
        f.code === 'PLUGIN_THREW' && isFrozenWrite(message)
          ? `the detector mutates its input (the probe is frozen): ${message}`
          : `${f.code ?? 'PLUGIN_THREW'}: ${message}`,
      );
    }
    if (first.mutated.length > 0) problems.push(`the detector mutates its input: ${first.mutated.join(', ')} changed`);
    if (problems.length === 0) {
      const second = await detectOnce(detector, fixtureEntry(dir, c.data.file, c.data.path), limits, suite.alongside);
      if (stableStringify(strip(second.candidates)) !== stableStringify(strip(first.candidates))) {
        problems.push(
          `a second run on the same file gave a different answer: ${show(strip(first.candidates))} then ${show(strip(second.candidates))}`,
        );
      }
    }
    return { first, problems };
  };

  const tests: PlannedTest[] = [pluginCheck(detector, 'detector'), suiteCheck(suite, ['alongside'], suite)];
  for (const c of valid) {
    tests.push(
      caseTest(c, async () => {
        const { first, problems } = await run(c);
        const want = c.data;
        const hit = first.candidates.find((x) => x.format.id === want.format);
        if (!hit) {
          problems.push(
            first.candidates.length === 0
              ? `expected format "${want.format}", but the detector reported nothing`
              : `expected format "${want.format}", got ${first.candidates.map((x) => `"${x.format.id}"`).join(', ')}`,
          );
          return problems;
        }
        if (hit.status !== want.status) problems.push(`expected status ${want.status}, got ${hit.status}`);
        if (typeof want.confidence === 'number' && hit.confidence !== want.confidence)
          problems.push(`expected confidence ${want.confidence}, got ${hit.confidence}`);
        if (want.confidence && typeof want.confidence === 'object') {
          const { min = 0, max = 1 } = want.confidence;
          if (hit.confidence < min || hit.confidence > max)
            problems.push(`expected confidence in [${min}, ${max}], got ${hit.confidence}`);
        }
        if (want.reasons) {
          const got = sorted(hit.reasons.map((r) => r.code));
          if (stableStringify(got) !== stableStringify(sorted(want.reasons)))
            problems.push(`expected reason codes [${sorted(want.reasons).join(', ')}], got [${got.join(', ')}]`);
        }
        if (want.reasonsInclude) {
          const got = new Set(hit.reasons.map((r) => r.code));
          const missing = want.reasonsInclude.filter((code) => !got.has(code));
          if (missing.length > 0)
            problems.push(
              `expected reason codes to include [${missing.join(', ')}], got [${sorted([...got]).join(', ')}]`,
            );
        }
        if (want.encryption) problems.push(...subsetDiff(hit.encryption, want.encryption, 'encryption'));
        if (want.details) problems.push(...subsetDiff(hit.details, want.details, 'details'));
        return problems;
      }),
    );
  }
  for (const c of invalid) {
    tests.push(
      caseTest(c, async () => {
        const { first, problems } = await run(c);
        const bad = c.data.format ? first.candidates.filter((x) => x.format.id === c.data.format) : first.candidates;
        if (bad.length > 0)
          problems.push(
            `a look-alike must not match, but the detector reported ${bad.map((x) => `"${x.format.id}" (${x.status}, ${x.confidence})`).join(', ')}`,
          );
        return problems;
      }),
    );
  }
  tests.push(fixturesCheck(dir, [...valid, ...invalid], suite.ignore));
  return tests;
}

/**
 * Registers a detector's fixture tests: one `describe` named after the
 * detector, one `it` per case (titled `valid[2] file`), plus checks of the
 * plugin's meta, the suite and the fixture folder.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { testDetector } from '@evtriage/core/testing';
 * testDetector(acmeVaultDetector, {
 *   fixtures: new URL('./fixtures/acme-vault/', import.meta.url),
 *   valid: [{ file: 'locked.vault', format: 'acme-vault', status: 'encrypted', reasons: ['ACME_VAULT_MAGIC'] }],
 *   invalid: [{ file: 'notes.txt' }],
 * }, { framework: { describe, it } });
 */
export function testDetector(detector: DetectorPlugin, suite: DetectorSuite, options: KitOptions = {}): void {
  registerAll(
    `detector ${detector?.meta?.id ?? '(no id)'}`,
    planDetectorTests(detector, suite, options),
    options.framework,
  );
}

function strip(candidates: readonly Candidate[]): unknown[] {
  return candidates.map(({ detector: _d, ...rest }) => rest);
}
