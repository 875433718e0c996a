import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { ole2EncryptionParser } from './ole2-encryption.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

testParser(
  ole2EncryptionParser,
  {
    fixtures: new URL('../../fixtures/ole2-encryption/', import.meta.url),
    format: 'ole2',
    valid: [
      {
        file: 'agile-encrypted.docx',
        status: 'encrypted',
        encryption: { scheme: 'ooxml-agile-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'word-encrypted.doc', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'word-clear.doc', status: 'analysable' },
      { file: 'excel-filepass.xls', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'excel-clear.xls', status: 'analysable' },
      { file: 'powerpoint-encrypted.ppt', status: 'encrypted', encryption: { scheme: 'office-rc4-cryptoapi' } },
      { file: 'powerpoint-clear.ppt', status: 'analysable' },
      { file: 'other-streams.cfb', status: 'analysable' },
      // A Windows Installer database by msitools' wixl: its table streams name it.
      { file: 'wixl-demo.msi', status: 'analysable' },
      // Outlook messages (make-outlook-messages.mjs): the S/MIME attachment's CMS content type decides.
      {
        file: 'smime-encrypted.msg',
        status: 'encrypted',
        encryption: { scheme: 'smime-cms-enveloped', scope: 'partial', keyHint: { kind: 'keystore' } },
      },
      { file: 'smime-opaque-signed.msg', status: 'analysable' },
      // Information Rights Management (make-irm-documents.mjs): a key the rights-management server holds.
      {
        file: 'irm-protected.docx',
        status: 'encrypted',
        encryption: { scheme: 'office-irm-rms', keyHint: { kind: 'keystore' } },
      },
      { file: 'irm-protected.doc', status: 'encrypted', encryption: { scheme: 'office-irm-rms' } },
      { file: 'plain.msg', status: 'analysable' },
      // Hangul HWP 5 documents (make-hwp-documents.mjs): the FileHeader stream's properties word decides.
      {
        file: 'hwp-password.hwp',
        status: 'encrypted',
        encryption: { scheme: 'hwp-password', keyHint: { kind: 'password' } },
      },
      {
        file: 'hwp-certificate.hwp',
        status: 'encrypted',
        encryption: { scheme: 'hwp-certificate', keyHint: { kind: 'keystore' } },
      },
      { file: 'hwp-drm.hwp', status: 'encrypted', encryption: { scheme: 'hwp-drm' } },
      { file: 'hwp-plain.hwp', status: 'analysable' },
      // A distribution document's key is in the file: readable without a secret.
      { file: 'hwp-distribution.hwp', status: 'analysable' },
      // Real Office documents cut in half (make-cut-documents.sh): the directory points past the end, and the
      // stream that decides is found by its signature; the damage stays on record.
      {
        file: 'cut-word-encrypted.doc',
        status: 'encrypted',
        encryption: { scheme: 'office-rc4' },
        diagnostics: ['CFB_UNREADABLE'],
        details: { salvagedBySignature: [{ name: 'WordDocument', offset: 512 }] },
      },
      {
        file: 'cut-excel-encrypted.xls',
        status: 'encrypted',
        encryption: { scheme: 'office-rc4' },
        diagnostics: ['CFB_UNREADABLE'],
        details: { salvagedBySignature: [{ name: 'Workbook', offset: 512 }] },
      },
      {
        file: 'cut-agile-encrypted.docx',
        status: 'encrypted',
        encryption: { scheme: 'ooxml-agile-aes128' },
        diagnostics: ['CFB_UNREADABLE'],
      },
      // PowerPoint 97-2003 presentations written from the published layouts (cut-presentations/make.py), whole and
      // cut in half: the cut loses the Current User stream and the CryptSession10Container; the directory's first
      // sector and the document's first sector decide (compound-file-cut-short.test.ts).
      ...['rc4-summary.ppt', 'rc4-plain-names.ppt'].map((file) => ({
        file: `cut-presentations/${file}`,
        status: 'encrypted' as const,
        encryption: { scheme: 'office-rc4-cryptoapi' },
      })),
      { file: 'cut-presentations/clear.ppt', status: 'analysable' },
      ...['rc4-summary-half.ppt', 'rc4-plain-names-half.ppt'].map((file) => ({
        file: `cut-presentations/${file}`,
        status: 'encrypted' as const,
        encryption: { scheme: 'office-rc4-cryptoapi', keyHint: { kind: 'password' } },
        diagnostics: ['CFB_UNREADABLE'],
        details: { cutShort: true },
      })),
      // Structure damage in streams no verdict reads (damaged/make-damaged.sh; compound-file-check.test.ts).
      ...[
        'streams@dir1-child=1.cfb',
        'streams@dir1-start=2147483647.cfb',
        'streams@dir2-size=4294967295.cfb',
        'streams@minifat-sector-count=4294967292.cfb',
        'book@mini-stream-cutoff=4095.xls',
        'book@dir2-type-colour=32767.xls',
        'book@difat-1=4294967292.xls',
        'demo@dir10-start=0.msi',
        'streams@fat-dir0-next=4294967295.cfb',
        'book@dir3-size=0.xls',
      ].map((file) => ({ file: `damaged/${file}`, status: 'analysable' as const, diagnostics: ['CFB_DAMAGED'] })),
    ],
    invalid: [
      { file: 'truncated.doc', diagnostics: ['CFB_UNREADABLE'] },
      // A clear document cut in half: its FIB is found and says nothing is encrypted, so nothing is claimed.
      { file: 'cut-word-clear.doc', diagnostics: ['CFB_UNREADABLE'] },
      // A clear presentation cut in half: its document stream opens with a record header, so nothing is claimed.
      { file: 'cut-presentations/clear-half.ppt', diagnostics: ['CFB_UNREADABLE'] },
    ],
  },
  { framework: { describe, it } },
);

describe('PowerPoint presentations cut short', () => {
  it('say what was judged: the EncryptedSummary stream, or the uniform first sector of the document stream', async () => {
    const items = await scanFixtures('ole2-encryption');
    const summary = items.get('cut-presentations/rc4-summary-half.ppt')!;
    expect(summary.format?.id).toBe('ole2-ppt-encrypted');
    expect(codes(summary)).toContain('PPT_CUT_SHORT_ENCRYPTED_SUMMARY');
    const uniform = items.get('cut-presentations/rc4-plain-names-half.ppt')!;
    const reason = uniform.classification.reasons.find((r) => r.code === 'PPT_CUT_SHORT_UNIFORM_DOCUMENT');
    expect(reason?.figures).toMatchObject({ fileBytes: 3584, documentOffset: 2048 });
    expect(items.get('cut-presentations/clear-half.ppt')!.classification.status).toBe('analysable');
  });
});

describe('Windows Installer databases', () => {
  it('are named from their table streams (msi.dll name encoding), analysable', async () => {
    const msi = (await scanFixtures('ole2-encryption')).get('wixl-demo.msi')!;
    expect(msi.format?.id).toBe('msi');
    expect(msi.classification.status).toBe('analysable');
    expect(codes(msi)).toContain('MSI_TABLE_STREAMS');
  });
});
