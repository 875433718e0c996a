/**
 * The built-in SQLite artifacts, as data, turned into parsers with the public
 * `defineSqliteArtifact` (the helper third-party plugins use): the tables and
 * columns an artifact must contain are declared (`requires.sqlite`, checked by
 * the engine, so renamed databases are recognised by structure, never by file
 * name), and the headline counts are row counts of named tables. Fields the
 * app encrypts inside the readable database come from the app catalogue
 * (`encryptedFields`): when such a column holds values, the item gets
 * `encryption.scope: "partial"` while staying analysable.
 * Reference: plaso's SQLite plugins (`REQUIRED_STRUCTURE`) for the idea of
 * recognition by schema.
 */
import type { ParserPlugin } from '@evtriage/core/contract';
import { defineSqliteArtifact, type SqliteEncryptedFields, type SqliteHandle } from '@evtriage/core/helpers';
import { appCatalogue } from '../apps/catalogue.js';

/** One known artifact, as data. */
export interface KnownSqliteArtifact {
  /** Plugin id (kebab-case). */
  id: string;
  title: string;
  /** Artifact id (colon-namespaced, `android:sms`) and display name. */
  artifact: { id: string; name: string };
  /** Tables that must exist, with the columns each must have. */
  tables: Record<string, readonly string[]>;
  /** Headline counts: a count name and the table(s) whose rows it counts (tables missing from the database are skipped). */
  counts: Record<string, string | readonly string[]>;
  /** Lower runs first; the first artifact found wins. Default 40 (after nothing, before generic summaries' 50). */
  priority?: number;
  /** Extra facts from the open database (bounded queries), e.g. how many secrets are stored in clear. */
  details?: (db: SqliteHandle) => Record<string, unknown>;
}

/** Catalogue facts on encrypted fields, by artifact id. */
const encryptedFieldsByArtifact = new Map<string, SqliteEncryptedFields>();
for (const app of appCatalogue) {
  for (const f of app.encryptedFields ?? []) {
    encryptedFieldsByArtifact.set(f.artifact, {
      scheme: f.scheme,
      fields: f.fields,
      ...(app.keyHint ? { keyHint: app.keyHint } : {}),
    });
  }
}

/**
 * Builds the parser for one artifact.
 *
 * @example
 * export const androidSms = sqliteArtifact({ id: 'android-sms', title: 'Android SMS store', artifact: { id: 'android:sms', name: 'Android SMS/MMS' }, tables: { sms: ['_id', 'address', 'body'] }, counts: { messages: 'sms' } });
 */
export function sqliteArtifact(known: KnownSqliteArtifact): ParserPlugin {
  const encryptedFields = encryptedFieldsByArtifact.get(known.artifact.id);
  return defineSqliteArtifact({
    meta: {
      id: known.id,
      version: '1.0.0',
      title: known.title,
      description: `Recognises ${known.artifact.name} by its tables (${Object.keys(known.tables).join(', ')}) and counts ${Object.keys(known.counts).join(', ')}.`,
    },
    artifact: known.artifact,
    tables: known.tables,
    counts: Object.fromEntries(Object.entries(known.counts).map(([name, tables]) => [name, { rows: tables }])),
    ...(encryptedFields ? { encryptedFields } : {}),
    ...(known.priority !== undefined ? { priority: known.priority } : {}),
    ...(known.details ? { details: known.details } : {}),
  });
}
