import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FolderSource, quoteIdent, scan, type EvidenceItem } from '@evtriage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../index.js';
import { sqliteArtifactSpecs } from './sqlite-artifacts.js';

// One database per artifact with exactly the declared tables and columns (plus one
// unrelated column each), a different number of rows in each, under a name that says nothing.
let dir: string;
const items = new Map<string, EvidenceItem>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-artifacts-'));
  sqliteArtifactSpecs.forEach((spec, i) => {
    const db = new Database(path.join(dir, `blob-${String(i).padStart(2, '0')}.dat`));
    Object.entries(spec.tables).forEach(([table, cols], t) => {
      const columns = [...new Set([...cols, 'unrelated_extra'])];
      db.exec(`CREATE TABLE ${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c)} TEXT`).join(', ')})`);
      const rows = i + t + 1;
      const ins = db.prepare(`INSERT INTO ${quoteIdent(table)} (${quoteIdent(columns[0]!)}) VALUES (?)`);
      for (let r = 0; r < rows; r++) ins.run(String(r));
    });
    db.close();
  });
  for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins })) items.set(item.path, item);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('every built-in SQLite artifact', () => {
  it.each(sqliteArtifactSpecs.map((spec, i) => [spec.id, i] as const))(
    '%s: recognised by its tables alone, with row counts of the tables present',
    (_id, i) => {
      const spec = sqliteArtifactSpecs[i]!;
      const item = items.get(`blob-${String(i).padStart(2, '0')}.dat`)!;
      expect(item.artifact?.id).toBe(spec.artifact.id);
      expect(item.artifact?.by).toBe(spec.id);
      const tables = Object.keys(spec.tables);
      const expected: Record<string, number> = {};
      for (const [name, from] of Object.entries(spec.counts)) {
        for (const t of typeof from === 'string' ? [from] : from) {
          const at = tables.indexOf(t);
          if (at >= 0) expected[name] = (expected[name] ?? 0) + i + at + 1;
        }
      }
      expect(item.artifact?.counts).toEqual(expected);
      expect(item.errors).toEqual([]);
    },
  );

  it('has unique plugin ids, sorted, and colon-namespaced artifact ids', () => {
    const ids = sqliteArtifactSpecs.map((s) => s.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of sqliteArtifactSpecs) expect(s.artifact.id).toMatch(/^[a-z0-9-]+:[a-z0-9-]+$/);
  });
});
