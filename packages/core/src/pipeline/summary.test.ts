/**
 * The by-scheme tables of the summary: one row per scheme and key hint (a
 * group never borrows one item's hint for the others), and an encrypted
 * archive whose encrypted members follow is counted through its members.
 * Items are built here because this is the aggregation alone; the scan of
 * real archives is in test/apps/cli-summary.test.ts and test/containers.
 */
import { describe, expect, it } from 'vitest';
import { EvidenceItem } from '../model/evidence-item.js';
import type { KeyHint } from '../model/encryption.js';
import { SummaryAggregator } from './summary.js';

/** A schema-valid encrypted item (parsed with the manifest's own zod schema). */
function locked(path: string, scheme: string | undefined, hint?: KeyHint, app?: string): EvidenceItem {
  return EvidenceItem.parse({
    path,
    kind: 'file',
    size: 100,
    times: {},
    depth: path.split('!/').length - 1,
    format: { id: scheme ?? 'binary-random', name: 'x', extensionMismatch: false, detector: 'test' },
    classification: {
      status: 'encrypted',
      confidence: 0.9,
      certainty: 'certain',
      reasons: [{ code: 'TEST', message: 'built by the test', by: 'test' }],
    },
    ...(scheme ? { encryption: { scheme, scope: 'full', ...(hint ? { keyHint: hint } : {}) } } : {}),
    ...(app ? { app: { id: app, platform: 'android', rule: 'test' } } : {}),
    errors: [],
  });
}

const telegram: KeyHint = {
  description: 'Telegram .tempkeyEncrypted',
  kind: 'key-file',
  present: 'yes',
  foundAt: ['tg/.tempkeyEncrypted'],
};
const backupPassword: KeyHint = { description: 'The iOS backup password.', kind: 'password', present: 'unknown' };

describe('encrypted groups', () => {
  it("one row per scheme and key hint: items without a hint do not borrow another item's hint", () => {
    const agg = new SummaryAggregator();
    agg.add(locked('tg/cache/1', 'unknown', telegram));
    agg.add(locked('ios/Manifest.db', 'unknown', backupPassword));
    agg.add(locked('ios/ab/abcdef', 'unknown', backupPassword));
    agg.add(locked('signal/attachment-1', 'unknown'));
    const rows = agg.finish({ complete: true }).encrypted.filter((g) => g.scheme === 'unknown');
    expect(rows.map((g) => [g.count, g.keyHint?.description ?? '(no hint)'])).toEqual([
      [2, 'The iOS backup password.'],
      [1, 'Telegram .tempkeyEncrypted'],
      [1, '(no hint)'],
    ]);
    expect(rows.find((g) => !g.keyHint)?.examples).toEqual(['signal/attachment-1']);
  });

  it('a hint found present for one item of a row is shown as present for the row', () => {
    const agg = new SummaryAggregator();
    agg.add(locked('a', 'whatsapp-crypt15', { ...telegram, present: 'unknown', foundAt: undefined }));
    agg.add(locked('b', 'whatsapp-crypt15', telegram));
    const [row] = agg.finish({ complete: true }).encrypted;
    expect(row?.count).toBe(2);
    expect(row?.keyHint?.present).toBe('yes');
  });

  it('an encrypted archive followed by its encrypted members counts once per member, in the scheme and app tables', () => {
    const agg = new SummaryAggregator();
    const zipHint: KeyHint = { description: 'The archive password.', kind: 'password', present: 'unknown' };
    const memberHint: KeyHint = {
      description: 'the password the ZIP was made with',
      kind: 'password',
      present: 'unknown',
    };
    agg.add(locked('Download/tax.zip', 'zipcrypto', zipHint, 'com.example'));
    for (let i = 0; i < 12; i++)
      agg.add(locked(`Download/tax.zip!/doc-${i}.pdf`, 'zipcrypto', memberHint, 'com.example'));
    agg.add(locked('Download/other.zip', 'zipcrypto', zipHint)); // listed alone: no members follow
    const s = agg.finish({ complete: true });
    const zipcrypto = s.encrypted.filter((g) => g.scheme === 'zipcrypto');
    expect(zipcrypto.reduce((n, g) => n + g.count, 0)).toBe(13);
    expect(zipcrypto.flatMap((g) => g.examples)).not.toContain('Download/tax.zip');
    expect(zipcrypto.flatMap((g) => g.examples)).toContain('Download/other.zip');
    // The archive is still an encrypted item in the status counts.
    expect(s.byStatus['encrypted']?.count).toBe(14);
    const app = s.apps.find((a) => a.id === 'com.example')!;
    expect(app.encrypted.reduce((n, e) => n + e.count, 0)).toBe(12);
  });

  it('an encrypted archive whose first member is readable stays in the table', () => {
    const agg = new SummaryAggregator();
    agg.add(locked('mixed.zip', 'zipcrypto', backupPassword));
    agg.add({
      ...locked('mixed.zip!/readme.txt', undefined),
      classification: {
        status: 'analysable',
        confidence: 1,
        certainty: 'certain',
        reasons: [{ code: 'TEST', message: 'built by the test', by: 'test' }],
      },
    });
    expect(agg.finish({ complete: true }).encrypted.map((g) => [g.scheme, g.count])).toEqual([['zipcrypto', 1]]);
  });
});
