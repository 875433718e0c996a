/**
 * The built-in app rules as a list, in a module of their own: the scan's app
 * metadata thread imports it by URL (`builtinAppRulesModule`) to run the
 * package-list and container-metadata readers under a deadline and heap cap,
 * and so loads no detector or parser. builtin-plugins.ts re-exports the list.
 */
import type { AppRulesPlugin } from '@evtriage/core/contract';
import { mobileAppsRules } from './apps/mobile-apps.js';

export const builtinAppRules: readonly AppRulesPlugin[] = [mobileAppsRules];

/** This module's URL, for `scan({ appMetadataModules })`. */
export const builtinAppRulesModule: string = import.meta.url;
