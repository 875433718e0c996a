/**
 * The test framework the kit registers its tests with: injected, set once,
 * or the `describe`/`it` globals (vitest with `globals: true`, jest, mocha).
 * The kit itself depends on no test framework.
 */

/** The two (three) functions the kit needs from a test framework. */
export interface TestFramework {
  // Function-valued properties, not methods: the kit calls them detached (vitest's `it` needs no `this`).
  describe: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void> | void) => unknown;
  /** Runs only this test (a case with `only: true`); `it.only` is used when absent. */
  itOnly?: (name: string, body: () => Promise<void> | void) => unknown;
}

let configured: TestFramework | undefined;

/**
 * Sets the framework once for every later `testDetector`/`testParser` call.
 *
 * @example
 * import { describe, it } from 'vitest';
 * setTestFramework({ describe, it });
 */
export function setTestFramework(framework: TestFramework | undefined): void {
  configured = framework;
}

/** The framework in force: the one given, the one set, or the globals. Throws, saying what to do, when there is none. */
export function resolveFramework(given?: TestFramework): TestFramework {
  if (given) return given;
  if (configured) return configured;
  const g = globalThis as {
    describe?: TestFramework['describe'];
    it?: TestFramework['it'] & { only?: TestFramework['it'] };
  };
  if (typeof g.describe === 'function' && typeof g.it === 'function') {
    const it = g.it;
    return { describe: g.describe, it, ...(typeof it.only === 'function' ? { itOnly: it.only.bind(it) } : {}) };
  }
  throw new Error(
    'no test framework: pass { framework: { describe, it } } (e.g. imported from vitest or node:test), call setTestFramework({ describe, it }) once, or enable the describe/it globals (vitest: test.globals = true)',
  );
}

/** Registers one test, honouring `only`. */
export function register(fw: TestFramework, title: string, only: boolean, body: () => Promise<void>): void {
  if (!only) {
    fw.it(title, body);
    return;
  }
  const itOnly = fw.itOnly ?? (fw.it as TestFramework['it'] & { only?: TestFramework['it'] }).only?.bind(fw.it);
  if (!itOnly) throw new Error(`${title}: "only: true" needs a framework with it.only (or pass itOnly)`);
  itOnly(title, body);
}
