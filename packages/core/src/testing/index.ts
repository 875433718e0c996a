/**
 * @evtriage/core/testing: the fixture test kit for plugin authors' CI.
 * Cases are data (`valid` files the plugin must handle, `invalid` look-alikes
 * or corrupt files); the kit runs each through the engine's own stages and
 * also checks the tests themselves (unknown keys, duplicate cases, unused
 * fixture files, schema, input mutation, second-run stability, undeclared
 * diagnostic codes). Works with any framework that has `describe`/`it`.
 */
export { testDetector, planDetectorTests } from './detector.js';
export type { DetectorSuite } from './detector.js';
export { testParser, planParserTests } from './parser.js';
export type { ParserSuite } from './parser.js';
export { testAppRules, planAppRulesTests } from './app-rules.js';
export type { AppRulesInvalidCase, AppRulesKitOptions, AppRulesSuite, AppRulesValidCase } from './app-rules.js';
export { runPlanned } from './suite.js';
export type { KitOptions, PlannedTest, SuiteBase } from './suite.js';
export { setTestFramework } from './framework.js';
export type { TestFramework } from './framework.js';
export { DEFAULT_FIXTURE_IGNORE } from './cases.js';
export type { CaseBase, DetectorInvalidCase, DetectorValidCase, ParserInvalidCase, ParserValidCase } from './cases.js';
