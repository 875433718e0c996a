/**
 * Preferences of catalogued apps: iOS `Library/Preferences/<bundle id>.plist`
 * and Android `shared_prefs/*.xml` are too varied to model per app, so this
 * records the app they belong to and the scalar values whose keys name
 * accounts, users, phone numbers, e-mail addresses, versions and times —
 * the values an analyst looks for first (bounded in count and length).
 * Reference: iLEAPP/ALEAPP preference artifacts (per-app key lists).
 */
import { decodePlist, defineParser } from '@evtriage/core';
import { appCatalogue } from '../apps/catalogue.js';

/** Values recorded at most per file, and characters per value. */
const MAX_VALUES = 40;
const MAX_CHARS = 200;
const INTERESTING = /(account|user|phone|msisdn|email|e-mail|jid|jabber|login|name|number|country|version|last|install|registration|device|uuid|identifier|region|locale|id$)/i;
const PREFS = /(?:^|\/)Library\/Preferences\/(?<bundle>[^/]+)\.plist$/;

const byIosId = new Map<string, (typeof appCatalogue)[number]>();
for (const e of appCatalogue) for (const id of e.ios ?? []) byIosId.set(id, e);

export const appPreferencesParser = defineParser({
  meta: {
    id: 'app-preferences',
    version: '1.0.0',
    title: 'Preferences of catalogued iOS apps',
    formats: ['bplist', 'xml-plist'],
    diagnostics: { APP_PREFERENCES_MALFORMED: 'The preferences plist could not be decoded.' },
  },
  requires: { maxSize: 16 * 1024 * 1024 },
  priority: 35,
  async parse(ctx) {
    const bundle = PREFS.exec(ctx.probe.logicalPath)?.groups?.['bundle'];
    const entry = bundle ? byIosId.get(bundle) : undefined;
    if (!bundle || !entry) return undefined;
    let value: unknown;
    try {
      value = decodePlist(await ctx.readAll());
    } catch (err) {
      ctx.report({ code: 'APP_PREFERENCES_MALFORMED', severity: 'warning', message: `${bundle}.plist: ${(err as Error).message}` });
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const values: Record<string, string | number | boolean> = {};
    let n = 0;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (n >= MAX_VALUES) break;
      if (!INTERESTING.test(k)) continue;
      const s = v instanceof Date ? (Number.isNaN(v.getTime()) ? undefined : v.toISOString()) : typeof v === 'string' ? v.slice(0, MAX_CHARS) : typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
      if (s === undefined) continue;
      values[k] = s;
      n++;
    }
    return {
      details: { bundleId: bundle, app: entry.name, keyCount: Object.keys(value).length, values },
    };
  },
});
