import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { financeDocumentsDetector } from './finance-documents.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/finance-documents/', import.meta.url);

testDetector(
  financeDocumentsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted-v3.gsb',
        format: 'grisbi-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['GRISBI_ENCRYPTION_MARKER'],
        encryption: { scheme: 'grisbi-v3-aes128-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'encrypted-v1.gsb',
        format: 'grisbi-encrypted',
        status: 'encrypted',
        reasons: ['GRISBI_ENCRYPTION_MARKER'],
        encryption: { scheme: 'grisbi-v1-des-cbc' },
      },
      {
        file: 'skrooge-password.skg',
        format: 'skrooge-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['SKROOGE_PASSWORD_MODE'],
        encryption: { scheme: 'skrooge-sqlcipher', keyHint: { kind: 'password' } },
      },
      {
        file: 'company.qbb',
        format: 'quickbooks-backup',
        status: 'opaque',
        confidence: { min: 0.85 },
        reasons: ['QUICKBOOKS_BACKUP_RECORDS'],
      },
      { file: 'company.qbm', format: 'quickbooks-portable', status: 'opaque', reasons: ['QUICKBOOKS_BACKUP_RECORDS'] },
      {
        file: 'skrooge-default-key.skg',
        format: 'skrooge-document',
        status: 'analysable',
        reasons: ['SKROOGE_DEFAULT_KEY'],
      },
    ],
    invalid: [{ file: 'plain.gsb' }, { file: 'clear-after-marker.gsb' }, { file: 'short-payload.qbb' }],
    // Other apps' files, read by the whole pipeline in finance-apps.cases.test.ts.
    ignore: ['apps/*'],
  },
  { framework: { describe, it } },
);

describe('finance document markers', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array, name: string) =>
    (await financeDocumentsDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never })) as
      Detection | undefined;

  it('names the Grisbi layout by its marker, the same ciphertext under each', async () => {
    const bytes = read('encrypted-v3.gsb');
    const v2 = Buffer.concat([Buffer.from('Grisbi encryption v2: '), bytes.subarray(22)]);
    const d = await detect(v2, 'accounts.gsb');
    expect(d?.encryption?.scheme).toBe('grisbi-v2-des-cbc');
    expect(d?.reasons[0]?.figures).toMatchObject({ layoutVersion: 2, ciphertextBytes: bytes.length - 22 });
  });

  it('rejects a v3 file cut inside an AES block (whole blocks or not Grisbi)', async () => {
    const bytes = read('encrypted-v3.gsb');
    expect(await detect(bytes.subarray(0, bytes.length - 3), 'cut.gsb')).toBeUndefined();
  });

  it('reads the older QCA layout of Skrooge by its mode marker, locked or not', async () => {
    const body = read('skrooge-password.skg').subarray(18);
    const locked = await detect(Buffer.concat([Buffer.from('SKROOGE_ENCRYPTED-'), body]), 'old.skg');
    expect(locked?.status).toBe('encrypted');
    expect(locked?.encryption?.scheme).toBe('skrooge-qca-aes128');
    const open = await detect(Buffer.concat([Buffer.from('SKROOGE_DECRYPTED-'), body]), 'old.skg');
    expect(open?.status).toBe('analysable');
    expect(open?.reasons[0]?.message).toContain('DEFAULTPASSWORD');
  });

  it("reads a QuickBooks backup's record chain: the company name and a payload that ends the file", async () => {
    const d = await detect(read('company.qbb'), 'company.qbb');
    expect(d?.reasons[0]?.figures).toEqual({ records: 2, payloadBytes: 3000, company: 'Rock Castle Construction' });
    const grown = Buffer.concat([read('company.qbb'), Buffer.alloc(10)]);
    expect(await detect(grown, 'company.qbb')).toBeUndefined();
  });

  it('takes no other mode word and no SQLCipher body that is not whole pages', async () => {
    const bytes = read('skrooge-password.skg');
    const other = Buffer.from(bytes);
    other.write('_UNCRYPTE3', 7, 'latin1');
    expect(await detect(other, 'x.skg')).toBeUndefined();
    expect(await detect(bytes.subarray(0, bytes.length - 100), 'x.skg')).toBeUndefined();
  });
});

describe('finance-documents mutation fuzz', () => {
  const seeds = [
    'encrypted-v3.gsb',
    'encrypted-v1.gsb',
    'skrooge-password.skg',
    'skrooge-default-key.skg',
    'company.qbb',
  ].map((name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const);
  fuzzFlipCutGrow(financeDocumentsDetector, seeds, 300, { wholeHalf: true });
});
