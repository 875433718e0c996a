/**
 * The built-in detectors, parsers and app rules together: `builtinPlugins`
 * for the scan's registry, and `builtinPluginsModule`, a module URL that
 * exports all three lists (for `workerDetectorModules` and `parserModules`
 * alike). Each list lives in a module of its own, so that a probe worker
 * (`builtinDetectorsModule`, plugins.ts) or a parse child
 * (`builtinParsersModule`, parser-plugins.ts) loads only the plugins it runs.
 */
import type { Plugin } from '@evtriage/core/contract';
import { builtinAppRules } from './app-rules-plugins.js';
import { builtinParsers } from './parser-plugins.js';
import { builtinDetectors } from './plugins.js';

export { builtinDetectors, builtinDetectorsModule } from './plugins.js';
export { builtinParsers, builtinParsersModule } from './parser-plugins.js';

export { builtinAppRules, builtinAppRulesModule } from './app-rules-plugins.js';

export const builtinPlugins: readonly Plugin[] = [...builtinDetectors, ...builtinParsers, ...builtinAppRules];

/**
 * This module's URL: it exports every built-in plugin, so it serves as
 * `workerDetectorModules` and as `parserModules` (the CLI passes the narrower
 * `builtinDetectorsModule` and `builtinParsersModule`: fewer modules per
 * worker and child). It is this module and not the package's index so that a
 * worker or child loads the plugins alone, without the container openers
 * (core's archive sources).
 */
export const builtinPluginsModule: string = import.meta.url;
