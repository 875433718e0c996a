/**
 * The short summary an analyst reads at the end of a scan (and again with
 * `evtriage summary`), triage first: counts per status; encrypted items whose
 * key is in this extraction (what to unlock first); encrypted items by scheme
 * (top rows, "+N more"); keys looked for and not found, apart from keys that
 * are never in a file dump (Android Keystore, Secure Enclave); then formats,
 * apps and errors. Lines stay short: long key descriptions are cut here (the
 * manifest has them whole).
 */
import type { EncryptedGroup, KeyHint, ManifestSummary } from '@evtriage/core';
import { formatBytes } from '@evtriage/core/internal-manifest';
import { table } from './text-table.js';

export interface SummaryTextOptions {
  topFormats?: number;
  topApps?: number;
  /** Rows of the by-scheme table (default 10). */
  topSchemes?: number;
}

/** Where the key stands, for triage: in this extraction, looked for and missing, never in a file dump, or not known. */
export type KeyStanding = 'present' | 'not-found' | 'never-in-dump' | 'unknown';

/** Keys held by hardware or a keystore are never in a file dump, whatever was looked for. */
export function keyStanding(hint: KeyHint | undefined): KeyStanding {
  if (!hint) return 'unknown';
  if (hint.present === 'yes') return 'present';
  if (hint.kind === 'keystore' || hint.kind === 'hardware') return 'never-in-dump';
  return hint.present === 'no' ? 'not-found' : 'unknown';
}

const MAX_TEXT = 72;
/** A one-line cut of a long text. */
export function clip(text: string, max = MAX_TEXT): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** A list after a heading, wrapped at about 100 columns, continuation lines indented. */
function wrapped(heading: string, parts: readonly string[], width = 100): string[] {
  const lines: string[] = [];
  let line = heading;
  for (const [i, part] of parts.entries()) {
    const piece = part + (i < parts.length - 1 ? ',' : '');
    if (line.length + 1 + piece.length > width && line.trim().length > 0 && line !== heading) {
      lines.push(line);
      line = `    ${piece}`;
    } else line += (line.endsWith(' ') || line.length === 0 ? '' : ' ') + piece;
  }
  lines.push(line);
  return lines;
}

const sum = (groups: readonly EncryptedGroup[], f: (g: EncryptedGroup) => number) =>
  groups.reduce((n, g) => n + f(g), 0);
const where = (h: KeyHint | undefined) =>
  h?.foundAt?.length
    ? `${h.foundAt.slice(0, 2).join(', ')}${h.foundAt.length > 2 ? ` +${h.foundAt.length - 2} more` : ''}`
    : '';

export function summaryText(s: ManifestSummary, opts: SummaryTextOptions = {}): string {
  const out: string[] = [];
  out.push(
    `${s.complete ? 'Scan complete' : `Scan INCOMPLETE (${s.interruption ?? 'stopped early'})`}: ${s.counts.items} items (${s.counts.enumerated} enumerated), ${formatBytes(s.counts.bytes)}, ${s.counts.itemsWithErrors} with errors.`,
  );
  if (s.known && s.known.knownBad.count > 0) {
    // Known-bad first: it is what the analyst must not miss.
    out.push('');
    out.push(
      `KNOWN-BAD: ${s.known.knownBad.count} item(s), ${formatBytes(s.known.knownBad.bytes)}, match a known-bad set (${s.known.sets
        .filter((k) => k.status === 'known-bad' && k.matched > 0)
        .map((k) => `${k.name}: ${k.matched}`)
        .join(', ')}):`,
    );
    for (const e of s.known.knownBad.examples.slice(0, 10)) out.push(`      ${e}`);
  }
  out.push('');
  out.push(
    table(
      Object.entries(s.byStatus).map(([k, v]) => [k, v.count, formatBytes(v.bytes)]),
      ['status', 'items', 'bytes'],
    ),
  );
  if (s.encrypted.length > 0) encryptedText(s.encrypted, opts.topSchemes ?? 10, out);
  out.push('');
  if (s.known) {
    const good = s.known.knownGood;
    out.push(
      `Known-good: ${good.count} item(s), ${formatBytes(good.bytes)}${s.known.collapsed ? ' (collapsed: left out of the tables below)' : ''}; sets: ${s.known.sets.map((k) => `${k.name} (${k.status}, ${k.entries} digests, ${k.matched} matched)`).join('; ')}.`,
    );
    out.push('');
  }
  const topFormats = opts.topFormats ?? 10;
  out.push(
    table(
      s.formats.slice(0, topFormats).map((f) => [f.id, f.count, formatBytes(f.bytes)]),
      ['top formats', 'items', 'bytes'],
    ),
  );
  if (s.formats.length > topFormats) out.push(`+${s.formats.length - topFormats} more format(s)`);
  if (s.apps.length > 0) appsText(s, opts.topApps ?? 10, out);
  if (s.errors.length > 0) {
    out.push('');
    out.push(
      table(
        s.errors.slice(0, 10).map((e) => [`${e.stage}:${e.code}`, e.count, clip(e.examples[0] ?? '', 60)]),
        ['errors', 'items', 'first'],
      ),
    );
    if (s.errors.length > 10) out.push(`+${s.errors.length - 10} more error kind(s)`);
  }
  const omitted = Object.entries(s.omitted ?? {}).flatMap(([table, o]) => (o ? [[table, o] as const] : []));
  if (omitted.length > 0) {
    out.push('');
    out.push(
      `Left out of the summary record (past its size budget, or first seen once a table held 50,000 rows; counted in the totals above): ${omitted
        .map(([table, o]) => `${o.estimated ? 'about ' : ''}${o.rows} ${table} row(s) of ${o.items} item(s)`)
        .join(', ')}.`,
    );
  }
  return out.join('\n');
}

/** Encrypted items, triage first: key present, then by scheme, then the keys not found and the keys never in a dump. */
function encryptedText(groups: readonly EncryptedGroup[], top: number, out: string[]): void {
  const present = groups.filter((g) => keyStanding(g.keyHint) === 'present');
  out.push('');
  if (present.length > 0) {
    out.push(
      `KEY PRESENT in this extraction: ${sum(present, (g) => g.count)} encrypted item(s), ${formatBytes(sum(present, (g) => g.bytes))} — unlock these first:`,
    );
    for (const g of present.slice(0, top)) {
      out.push(`  ${g.scheme} x${g.count}: key at ${clip(where(g.keyHint), 100)}`);
      for (const e of g.examples.slice(0, 5)) out.push(`      ${e}`);
      if (g.count > 5) out.push(`      +${g.count - 5} more`);
    }
    if (present.length > top)
      out.push(
        `  +${present.length - top} more row(s) with the key present: ${sum(present.slice(top), (g) => g.count)} item(s)`,
      );
  } else out.push('KEY PRESENT in this extraction: none of the encrypted items has its key in this extraction.');
  out.push('');
  const shown = groups.slice(0, top);
  out.push(
    table(
      shown.map((g) => [
        g.scheme,
        g.count,
        formatBytes(g.bytes),
        g.keyHint ? clip(`${g.keyHint.kind}: ${g.keyHint.description}`, 60) : '(no hint)',
        standingWord(keyStanding(g.keyHint)),
      ]),
      [
        `encrypted by scheme (${groups.length} row${groups.length === 1 ? '' : 's'})`,
        'items',
        'bytes',
        'what unlocks it',
        'key',
      ],
      [3, 4],
    ).replace(/ +$/gm, ''),
  );
  if (groups.length > top) {
    const rest = groups.slice(top);
    out.push(
      `+${rest.length} more row(s): ${sum(rest, (g) => g.count)} item(s) (${rest
        .slice(0, 6)
        .map((g) => `${g.scheme} x${g.count}`)
        .join(', ')}${rest.length > 6 ? ', ...' : ''}); evtriage report gives them all`,
    );
  }
  const notFound = groups.filter((g) => keyStanding(g.keyHint) === 'not-found');
  if (notFound.length > 0) {
    out.push('');
    out.push(
      ...wrapped(
        'Keys looked for and not found in this extraction:',
        notFound.map((g) => `${g.scheme} x${g.count}`),
      ),
    );
  }
  const never = groups.filter((g) => keyStanding(g.keyHint) === 'never-in-dump');
  if (never.length > 0) {
    out.push('');
    out.push(
      ...wrapped(
        'Keys never in a file dump (Android Keystore, Secure Enclave; need the device):',
        never.map((g) => `${g.scheme} x${g.count}`),
      ),
    );
  }
}

function standingWord(k: KeyStanding): string {
  return { present: 'PRESENT', 'not-found': 'not found', 'never-in-dump': 'not in dump', unknown: 'unknown' }[k];
}

/** Headline counts of an artifact, e.g. `whatsapp:messages 40 messages, 2 chats`. */
function artifactText(a: ManifestSummary['apps'][number]['artifacts'][number]): string {
  const counts = Object.entries(a.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return `${a.id}${a.count > 1 ? ` x${a.count}` : ''}${counts.length ? ` (${counts.slice(0, 3).join(', ')})` : ''}`;
}

/** The per-app part: top apps by bytes, encrypted items by app with key hints, apps nobody parsed, installed apps with no data. */
function appsText(s: ManifestSummary, top: number, out: string[]): void {
  const withData = s.apps.filter((a) => a.files > 0);
  if (withData.length > 0) {
    out.push('');
    out.push(
      table(
        withData
          .slice(0, top)
          .map((a) => [
            a.name ? `${a.name} (${a.id})` : a.id,
            a.platform,
            a.files,
            formatBytes(a.bytes),
            a.byStatus['encrypted'] ?? 0,
            clip(a.artifacts.map(artifactText).join('; '), 80) || (a.unparsed ? 'no parser' : ''),
          ]),
        [`top apps (${withData.length} with data)`, 'os', 'files', 'bytes', 'encrypted', 'artifacts'],
        [1, 5],
      ).replace(/ +$/gm, ''),
    );
  }
  const byApp = s.apps.filter((a) => a.encrypted.length > 0);
  if (byApp.length > 0) {
    out.push('');
    out.push('Encrypted items by app:');
    const lines: string[] = [];
    for (const a of byApp) {
      for (const e of a.encrypted) {
        const k = e.keyHint;
        const standing = keyStanding(k);
        const key =
          standing === 'present'
            ? `key PRESENT at ${clip(where(k), 60)}`
            : standing === 'never-in-dump'
              ? 'key not in a file dump'
              : standing === 'not-found'
                ? 'key not found'
                : 'key unknown';
        lines.push(
          `  ${a.name ?? a.id}: ${e.scheme} x${e.count}${e.scope === 'partial' ? ' (fields inside readable items)' : ''} — ${key}`,
        );
      }
    }
    out.push(...lines.slice(0, top * 2));
    if (lines.length > top * 2) out.push(`  +${lines.length - top * 2} more`);
  }
  const unparsed = withData.filter((a) => a.unparsed);
  if (unparsed.length > 0) {
    out.push('');
    const names = unparsed
      .slice(0, top)
      .map((a) => `${a.name ?? a.id} (${a.files} file${a.files === 1 ? '' : 's'}, ${formatBytes(a.bytes)})`);
    out.push(
      ...wrapped(
        `Apps with data no parser understands (${unparsed.length}):`,
        unparsed.length > top ? [...names, `+${unparsed.length - top} more`] : names,
      ),
    );
  }
  const installedOnly = s.apps.filter((a) => a.installed && a.files === 0);
  if (installedOnly.length > 0) {
    out.push('');
    const names = installedOnly.slice(0, 30).map((a) => a.name ?? a.id);
    out.push(
      ...wrapped(
        `Installed, no data in this extraction (${installedOnly.length}):`,
        installedOnly.length > 30 ? [...names, `+${installedOnly.length - 30} more`] : names,
      ),
    );
  }
}
