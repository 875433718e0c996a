/**
 * Identity helpers that give plugin authors types without registration side effects.
 *
 * @example
 * export const myDetector = defineDetector({
 *   meta: { id: 'acme-blob', version: '1.0.0', title: 'ACME blob', formats: [{ id: 'acme-blob', name: 'ACME blob', status: 'opaque', how: 'signature' }] },
 *   signatures: [{ offset: 0, ascii: 'ACME' }],
 *   detect: () => ({ format: { id: 'acme-blob', name: 'ACME blob' }, status: 'opaque', confidence: 0.9, reasons: [{ code: 'ACME_MAGIC', message: 'ACME magic at offset 0' }] }),
 * });
 */
import type { AppRulesPlugin, DetectorPlugin, ParserPlugin } from './types.js';

export function defineDetector(plugin: Omit<DetectorPlugin, 'kind'>): DetectorPlugin {
  return { kind: 'detector', ...plugin };
}

export function defineParser(plugin: Omit<ParserPlugin, 'kind'>): ParserPlugin {
  return { kind: 'parser', ...plugin };
}

export function defineAppRules(plugin: Omit<AppRulesPlugin, 'kind'>): AppRulesPlugin {
  return { kind: 'app-rules', ...plugin };
}
