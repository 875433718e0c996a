/**
 * Attribute stage: which app an item belongs to, from app rules (path
 * patterns as data), late container prefixes (iOS container metadata) and
 * the app catalogue. Container prefixes win (they are the most specific);
 * then the first rule that matches the logical path, plugins by `priority`
 * (the registry's order), rules in the order each plugin lists them. App-group and extension ids (`group.net.whatsapp.WhatsApp.shared`,
 * `net.whatsapp.WhatsApp.ShareExtension`) are folded into the catalogued app
 * that owns them, keeping the original id in `via`.
 */
import type { App } from '../model/app.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { AppCatalogueEntry, AppPathRule, AppRulesPlugin } from '../plugin/types.js';

export interface Attributor {
  attribute(logicalPath: string): App | undefined;
  /** Catalogue entry for an app id (Android package or iOS bundle id; group and extension ids resolve to their owner). */
  catalogueEntry(appId: string): AppCatalogueEntry | undefined;
  /** Describes an app id as attribution would (catalogue name, category, owner of a group id). */
  describe(appId: string, platform: App['platform'], rule: string): App;
  /** Adds a late mapping, e.g. an iOS container UUID folder to a bundle id. */
  addPrefix(prefix: string, appId: string, platform: App['platform'], rule: string): void;
}

interface CompiledRule {
  rule: AppPathRule;
  re: RegExp;
}

export function createAttributor(plugins: readonly AppRulesPlugin[]): Attributor {
  const rules: CompiledRule[] = plugins.flatMap((p) => p.rules.map((rule) => ({ rule, re: new RegExp(rule.pattern) })));
  // When every rule names a literal, one scan for any of them rules out most unattributable paths at once.
  const anyLiteral =
    rules.length > 0 && rules.every((r) => r.rule.literal)
      ? new RegExp(
          [...new Set(rules.map((r) => r.rule.literal!))]
            .map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('|'),
        )
      : undefined;
  const byId = new Map<string, AppCatalogueEntry>();
  for (const p of plugins) {
    for (const entry of p.catalogue ?? []) {
      for (const id of [...(entry.android ?? []), ...(entry.ios ?? [])]) if (!byId.has(id)) byId.set(id, entry);
    }
  }
  /** Exact id, then without a `group.` prefix, then the longest dotted prefix that is catalogued (extensions). */
  const lookup = (appId: string): AppCatalogueEntry | undefined => {
    const exact = byId.get(appId);
    if (exact) return exact;
    let id = appId.startsWith('group.') ? appId.slice(6) : appId;
    for (;;) {
      const hit = byId.get(id);
      if (hit) return hit;
      const dot = id.lastIndexOf('.');
      // Two components at least (`com.x`), so a bare vendor prefix never matches.
      if (dot < 0 || id.slice(0, dot).indexOf('.') < 0) return undefined;
      id = id.slice(0, dot);
    }
  };
  // Late prefixes (container folders) are matched before path rules: they are more specific.
  const prefixes = new Map<string, { appId: string; platform: App['platform']; rule: string }>();
  const describe = (appId: string, platform: App['platform'], rule: string): App => {
    const entry = lookup(appId);
    if (!entry) return { id: appId, platform, rule };
    const own = (platform === 'android' ? entry.android : entry.ios) ?? [];
    const listed = own.includes(appId) && !appId.startsWith('group.');
    const primary = own.find((x) => !x.startsWith('group.'));
    const app: App = {
      id: listed || !primary ? appId : primary,
      platform,
      rule,
      name: entry.name,
      category: entry.category,
      catalogueId: entry.id,
    };
    if (app.id !== appId) app.via = appId;
    return app;
  };
  return {
    attribute(logicalPath) {
      if (prefixes.size > 0) {
        let slash = logicalPath.lastIndexOf('/');
        while (slash > 0) {
          const hit = prefixes.get(logicalPath.slice(0, slash));
          if (hit) return describe(hit.appId, hit.platform, hit.rule);
          slash = logicalPath.lastIndexOf('/', slash - 1);
        }
      }
      if (anyLiteral && !anyLiteral.test(logicalPath)) return undefined;
      for (const { rule, re } of rules) {
        if (rule.literal !== undefined && !logicalPath.includes(rule.literal)) continue;
        const m = re.exec(logicalPath);
        if (!m) continue;
        const appId = rule.appId ?? m.groups?.['app'];
        if (appId) return describe(appId, rule.platform, rule.id);
      }
      return undefined;
    },
    catalogueEntry: lookup,
    describe,
    addPrefix(prefix, appId, platform, rule) {
      prefixes.set(prefix.replace(/\/+$/, ''), { appId, platform, rule });
    },
  };
}

/**
 * Attributes an item, and gives an encrypted item of a catalogued app the
 * catalogue's key hint when no detector or parser named a specific one (none,
 * or an "unknown" hint with nothing to look for).
 */
export function attributeItem(item: EvidenceItem, attributor: Attributor): void {
  const app = attributor.attribute(item.logicalPath ?? item.path);
  if (!app) return;
  item.app = app;
  const current = item.encryption?.keyHint;
  const generic = !current || (current.kind === 'unknown' && !current.lookFor?.length && current.present !== 'yes');
  if (item.classification.status === 'encrypted' && item.encryption && generic) {
    const hint = attributor.catalogueEntry(app.via ?? app.id)?.keyHint;
    if (hint) item.encryption.keyHint = { ...hint, ...(hint.lookFor ? { lookFor: [...hint.lookFor] } : {}) };
  }
}
