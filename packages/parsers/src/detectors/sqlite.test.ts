import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

describe('sqlite detector (fixtures made by sqlite3 and python3 sqlite3)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('sqlite');
  });

  it('identifies a database by its header, with the page size as a figure', () => {
    const db = items.get('plain.db')!;
    expect(db.format?.id).toBe('sqlite');
    expect(db.classification.status).toBe('analysable');
    expect(db.classification.certainty).toBe('certain');
    expect(codes(db)).toContain('SQLITE_HEADER');
    expect(db.classification.reasons[0]!.figures).toMatchObject({ pageSize: 4096 });
  });

  it('identifies content, not the name: a renamed database is still sqlite, with the mismatch recorded', () => {
    const db = items.get('renamed-database.bin')!;
    expect(db.format?.id).toBe('sqlite');
    expect(db.format?.extensionMismatch).toBe(true);
    expect(codes(db)).toContain('EXTENSION_MISMATCH');
  });

  it('calls the magic before random bytes a damaged file, not a readable database', () => {
    const db = items.get('magic-then-overwritten.db')!;
    expect(db.format?.id).toBe('damaged-file');
    expect(db.classification.status).toBe('opaque');
    expect(codes(db)).toContain('LIBMAGIC_SIGNATURE_WITHOUT_STRUCTURE');
  });

  it('identifies the WAL, the shared-memory index and a hot rollback journal', () => {
    expect(items.get('wal.db-wal')!.format?.id).toBe('sqlite-wal');
    expect(items.get('wal.db-shm')!.format?.id).toBe('sqlite-shm');
    expect(items.get('journal.db-journal')!.format?.id).toBe('sqlite-journal');
  });

  it('summarises tables and row counts from a private copy (WAL-mode header handled)', () => {
    const db = items.get('plain.db')!;
    expect(db.details?.['sqlite-summary']).toMatchObject({
      tableCount: 1,
      totalRows: 2,
      tables: [{ name: 't', rows: 2, columns: 2 }],
    });
    const wal = items.get('wal.db')!;
    expect(wal.format?.id).toBe('sqlite');
    expect(wal.details?.['sqlite-summary']).toMatchObject({ walMode: true });
    expect(wal.errors).toEqual([]);
  });
});
