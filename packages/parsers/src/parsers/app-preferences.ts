/**
 * Preferences of catalogued apps: iOS `Library/Preferences/<bundle id>.plist`
 * (binary or XML plist) and Android `shared_prefs/<name>.xml` (a `<map>` of
 * `<string|int|long|float|boolean|set name="...">` elements) are too varied to
 * model per app, so this records the app they belong to and the scalar values
 * whose keys name accounts, users, phone numbers, e-mail addresses, versions
 * and times — the values an analyst looks for first (bounded in count and
 * length).
 * Reference: iLEAPP/ALEAPP preference artifacts (per-app key lists); Android
 * `SharedPreferencesImpl` / `XmlUtils.writeMapXml` for the XML layout.
 */
import { defineParser } from '@evtriage/core/contract';
import { decodePlist } from '@evtriage/core/helpers';
import { appCatalogue } from '../apps/catalogue.js';

/** Values recorded at most per file, and characters per value. */
const MAX_VALUES = 40;
const MAX_CHARS = 200;
const INTERESTING =
  /(account|user|phone|msisdn|email|e-mail|jid|jabber|login|name|number|country|version|last|install|registration|device|uuid|identifier|region|locale|id$)/i;
const IOS_PREFS = /(?:^|\/)Library\/Preferences\/(?<bundle>[^/]+)\.plist$/;
const ANDROID_PREFS = /(?:^|\/)data\/(?:data|user\/\d+|user_de\/\d+)\/(?<pkg>[^/]+)\/shared_prefs\/[^/]+\.xml$/;

type Entry = (typeof appCatalogue)[number];
const byIosId = new Map<string, Entry>();
const byPackage = new Map<string, Entry>();
for (const e of appCatalogue) {
  for (const id of e.ios ?? []) byIosId.set(id, e);
  for (const id of e.android ?? []) byPackage.set(id, e);
}

type Scalar = string | number | boolean;

function scalar(v: unknown): Scalar | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'string') return v.slice(0, MAX_CHARS);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    // A reference past U+10FFFF is left as written (fromCodePoint would throw and lose the whole file's values).
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });

/** An element's opening tag: its type, name, value attribute, and whether it closes itself. */
const OPENING = /<(string|int|long|float|boolean)\s+name="([^"]*)"(?:\s+value="([^"]*)")?\s*(\/?)>/g;

/** Scalar entries of an Android shared-preferences `<map>`, in document order; undefined when the root is not `<map>`. */
export function readSharedPrefs(text: string): Array<[string, Scalar]> | undefined {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<map[\s>/]/.test(text)) return undefined;
  const out: Array<[string, Scalar]> = [];
  // The closing tags are found by indexOf, each search starting past the last element read: a regex with a lazy
  // body (`>([\s\S]*?)<\/\1>`) searched to the end of the text from every opening tag that has no close
  // (500,000 `<string name="a">`, 8.5 MB, held the parser to its 15-second deadline). A type with no closing
  // tag after some offset has none after any later one either.
  const noCloseFrom = new Map<string, number>();
  OPENING.lastIndex = 0;
  for (let m = OPENING.exec(text); m; m = OPENING.exec(text)) {
    const [, type, rawName, value, selfClosing] = m;
    let body: string | undefined;
    if (!selfClosing) {
      const from = OPENING.lastIndex;
      const close = from >= (noCloseFrom.get(type!) ?? Infinity) ? -1 : text.indexOf(`</${type}>`, from);
      if (close < 0) {
        noCloseFrom.set(type!, Math.min(from, noCloseFrom.get(type!) ?? Infinity));
        continue;
      }
      body = text.slice(from, close);
      OPENING.lastIndex = close + type!.length + 3;
    }
    const name = unescapeXml(rawName!);
    if (type === 'string') out.push([name, unescapeXml(body ?? '').slice(0, MAX_CHARS)]);
    else if (type === 'boolean') out.push([name, value === 'true']);
    else if (value !== undefined && Number.isFinite(Number(value))) out.push([name, Number(value)]);
  }
  return out;
}

export const appPreferencesParser = defineParser({
  meta: {
    id: 'app-preferences',
    version: '1.1.0',
    title: 'Preferences of catalogued apps (iOS plists, Android shared_prefs)',
    formats: ['bplist', 'xml-plist', 'xml'],
    diagnostics: { APP_PREFERENCES_MALFORMED: 'The preferences file could not be decoded.' },
  },
  requires: { maxSize: 16 * 1024 * 1024 },
  priority: 35,
  async parse(ctx) {
    const path = ctx.probe.logicalPath;
    const ios = IOS_PREFS.exec(path)?.groups?.['bundle'];
    const pkg = ios ? undefined : ANDROID_PREFS.exec(path)?.groups?.['pkg'];
    const entry = ios ? byIosId.get(ios) : pkg ? byPackage.get(pkg) : undefined;
    if (!entry) return undefined;
    let pairs: Array<[string, unknown]>;
    try {
      if (ios) {
        const value = ctx.plist ?? decodePlist(await ctx.readAll());
        if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
          return undefined;
        pairs = Object.entries(value as Record<string, unknown>);
      } else {
        const prefs = readSharedPrefs((await ctx.readAll()).toString('utf8'));
        if (!prefs) return undefined;
        pairs = prefs;
      }
    } catch (err) {
      ctx.report({
        code: 'APP_PREFERENCES_MALFORMED',
        severity: 'warning',
        message: `${path.slice(path.lastIndexOf('/') + 1)}: ${(err as Error).message}`,
      });
      return undefined;
    }
    const values: Record<string, Scalar> = {};
    let n = 0;
    for (const [k, v] of pairs) {
      if (n >= MAX_VALUES) break;
      if (!INTERESTING.test(k)) continue;
      const s = scalar(v);
      if (s === undefined) continue;
      values[k] = s;
      n++;
    }
    return {
      details: { ...(ios ? { bundleId: ios } : { package: pkg }), app: entry.name, keyCount: pairs.length, values },
    };
  },
});
