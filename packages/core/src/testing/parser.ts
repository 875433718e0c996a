/**
 * Fixture tests for parsers, as data: files with the expected detail fields,
 * artifact, and diagnostics by code; corrupt files that must degrade
 * gracefully with the diagnostics they declare. Each file goes through the
 * engine's parse stage with only this parser, so declared requirements (SQLite
 * tables and columns, plist keys, size) apply as in a scan. Besides the
 * expectations, every case checks: the result passes the contract schema, the
 * parser neither throws nor times out, reports only declared diagnostic codes,
 * leaves its input alone (the item, probe and plist are frozen), and gives the
 * same answer on a second run.
 */
import type { DetectorPlugin, ParserPlugin } from '../plugin/types.js';
import {
  CASE_KEYS,
  fixtureDir,
  locateCases,
  type Located,
  type ParserInvalidCase,
  type ParserValidCase,
} from './cases.js';
import { show, sorted, stableStringify, subsetDiff } from './compare.js';
import { fixtureEntry, isFrozenWrite, kitLimits, parseOnce, type ParseOutcome } from './run.js';
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

/** A parser's cases. */
export interface ParserSuite extends SuiteBase<ParserValidCase, ParserInvalidCase> {
  /** The format id items get when a case names none (default: the parser's only declared format). */
  format?: string;
  /** Identify each file with these detectors first, as a scan would, instead of giving it `format`. */
  detectors?: readonly DetectorPlugin[];
}

/** Engine errors that mean the plugin broke the contract (never an expected diagnostic). */
const CONTRACT_BREACHES = new Set([
  'PLUGIN_THREW',
  'PLUGIN_TIMEOUT',
  'PLUGIN_BAD_RESULT',
  'PLUGIN_BAD_DIAGNOSTIC',
  'PLUGIN_UNDECLARED_DIAGNOSTIC',
]);
/** Diagnostics the engine itself reports for a parser on bad input; cases may expect them without declaring them. */
const ENGINE_CODES = new Set(['SQLITE_OPEN_FAILED']);

/**
 * The tests `testParser` would register, without registering them.
 *
 * @example
 * const results = await runPlanned(planParserTests(acmeNotesParser, suite));
 */
export function planParserTests(parser: ParserPlugin, suite: ParserSuite, options: KitOptions = {}): PlannedTest[] {
  const dir = fixtureDir(suite.fixtures);
  const limits = kitLimits(options.timeoutMs, options.limits);
  const seen = new Map<string, string>();
  const valid = locateCases<ParserValidCase>(suite.valid, 'valid', CASE_KEYS.parserValid, [], dir, seen);
  const invalid = locateCases<ParserInvalidCase>(
    suite.invalid,
    'invalid',
    CASE_KEYS.parserInvalid,
    ['diagnostics'],
    dir,
    seen,
  );
  const id = parser?.meta?.id ?? '(no id)';
  const declaredCodes = new Set(Object.keys(parser?.meta?.diagnostics ?? {}));
  const formats = parser?.meta?.formats ?? [];
  const defaultFormat = suite.format ?? (formats.length === 1 && formats[0] !== '*' ? formats[0] : undefined);

  const run = async (
    c: Located<ParserValidCase | ParserInvalidCase>,
  ): Promise<{ first: ParseOutcome; problems: string[]; diagnostics: string[] }> => {
    const problems: string[] = [];
    const format = c.data.format ?? defaultFormat;
    if (!suite.detectors && !format)
      problems.push(
        `no format for the item: give "format" in the case or the suite (the parser declares ${formats.join(', ') || 'none'})`,
      );
    for (const code of c.data.diagnostics ?? []) {
      if (!declaredCodes.has(code) && !ENGINE_CODES.has(code))
        problems.push(`expects diagnostic ${code}, which meta.diagnostics does not declare`);
    }
    const entry = fixtureEntry(dir, c.data.file, c.data.path);
    const first = await parseOnce(parser, entry, limits, format, suite.detectors);
    if (suite.detectors && c.data.format && first.item.format?.id !== c.data.format)
      problems.push(`the detectors identified "${first.item.format?.id ?? 'nothing'}", not "${c.data.format}"`);
    const mine = first.item.errors.filter((e) => e.plugin === id && e.stage === 'parse');
    for (const e of mine.filter((x) => CONTRACT_BREACHES.has(x.code))) {
      if (e.code === 'PLUGIN_THREW' && isFrozenWrite(e.message))
        problems.push(`the parser mutates its input (ctx.item, ctx.probe and ctx.plist are frozen): ${e.message}`);
      else if (e.code === 'PLUGIN_UNDECLARED_DIAGNOSTIC') problems.push(`undeclared diagnostic: ${e.message}`);
      else problems.push(`${e.code}: ${e.message}`);
    }
    if (first.mutated.length > 0) problems.push(`the parser mutates its input: ${first.mutated.join(', ')} changed`);
    const diagnostics = mine.filter((x) => !CONTRACT_BREACHES.has(x.code)).map((x) => x.code);
    if (problems.length === 0) {
      const second = await parseOnce(
        parser,
        fixtureEntry(dir, c.data.file, c.data.path),
        limits,
        format,
        suite.detectors,
      );
      if (stableStringify(view(second)) !== stableStringify(view(first)))
        problems.push(
          `a second run on the same file gave a different answer: ${show(view(first))} then ${show(view(second))}`,
        );
    }
    return { first, problems, diagnostics };
  };

  const expectDiagnostics = (want: readonly string[], got: string[], problems: string[]) => {
    if (stableStringify(sorted(want)) !== stableStringify(sorted(got)))
      problems.push(`expected diagnostics [${sorted(want).join(', ')}], got [${sorted(got).join(', ')}]`);
  };

  const tests: PlannedTest[] = [pluginCheck(parser, 'parser'), suiteCheck(suite, ['format', 'detectors'], suite)];
  for (const c of valid) {
    tests.push(
      caseTest(c, async () => {
        const { first, problems, diagnostics } = await run(c);
        const want = c.data;
        if (!first.called) {
          problems.push(`the parser was not called: ${first.skipped ?? 'its format did not match'}`);
          return problems;
        }
        if (want.details === null && first.item.details?.[id] !== undefined)
          problems.push(`expected no details, got ${show(first.item.details[id])}`);
        if (want.details) problems.push(...subsetDiff(first.item.details?.[id], want.details, 'details'));
        if (want.artifact === null && first.item.artifact)
          problems.push(`expected no artifact, got ${show(first.item.artifact)}`);
        if (want.artifact) problems.push(...subsetDiff(first.item.artifact, want.artifact, 'artifact'));
        if (want.encryption) problems.push(...subsetDiff(first.item.encryption, want.encryption, 'encryption'));
        if (want.status && first.item.classification.status !== want.status)
          problems.push(`expected status ${want.status} after parsing, got ${first.item.classification.status}`);
        expectDiagnostics(want.diagnostics ?? [], diagnostics, problems);
        return problems;
      }),
    );
  }
  for (const c of invalid) {
    tests.push(
      caseTest(c, async () => {
        const { first, problems, diagnostics } = await run(c);
        expectDiagnostics(c.data.diagnostics ?? [], diagnostics, problems);
        if (c.data.details) problems.push(...subsetDiff(first.item.details?.[id], c.data.details, 'details'));
        return problems;
      }),
    );
  }
  tests.push(fixturesCheck(dir, [...valid, ...invalid], suite.ignore));
  return tests;
}

/**
 * Registers a parser's fixture tests: one `describe` named after the parser,
 * one `it` per case, plus checks of the plugin's meta, the suite and the
 * fixture folder.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { testParser } from '@evtriage/core/testing';
 * testParser(acmeNotesParser, {
 *   fixtures: new URL('./fixtures/acme-notes/', import.meta.url),
 *   valid: [{ file: 'notes.db', artifact: { id: 'acme-notes', counts: { notes: 3 } } }],
 *   invalid: [{ file: 'truncated.db', diagnostics: ['SQLITE_OPEN_FAILED'] }],
 * }, { framework: { describe, it } });
 */
export function testParser(parser: ParserPlugin, suite: ParserSuite, options: KitOptions = {}): void {
  registerAll(`parser ${parser?.meta?.id ?? '(no id)'}`, planParserTests(parser, suite, options), options.framework);
}

function view(o: ParseOutcome): unknown {
  const { details, artifact, encryption, classification, errors, format } = o.item;
  return { details, artifact, encryption, classification, errors, format };
}
