/**
 * The end-of-scan summary leads with what an analyst acts on: status counts,
 * then the encrypted items whose key is in the extraction, then the scheme
 * table (top rows, "+N more"), then keys looked for and not found apart
 * from keys that are never in a file dump; lines stay short.
 */
import { ManifestSummary, type EncryptedGroup } from '@evtriage/core';
import { describe, expect, it } from 'vitest';
import { keyStanding, summaryText } from './summary-text.js';

function summary(encrypted: EncryptedGroup[]): ManifestSummary {
  return ManifestSummary.parse({
    type: 'summary',
    finishedAt: '2026-01-01T00:00:00.000Z',
    complete: true,
    counts: { enumerated: 100, items: 100, itemsWithErrors: 0, bytes: 1000 },
    byStatus: {
      analysable: { count: 40, bytes: 400 },
      encrypted: { count: 50, bytes: 500 },
      opaque: { count: 10, bytes: 100 },
      unreadable: { count: 0, bytes: 0 },
    },
    formats: [{ id: 'sqlite', name: 'SQLite', count: 40, bytes: 400 }],
    encrypted,
    apps: [],
    errors: [],
  });
}

const long = 'A very long description of what unlocks this item, '.repeat(12);
const groups: EncryptedGroup[] = [
  ...Array.from({ length: 14 }, (_, i) => ({
    scheme: `scheme-${String(i).padStart(2, '0')}`,
    count: 30 - i,
    bytes: 10,
    examples: [`files/${i}`],
    keyHint: { description: long, kind: 'password' as const, present: 'unknown' as const },
  })),
  {
    scheme: 'whatsapp-crypt15',
    count: 2,
    bytes: 10,
    examples: ['wa/msgstore.db.crypt15', 'wa/backup.crypt15'],
    keyHint: { description: long, kind: 'key-file', present: 'yes', foundAt: ['data/data/com.whatsapp/files/key'] },
  },
  {
    scheme: 'sqlcipher',
    count: 1,
    bytes: 10,
    examples: ['signal.db'],
    keyHint: { description: long, kind: 'keystore', present: 'no' },
  },
  {
    scheme: 'age-v1',
    count: 1,
    bytes: 10,
    examples: ['seed.age'],
    keyHint: { description: long, kind: 'key-file', present: 'no' },
  },
];

describe('summaryText', () => {
  const text = summaryText(summary(groups));
  const lines = text.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));

  it('orders: status counts, key present (count and list), scheme table, not found, never in a dump, formats', () => {
    const order = [
      /^status\s+items/,
      /^KEY PRESENT in this extraction: 2 encrypted item/,
      /^encrypted by scheme \(17 rows\)/,
      /^Keys looked for and not found.*age-v1 x1/,
      /^Keys never in a file dump.*sqlcipher x1/,
      /^top formats/,
    ];
    const positions = order.map(at);
    expect(
      positions.every((p) => p >= 0),
      positions.join(','),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The present items are listed by path under the key location.
    const present = at(/^KEY PRESENT/);
    expect(lines.slice(present + 1, present + 4).join('\n')).toMatch(
      /whatsapp-crypt15 x2: key at data\/data\/com\.whatsapp\/files\/key\n\s+wa\/msgstore\.db\.crypt15\n\s+wa\/backup\.crypt15/,
    );
  });

  it('shows the top 10 scheme rows and says how many more', () => {
    const table = at(/^encrypted by scheme/);
    expect(lines[table + 2]).toMatch(/^scheme-00\s+30/);
    expect(lines[table + 12]).toMatch(/^\+7 more row\(s\): \d+ item\(s\)/);
  });

  it('keeps every line short, cutting long key descriptions (the manifest keeps them whole)', () => {
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(text).toContain('…');
  });

  it('says so when no key is present', () => {
    expect(summaryText(summary(groups.filter((g) => g.keyHint?.present !== 'yes')))).toMatch(
      /KEY PRESENT in this extraction: none of the encrypted items/,
    );
  });

  it('says which rows the summary record left out, and how many items they counted', () => {
    const s = summary(groups);
    s.omitted = { encrypted: { rows: 120_000, items: 130_000, estimated: true }, apps: { rows: 3, items: 9 } };
    expect(summaryText(s)).toContain(
      'Left out of the summary record (past its size budget, or first seen once a table held 50,000 rows; counted in the totals above): about 120000 encrypted row(s) of 130000 item(s), 3 apps row(s) of 9 item(s).',
    );
    expect(summaryText(summary(groups))).not.toContain('Left out');
  });

  it('tells keys never in a dump from keys looked for and not found', () => {
    expect(keyStanding({ description: 'x', kind: 'hardware', present: 'no' })).toBe('never-in-dump');
    expect(keyStanding({ description: 'x', kind: 'keystore', present: 'unknown' })).toBe('never-in-dump');
    expect(keyStanding({ description: 'x', kind: 'key-file', present: 'no' })).toBe('not-found');
    expect(keyStanding({ description: 'x', kind: 'key-file', present: 'yes' })).toBe('present');
    expect(keyStanding(undefined)).toBe('unknown');
  });
});
