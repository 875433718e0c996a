import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { bindJournalDetector } from './bind-journal.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Journals named wrote for BIND 9.18's own tests (generate.sh says which).
testDetector(
  bindJournalDetector,
  {
    fixtures: new URL('../../fixtures/bind-journal/', import.meta.url),
    valid: [
      {
        file: 'changed.ver1.jnl',
        format: 'bind-journal',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['BIND_JOURNAL_HEADER'],
      },
      { file: 'changed.ver2.jnl', format: 'bind-journal', status: 'analysable', reasons: ['BIND_JOURNAL_HEADER'] },
      { file: 'd1212.jnl', format: 'bind-journal', status: 'analysable', reasons: ['BIND_JOURNAL_HEADER'] },
      { file: 'unchanged.ver2.jnl', format: 'bind-journal', status: 'analysable', reasons: ['BIND_JOURNAL_HEADER'] },
      { file: 'managed-keys.bind.jnl', format: 'bind-journal', status: 'analysable', reasons: ['BIND_JOURNAL_HEADER'] },
    ],
    invalid: [{ file: 'notes.txt' }, { file: 'past-end.jnl' }],
  },
  { framework: { describe, it } },
);

describe('bind-journal through the pipeline', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('bind-journal');
  });
  const figures = (file: string) =>
    items.get(file)?.classification.reasons.find((r) => r.by === 'bind-journal')?.figures;

  it('gives the serial range and the transactions that chain', () => {
    expect(figures('changed.ver2.jnl')).toMatchObject({
      format: ';BIND LOG V9.2',
      firstSerial: 2012010901,
      lastSerial: 2012010902,
      transactions: 1,
      indexEntries: 56,
    });
    expect(figures('managed-keys.bind.jnl')).toMatchObject({ firstSerial: 13, lastSerial: 29, transactions: 16 });
  });

  it('reads version 2 transactions behind the version 1 string, as BIND recovers them', () => {
    // BIND's test expects named-journalprint -x to show two transactions of each version here.
    expect(figures('d1212.jnl')).toMatchObject({
      format: ';BIND LOG V9',
      transactions: 4,
      version1Headers: 2,
      version2Headers: 2,
      lastSerial: 2012010905,
    });
  });

  it('names a journal with no transaction yet, and leaves a text that quotes the string to the text detector', () => {
    expect(figures('unchanged.ver2.jnl')).toMatchObject({ transactions: 0, firstSerial: 0 });
    expect(items.get('notes.txt')?.format?.id).toBe('text');
  });
});
