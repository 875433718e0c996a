/**
 * A small factory for parsers of known SQLite artifacts: the tables and
 * columns an artifact must contain are declared (`requires.sqlite`, checked by
 * the engine, so renamed databases are recognised by structure, never by file
 * name), and the headline counts are row counts of named tables. Fields the
 * app encrypts inside the readable database come from the app catalogue
 * (`encryptedFields`): when such a column holds values, the item gets
 * `encryption.scope: "partial"` while staying analysable.
 * Reference: plaso's SQLite plugins (`REQUIRED_STRUCTURE`) for the idea of
 * recognition by schema.
 */
import { defineParser, quoteIdent, type KeyHint, type ParseResult, type ParserPlugin, type SqliteHandle } from '@evtriage/core';
import { appCatalogue, type EncryptedFields } from '../apps/catalogue.js';

/** One known artifact, as data. */
export interface SqliteArtifactSpec {
  /** Plugin id (kebab-case). */
  id: string;
  title: string;
  /** Artifact id (colon-namespaced, `android:sms`) and display name. */
  artifact: { id: string; name: string };
  /** Tables that must exist, with the columns each must have. */
  tables: Record<string, readonly string[]>;
  /** Headline counts: a count name and the table whose rows it counts (tables missing from the database are skipped). */
  counts: Record<string, string | readonly string[]>;
  /** Lower runs first; the first artifact found wins. Default 40 (after nothing, before generic summaries' 50). */
  priority?: number;
}

interface FieldRule {
  fields: EncryptedFields;
  keyHint?: KeyHint;
}

/** Catalogue facts on encrypted fields, by artifact id. */
const encryptedFieldsByArtifact = new Map<string, FieldRule>();
for (const app of appCatalogue) {
  for (const f of app.encryptedFields ?? []) encryptedFieldsByArtifact.set(f.artifact, { fields: f, ...(app.keyHint ? { keyHint: app.keyHint } : {}) });
}

function rowCount(db: SqliteHandle, table: string): number | undefined {
  if (!db.tables().has(table)) return undefined;
  return Number((db.get(`SELECT count(*) AS n FROM ${quoteIdent(table)}`) as { n: number | bigint }).n);
}

/** Rows holding a value in any of the encrypted columns that exist. */
function encryptedRows(db: SqliteHandle, fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    const [table, column] = f.split('.') as [string, string];
    if (!db.tables().get(table)?.includes(column)) continue;
    const c = quoteIdent(column);
    n += Number((db.get(`SELECT count(*) AS n FROM ${quoteIdent(table)} WHERE ${c} IS NOT NULL AND length(${c}) > 0`) as { n: number | bigint }).n);
  }
  return n;
}

/**
 * Builds the parser for one artifact.
 *
 * @example
 * export const androidSms = sqliteArtifact({ id: 'android-sms', title: 'Android SMS store', artifact: { id: 'android:sms', name: 'Android SMS/MMS' }, tables: { sms: ['_id', 'address', 'body'] }, counts: { messages: 'sms' } });
 */
export function sqliteArtifact(spec: SqliteArtifactSpec): ParserPlugin {
  const fieldRule = encryptedFieldsByArtifact.get(spec.artifact.id);
  return defineParser({
    meta: {
      id: spec.id,
      version: '1.0.0',
      title: spec.title,
      description: `Recognises ${spec.artifact.name} by its tables (${Object.keys(spec.tables).join(', ')}) and counts ${Object.keys(spec.counts).join(', ')}.`,
      formats: ['sqlite'],
      diagnostics: { SQLITE_ARTIFACT_COUNT_FAILED: 'A headline count could not be read (corrupt pages).' },
    },
    requires: { sqlite: { tables: spec.tables } },
    priority: spec.priority ?? 40,
    parse(ctx) {
      const db = ctx.sqlite;
      if (!db) return undefined;
      const counts: Record<string, number> = {};
      for (const [name, tables] of Object.entries(spec.counts)) {
        for (const table of typeof tables === 'string' ? [tables] : tables) {
          try {
            const n = rowCount(db, table);
            if (n !== undefined) counts[name] = (counts[name] ?? 0) + n;
          } catch (err) {
            ctx.report({ code: 'SQLITE_ARTIFACT_COUNT_FAILED', severity: 'warning', message: `${name} (table ${table}): ${(err as Error).message}` });
          }
        }
      }
      const result: ParseResult = { artifact: { id: spec.artifact.id, name: spec.artifact.name, counts } };
      if (fieldRule) {
        let rows = 0;
        try {
          rows = encryptedRows(db, fieldRule.fields.fields);
        } catch (err) {
          ctx.report({ code: 'SQLITE_ARTIFACT_COUNT_FAILED', severity: 'warning', message: `encrypted fields: ${(err as Error).message}` });
        }
        if (rows > 0) {
          result.encryption = { scheme: fieldRule.fields.scheme, scope: 'partial', ...(fieldRule.keyHint ? { keyHint: { ...fieldRule.keyHint } } : {}) };
          result.details = { encryptedFields: [...fieldRule.fields.fields], rowsWithEncryptedFields: rows };
        }
      }
      return result;
    },
  });
}
