/**
 * Markdown for the app catalogue, generated from the data so the docs and
 * the README cannot drift from it (a parity test compares them):
 * a compact table (README "Apps") and a detailed list (docs/apps.md).
 */
import { appCatalogue } from './catalogue.js';

export const APPS_TABLE_START =
  '<!-- apps-table:start (generated from packages/parsers/src/apps/catalogue.ts by scripts/write-apps-doc.ts) -->';
export const APPS_TABLE_END = '<!-- apps-table:end -->';
export const APPS_DETAILS_START = '<!-- apps-details:start (generated) -->';
export const APPS_DETAILS_END = '<!-- apps-details:end -->';

const code = (ids: readonly string[] | undefined) => (ids && ids.length ? ids.map((x) => `\`${x}\``).join(', ') : '–');
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * The compact table: app, category, Android packages, iOS bundle ids.
 *
 * @example
 * catalogueTable().split('\n')[0]; // '| App | Category | Android | iOS |'
 */
export function catalogueTable(): string {
  const rows = appCatalogue.map((e) => `| ${cell(e.name)} | ${e.category} | ${code(e.android)} | ${code(e.ios)} |`);
  return ['| App | Category | Android | iOS |', '|---|---|---|---|', ...rows].join('\n');
}

/** The detailed list: key artifacts, encryption at rest and where keys live, per app. */
export function catalogueDetails(): string {
  const out: string[] = [];
  for (const e of appCatalogue) {
    out.push(`### ${e.name} (\`${e.id}\`, ${e.category})`, '');
    if (e.android?.length) out.push(`- Android: ${code(e.android)}`);
    if (e.ios?.length) out.push(`- iOS: ${code(e.ios)}`);
    if (e.desktop?.length) out.push(`- Desktop data folders: ${code(e.desktop)}`);
    out.push('- Key artifacts:');
    for (const a of e.artifacts) out.push(`  - ${a.platform}: \`${a.path}\` — ${a.what}`);
    out.push(`- Encryption at rest: ${e.encryptionAtRest}`);
    if (e.keyHint)
      out.push(
        `- Key: ${e.keyHint.description} (${e.keyHint.kind}${e.keyHint.lookFor?.length ? `; looked for at ${code(e.keyHint.lookFor)}` : ''})`,
      );
    for (const f of e.encryptedFields ?? [])
      out.push(`- Encrypted fields in readable data (\`${f.artifact}\`, ${f.scheme}): ${code(f.fields)}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** Replaces the text between two markers (inclusive of neither); throws when the markers are missing. */
export function replaceBlock(text: string, start: string, end: string, body: string): string {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}
