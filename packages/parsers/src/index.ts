/**
 * @evtriage/parsers: the built-in detectors, parsers and app rules. Every
 * one uses the public plugin contract of @evtriage/core, exactly as a
 * third-party plugin would. Lists are sorted by id.
 */
import type { AppRulesPlugin, DetectorPlugin, ParserPlugin, Plugin } from '@evtriage/core';
import { archivesDetector } from './detectors/archives.js';
import { emptyDetector } from './detectors/empty.js';
import { fileTypeDetector } from './detectors/file-type.js';
import { plistDetector } from './detectors/plist.js';
import { sqliteDetector } from './detectors/sqlite.js';
import { statisticsDetector } from './detectors/statistics.js';
import { textDetector } from './detectors/text.js';
import { plistSummaryParser } from './parsers/plist-summary.js';
import { sqliteSummaryParser } from './parsers/sqlite-summary.js';

export const builtinDetectors: readonly DetectorPlugin[] = [
  archivesDetector,
  emptyDetector,
  fileTypeDetector,
  plistDetector,
  sqliteDetector,
  statisticsDetector,
  textDetector,
];

export const builtinParsers: readonly ParserPlugin[] = [plistSummaryParser, sqliteSummaryParser];

export const builtinAppRules: readonly AppRulesPlugin[] = [];

export const builtinPlugins: readonly Plugin[] = [...builtinDetectors, ...builtinParsers, ...builtinAppRules];

export { builtinContainers } from './containers.js';
