/**
 * Attribute stage: which app an item belongs to, from app rules (path
 * patterns as data) and the app catalogue. The first rule that matches the
 * logical path wins; rules are tried in the order plugins list them.
 */
import type { App } from '../model/app.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { AppCatalogueEntry, AppPathRule, AppRulesPlugin } from '../plugin/types.js';

export interface Attributor {
  attribute(logicalPath: string): App | undefined;
  /** Catalogue entry for an app id (Android package or iOS bundle id). */
  catalogueEntry(appId: string): AppCatalogueEntry | undefined;
  /** Adds a late mapping, e.g. an iOS container UUID folder to a bundle id. */
  addPrefix(prefix: string, appId: string, platform: App['platform'], rule: string): void;
}

interface CompiledRule {
  rule: AppPathRule;
  re: RegExp;
}

export function createAttributor(plugins: readonly AppRulesPlugin[]): Attributor {
  const rules: CompiledRule[] = plugins.flatMap((p) => p.rules.map((rule) => ({ rule, re: new RegExp(rule.pattern) })));
  const byId = new Map<string, AppCatalogueEntry>();
  for (const p of plugins) {
    for (const entry of p.catalogue ?? []) {
      for (const id of [...(entry.android ?? []), ...(entry.ios ?? [])]) if (!byId.has(id)) byId.set(id, entry);
    }
  }
  // Late prefixes (container folders) are matched before path rules: they are more specific.
  const prefixes = new Map<string, { appId: string; platform: App['platform']; rule: string }>();
  const describe = (appId: string, platform: App['platform'], rule: string): App => {
    const entry = byId.get(appId);
    const app: App = { id: appId, platform, rule };
    if (entry) {
      app.name = entry.name;
      app.category = entry.category;
      app.catalogueId = entry.id;
    }
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
      for (const { rule, re } of rules) {
        const m = re.exec(logicalPath);
        if (!m) continue;
        const appId = rule.appId ?? m.groups?.['app'];
        if (appId) return describe(appId, rule.platform, rule.id);
      }
      return undefined;
    },
    catalogueEntry: (appId) => byId.get(appId),
    addPrefix(prefix, appId, platform, rule) {
      prefixes.set(prefix.replace(/\/+$/, ''), { appId, platform, rule });
    },
  };
}

export function attributeItem(item: EvidenceItem, attributor: Attributor): void {
  const app = attributor.attribute(item.logicalPath ?? item.path);
  if (app) item.app = app;
}
