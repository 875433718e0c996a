/**
 * The short summary an analyst reads at the end of a scan (and again with
 * `evtriage summary`): counts and bytes per status, top formats, encrypted
 * items with key hints, apps, errors.
 */
import type { ManifestSummary } from '@evtriage/core';
import { formatBytes } from '@evtriage/core/internal';
import { table } from './text-table.js';

export function summaryText(s: ManifestSummary, opts: { topFormats?: number; topApps?: number } = {}): string {
  const out: string[] = [];
  out.push(`${s.complete ? 'Scan complete' : `Scan INCOMPLETE (${s.interruption ?? 'stopped early'})`}: ${s.counts.items} items (${s.counts.enumerated} enumerated), ${formatBytes(s.counts.bytes)}, ${s.counts.itemsWithErrors} with errors.`);
  if (s.known && s.known.knownBad.count > 0) {
    // Known-bad first: it is what the analyst must not miss.
    out.push('');
    out.push(`KNOWN-BAD: ${s.known.knownBad.count} item(s), ${formatBytes(s.known.knownBad.bytes)}, match a known-bad set (${s.known.sets.filter((k) => k.status === 'known-bad' && k.matched > 0).map((k) => `${k.name}: ${k.matched}`).join(', ')}):`);
    for (const e of s.known.knownBad.examples.slice(0, 10)) out.push(`      ${e}`);
  }
  out.push('');
  out.push(table(Object.entries(s.byStatus).map(([k, v]) => [k, v.count, formatBytes(v.bytes)]), ['status', 'items', 'bytes']));
  out.push('');
  if (s.known) {
    const good = s.known.knownGood;
    out.push(`Known-good: ${good.count} item(s), ${formatBytes(good.bytes)}${s.known.collapsed ? ' (collapsed: left out of the tables below)' : ''}; sets: ${s.known.sets.map((k) => `${k.name} (${k.status}, ${k.entries} digests, ${k.matched} matched)`).join('; ')}.`);
    out.push('');
  }
  out.push(table(s.formats.slice(0, opts.topFormats ?? 10).map((f) => [f.id, f.count, formatBytes(f.bytes)]), ['top formats', 'items', 'bytes']));
  if (s.encrypted.length > 0) {
    out.push('');
    out.push('Encrypted items:');
    for (const g of s.encrypted) {
      const hint = g.keyHint ? ` — key: ${g.keyHint.description} [present: ${g.keyHint.present}${g.keyHint.foundAt?.length ? ` at ${g.keyHint.foundAt.slice(0, 2).join(', ')}` : ''}]` : '';
      out.push(`  ${g.scheme}: ${g.count} item(s), ${formatBytes(g.bytes)}${hint}`);
      for (const e of g.examples.slice(0, 3)) out.push(`      ${e}`);
    }
  }
  if (s.apps.length > 0) appsText(s, opts.topApps ?? 10, out);
  if (s.errors.length > 0) {
    out.push('');
    out.push(table(s.errors.slice(0, 10).map((e) => [`${e.stage}:${e.code}`, e.count, e.examples[0] ?? '']), ['errors', 'items', 'first']));
  }
  return out.join('\n');
}

/** Headline counts of an artifact, e.g. `whatsapp:messages 40 messages, 2 chats`. */
function artifactText(a: ManifestSummary['apps'][number]['artifacts'][number]): string {
  const counts = Object.entries(a.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return `${a.id}${a.count > 1 ? ` x${a.count}` : ''}${counts.length ? ` (${counts.slice(0, 3).join(', ')})` : ''}`;
}

/** The per-app part: top apps by bytes, encrypted items by app with key hints, apps nobody parsed, installed apps with no data. */
function appsText(s: ManifestSummary, top: number, out: string[]): void {
  const withData = s.apps.filter((a) => a.files > 0);
  if (withData.length > 0) {
    out.push('');
    out.push(
      table(
        withData.slice(0, top).map((a) => [a.name ? `${a.name} (${a.id})` : a.id, a.platform, a.files, formatBytes(a.bytes), a.byStatus['encrypted'] ?? 0, a.artifacts.map(artifactText).join('; ') || (a.unparsed ? 'no parser' : '')]),
        [`top apps (${withData.length} with data)`, 'os', 'files', 'bytes', 'encrypted', 'artifacts'],
      ),
    );
  }
  const byApp = s.apps.filter((a) => a.encrypted.length > 0);
  if (byApp.length > 0) {
    out.push('');
    out.push('Encrypted items by app:');
    for (const a of byApp) {
      for (const e of a.encrypted) {
        const k = e.keyHint;
        const where = k?.foundAt?.length ? ` at ${k.foundAt.slice(0, 2).join(', ')}` : '';
        out.push(`  ${a.name ?? a.id}: ${e.scheme} x${e.count}${e.scope === 'partial' ? ' (fields inside readable items)' : ''}${k ? ` — key: ${k.description} [present: ${k.present}${where}]` : ''}`);
      }
    }
  }
  const unparsed = withData.filter((a) => a.unparsed);
  if (unparsed.length > 0) {
    out.push('');
    out.push(`Apps with data no parser understands (${unparsed.length}): ${unparsed.map((a) => `${a.name ?? a.id} (${a.files} file${a.files === 1 ? '' : 's'}, ${formatBytes(a.bytes)})`).join(', ')}`);
  }
  const installedOnly = s.apps.filter((a) => a.installed && a.files === 0);
  if (installedOnly.length > 0) {
    out.push('');
    out.push(`Installed, no data in this extraction (${installedOnly.length}): ${installedOnly.slice(0, 30).map((a) => a.name ?? a.id).join(', ')}${installedOnly.length > 30 ? ', ...' : ''}`);
  }
}
