/**
 * iOS container metadata (`.com.apple.mobile_container_manager.metadata.plist`,
 * a binary plist in every app, app-group and extension container): the
 * bundle id the container belongs to (`MCMMetadataIdentifier`), the kind of
 * container (`MCMMetadataContentClass`) and the catalogued app, if any. The
 * engine uses the same files to attribute the container's other files
 * (app rules `containerMetadata`); this parser records the values on the item.
 * Reference: iLEAPP `appConduit`/`applicationstate` notes; MVT `ios/modules`.
 */
import { defineParser } from '@evtriage/core/contract';
import { appCatalogue } from '../apps/catalogue.js';

/** MCMMetadataContentClass values as observed (MobileContainerManager). */
const CONTENT_CLASS: Record<number, string> = {
  1: 'app bundle',
  2: 'app data',
  3: 'extension data',
  4: 'system data',
  5: 'system shared (group)',
  6: 'app group',
  7: 'extension bundle',
};

export const iosContainerMetadataParser = defineParser({
  meta: {
    id: 'ios-container-metadata',
    version: '1.0.0',
    title: 'iOS container metadata',
    formats: ['bplist', 'xml-plist'],
  },
  requires: { plistKeys: ['MCMMetadataIdentifier'], maxSize: 1024 * 1024 },
  priority: 30,
  parse(ctx) {
    const value = ctx.plist as Record<string, unknown>;
    const id = value['MCMMetadataIdentifier'];
    if (typeof id !== 'string') return undefined;
    const cls = value['MCMMetadataContentClass'];
    const entry = appCatalogue.find((e) => e.ios?.includes(id));
    return {
      details: {
        bundleId: id,
        ...(typeof cls === 'number' ? { contentClass: cls, contentKind: CONTENT_CLASS[cls] ?? 'unknown' } : {}),
        ...(entry ? { app: entry.name, catalogueId: entry.id } : {}),
      },
    };
  },
});
