import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { systemdJournalExportDetector } from './systemd-journal-export.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  systemdJournalExportDetector,
  {
    fixtures: new URL('../../fixtures/systemd-journal-export/', import.meta.url),
    valid: [
      // systemd's own test data: a core dump entry with binary fields, and one multi-line MESSAGE field alone.
      {
        file: 'coredump-entry.export',
        format: 'systemd-journal-export',
        status: 'analysable',
        reasons: ['JOURNAL_EXPORT_FIELDS'],
      },
      {
        file: 'message-only.export',
        format: 'systemd-journal-export',
        status: 'analysable',
        reasons: ['JOURNAL_EXPORT_FIELDS'],
      },
      // journalctl's export of two entries, one message binary-encoded for its newline.
      { file: 'round-trip.export', format: 'systemd-journal-export', status: 'analysable' },
    ],
    invalid: [{ file: 'key-values.txt' }, { file: 'cut-binary.export' }],
  },
  { framework: { describe, it } },
);

describe('systemd journal export in a scan', () => {
  it('names an export with a binary field, which the text check refuses, and counts its binary fields', async () => {
    const items = await scanFixtures('systemd-journal-export');
    const coredump = items.get('coredump-entry.export')!;
    expect(coredump.format?.id).toBe('systemd-journal-export');
    expect(coredump.classification.status).toBe('analysable');
    expect(codes(coredump)).toContain('JOURNAL_EXPORT_FIELDS');
    const reason = coredump.classification.reasons.find((r) => r.code === 'JOURNAL_EXPORT_FIELDS')!;
    // Its core dump's cgroup field appears twice, binary-encoded each time.
    expect(reason.figures).toMatchObject({ binaryFields: 2, entries: 1 });
    expect(items.get('round-trip.export')!.classification.reasons[0]!.figures).toMatchObject({
      entries: 2,
      binaryFields: 1,
    });
    // A damaged export is not named; it stays unencrypted.
    expect(items.get('cut-binary.export')!.format?.id).not.toBe('systemd-journal-export');
    expect(items.get('cut-binary.export')!.classification.status).not.toBe('encrypted');
  });
});
