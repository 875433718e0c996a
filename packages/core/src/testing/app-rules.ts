/**
 * Fixture tests for app rules, as data: logical paths with the app id (and
 * optionally the rule) attribution must give, and paths the plugin's rules
 * must not match. Attribution runs through the engine's own attribute stage;
 * with `options.with` (e.g. `builtinPlugins` from @evtriage/parsers) the
 * other plugins' rules take part in their scan order, so a case shows which
 * rule wins in a real scan.
 */
import { createAttributor } from '../pipeline/attribute.js';
import { createRegistry } from '../plugin/registry.js';
import type { AppRulesPlugin, Plugin } from '../plugin/types.js';
import { CaseFailure } from './cases.js';
import { pluginCheck, registerAll, type KitOptions, type PlannedTest } from './suite.js';

/** A path the rules must attribute. */
export interface AppRulesValidCase {
  /** A logical path as the engine sees it (`data/data/com.acme.chat/databases/chat.db`). */
  path: string;
  /** The app id attribution must give. */
  app: string;
  /** The id of the rule that must decide (one of the plugin's, or of a plugin in `with`). */
  rule?: string;
  name?: string;
  only?: boolean;
}

/** A path none of the plugin's rules may match. */
export interface AppRulesInvalidCase {
  path: string;
  name?: string;
  only?: boolean;
}

export interface AppRulesSuite {
  valid: readonly AppRulesValidCase[];
  invalid: readonly AppRulesInvalidCase[];
}

export interface AppRulesKitOptions extends Pick<KitOptions, 'framework'> {
  /** Other plugins to attribute with (their app rules take part by priority), e.g. the built-ins. */
  with?: readonly Plugin[];
}

/** A suite's case list as written, or none when it is not a list (the suite check reports that). */
function listOf<T>(list: readonly T[] | undefined): readonly T[] {
  return isList(list) ? list : [];
}
function isList<T>(list: readonly T[] | undefined): list is readonly T[] {
  return Array.isArray(list);
}

const KEYS = { valid: ['path', 'app', 'rule', 'name', 'only'], invalid: ['path', 'name', 'only'] } as const;

/**
 * The tests `testAppRules` would register, without registering them.
 *
 * @example
 * const results = await runPlanned(planAppRulesTests(acmeApps, suite, { with: builtinPlugins }));
 */
export function planAppRulesTests(
  plugin: AppRulesPlugin,
  suite: AppRulesSuite,
  options: AppRulesKitOptions = {},
): PlannedTest[] {
  const tests: PlannedTest[] = [pluginCheck(plugin, 'app-rules')];
  const problemsOf = (
    raw: unknown,
    where: string,
    allowed: readonly string[],
    required: readonly string[],
  ): string[] => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return [`${where}: a case must be an object with at least "path"`];
    const out = Object.keys(raw)
      .filter((k) => !allowed.includes(k))
      .map((k) => `${where}: unknown key "${k}" (allowed: ${allowed.join(', ')})`);
    for (const k of required)
      if (typeof (raw as Record<string, unknown>)[k] !== 'string') out.push(`${where}: "${k}" is required (a string)`);
    return out;
  };
  tests.push({
    title: 'suite: valid and invalid cases',
    only: false,
    async run() {
      const problems = Object.keys(suite)
        .filter((k) => k !== 'valid' && k !== 'invalid')
        .map((k) => `unknown suite key "${k}" (allowed: valid, invalid)`);
      if (!Array.isArray(suite.valid) || suite.valid.length === 0)
        problems.push('"valid" needs at least one case (a path the rules must attribute)');
      if (!Array.isArray(suite.invalid) || suite.invalid.length === 0)
        problems.push('"invalid" needs at least one case (a path the rules must not match)');
      const seen = new Map<string, string>();
      for (const [group, list] of [
        ['valid', suite.valid],
        ['invalid', suite.invalid],
      ] as const) {
        (Array.isArray(list) ? list : []).forEach((c: { path?: unknown }, i) => {
          const earlier = seen.get(String(c?.path));
          if (earlier) problems.push(`${group}[${i}]: the path is already a case (${earlier})`);
          else seen.set(String(c?.path), `${group}[${i}]`);
        });
      }
      if (problems.length > 0) throw new CaseFailure('suite', problems);
    },
  });
  // Built lazily, so a plugin that fails its own check fails that test, not the registration.
  const attributors = () => ({
    scan: createAttributor(createRegistry([...(options.with ?? []), plugin]).appRules),
    own: createAttributor([plugin]),
  });
  const ownRules = new Set((plugin?.rules ?? []).map((r) => r.id));
  listOf(suite.valid).forEach((c, i) => {
    const where = `valid[${i}]`;
    tests.push({
      title: `${where} ${c?.name ?? c?.path ?? ''}`.trim(),
      only: c?.only === true,
      async run() {
        const problems = problemsOf(c, where, KEYS.valid, ['path', 'app']);
        if (problems.length === 0) {
          const got = attributors().scan.attribute(c.path);
          if (!got) problems.push(`expected app ${c.app}, but no rule attributes ${c.path}`);
          else {
            if (got.id !== c.app && got.via !== c.app)
              problems.push(`expected app ${c.app}, got ${got.id} (rule ${got.rule})`);
            if (c.rule !== undefined && got.rule !== c.rule)
              problems.push(
                `expected rule ${c.rule} to decide, but rule ${got.rule}${ownRules.has(got.rule) ? '' : ' (not this plugin’s)'} did`,
              );
          }
        }
        if (problems.length > 0) throw new CaseFailure(where, problems);
      },
    });
  });
  listOf(suite.invalid).forEach((c, i) => {
    const where = `invalid[${i}]`;
    tests.push({
      title: `${where} ${c?.name ?? c?.path ?? ''}`.trim(),
      only: c?.only === true,
      async run() {
        const problems = problemsOf(c, where, KEYS.invalid, ['path']);
        if (problems.length === 0) {
          const got = attributors().own.attribute(c.path);
          if (got) problems.push(`must not match, but rule ${got.rule} attributes ${c.path} to ${got.id}`);
        }
        if (problems.length > 0) throw new CaseFailure(where, problems);
      },
    });
  });
  return tests;
}

/**
 * Registers an app-rules plugin's tests: one `describe` named after it, one
 * `it` per case (`valid[0] data/data/com.acme.chat/...`), and the plugin check.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { testAppRules } from '@evtriage/core/testing';
 * import { builtinPlugins } from '@evtriage/parsers';
 * testAppRules(acmeApps, {
 *   valid: [{ path: 'sdcard/AcmeChat/Media/a.jpg', app: 'com.acme.chat', rule: 'acme-chat-media' }],
 *   invalid: [{ path: 'sdcard/AcmeChatter/a.jpg' }],
 * }, { framework: { describe, it }, with: builtinPlugins });
 */
export function testAppRules(plugin: AppRulesPlugin, suite: AppRulesSuite, options: AppRulesKitOptions = {}): void {
  registerAll(
    `app rules ${plugin?.meta?.id ?? '(no id)'}`,
    planAppRulesTests(plugin, suite, options),
    options.framework,
  );
}
