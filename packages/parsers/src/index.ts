/**
 * @evtriage/parsers: the built-in detectors, parsers and app rules. Every
 * one uses the public plugin contract of @evtriage/core, exactly as a
 * third-party plugin would. Lists are sorted by id.
 */
export {
  builtinAppRules,
  builtinAppRulesModule,
  builtinDetectors,
  builtinDetectorsModule,
  builtinParsers,
  builtinParsersModule,
  builtinPlugins,
  builtinPluginsModule,
} from './builtin-plugins.js';
export { builtinContainers } from './containers.js';
export { sevenZipSourceKinds } from './sevenzip/sevenzip-source-kind.js';
export { appCatalogue } from './apps/catalogue.js';
export type { CatalogueApp, EncryptedFields } from './apps/catalogue.js';
