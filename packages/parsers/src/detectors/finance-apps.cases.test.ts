/**
 * Finance and accounting app files through the whole pipeline: what an investigator opens first in a fraud
 * case, made by the apps' own tools (fixtures/finance-documents/apps/generate.sh).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

describe('finance app files (whole pipeline)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('finance-documents');
  }, 60_000);

  it('opens a GnuCash book and a KMyMoney document (gzip under their own extensions) to readable XML', () => {
    for (const name of ['book.gnucash', 'skrooge.kmy']) {
      const item = items.get(`apps/${name}`);
      expect(item?.classification.status).toBe('analysable');
      expect(item?.format?.id).toBe('gzip');
      expect(codes(item)).not.toContain('EXTENSION_MISMATCH');
      expect(items.get(`apps/${name}!/${name}.out`)?.classification.status).toBe('analysable');
    }
    expect(items.get('apps/book.gnucash!/book.gnucash.out')?.format?.id).toBe('xml');
  });

  it('calls a GPG-encrypted KMyMoney document encrypted, to the key whose id it names', () => {
    const item = items.get('apps/gpg.kmy');
    expect(item?.classification.status).toBe('encrypted');
    expect(item?.format?.id).toBe('pgp-encrypted');
    expect(codes(item)).toEqual(['PGP_PUBLIC_KEY_SESSION']);
    expect(item?.encryption?.keyHint?.description).toMatch(/secret key with id [0-9A-F]{16}/);
  });

  it("names a Money Manager Ex .emb database (random from byte 0) by the app catalogue's extension", () => {
    const item = items.get('apps/locked.emb');
    expect(item?.classification.status).toBe('encrypted');
    expect(item?.format?.id).toBe('app-encrypted-file');
    expect(item?.encryption?.scheme).toBe('moneymanagerex');
    expect(item?.encryption?.keyHint?.description).toContain('Money Manager Ex database password');
    expect(codes(item)).toContain('RANDOM_WITH_APP_EXTENSION');
  });

  it('calls a PDF statement with a user password (AES-256) encrypted', () => {
    const item = items.get('apps/statement-aes256.pdf');
    expect(item?.classification.status).toBe('encrypted');
    expect(item?.encryption?.scheme).toBe('pdf-aes-256');
    expect(codes(item)).toContain('PDF_USER_PASSWORD_REQUIRED');
  });
});
