import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { sqlAnywhereDetector } from './sql-anywhere.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/sql-anywhere/', import.meta.url);

testDetector(
  sqlAnywhereDetector,
  {
    fixtures,
    valid: [
      {
        file: 'company.qbw',
        format: 'quickbooks-company-file',
        status: 'opaque',
        confidence: { min: 0.9 },
        reasons: ['QUICKBOOKS_SQL_ANYWHERE'],
      },
      { file: 'sample.db', format: 'sql-anywhere-db', status: 'opaque', reasons: ['SQL_ANYWHERE_SUPERBLOCK'] },
      {
        file: 'sybase-era.qbw',
        format: 'quickbooks-company-file',
        status: 'opaque',
        reasons: ['QUICKBOOKS_SQL_ANYWHERE'],
      },
    ],
    invalid: [{ file: 'bad-crc.db' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);

describe('sql-anywhere superblock', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array, name: string) =>
    (await sqlAnywhereDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never })) as Detection | undefined;

  it('reads the page size, format number and engine string, and says whether the file is whole pages', async () => {
    const d = await detect(read('company.qbw'), 'company.qbw');
    expect(d?.reasons[0]?.figures).toMatchObject({
      pageSize: 4096,
      formatNumber: 3,
      wholePages: true,
      engine: '2182 SAP SE, Copyright (c)2015 17.0.4.',
    });
    expect(d?.reasons[0]?.message).toContain('not encrypted');
  });

  it("confirms an older engine's superblock (no page CRC) by its collation label and vendor string", async () => {
    const d = await detect(read('sybase-era.qbw'), 'old.qbw');
    expect(d?.reasons[0]?.figures).toMatchObject({ strings: '1252LATIN1, windows-1252, Sybase' });
    expect(d?.reasons[0]?.figures).not.toHaveProperty('pageSize');
    expect(d?.reasons[0]?.message).toContain('no page CRC');
  });

  it('finds the CRC at the end of a 2 KiB superblock too', async () => {
    const page = Buffer.alloc(2048);
    read('sample.db').copy(page, 0, 0, 0x400);
    page.writeUInt32LE(zlib.crc32(page.subarray(0, 2044)), 2044);
    expect((await detect(page, 'old.db'))?.reasons[0]?.figures).toMatchObject({ pageSize: 2048 });
  });

  it('takes neither the magic without its CRC nor a superblock that does not start with zeros', async () => {
    expect(await detect(read('bad-crc.db'), 'bad.db')).toBeUndefined();
    const shifted = read('sample.db');
    shifted[0] = 1;
    shifted.writeUInt32LE(zlib.crc32(shifted.subarray(0, 4092)), 4092);
    expect(await detect(shifted, 'x.db')).toBeUndefined();
  });
});

describe('sql-anywhere in the pipeline', () => {
  it('keeps an obfuscated QuickBooks file (random-looking pages) from the statistics: opaque, not encrypted', async () => {
    const items = await scanFixtures('sql-anywhere');
    expect(items.get('company.qbw')?.classification.status).toBe('opaque');
    expect(items.get('company.qbw')?.format?.id).toBe('quickbooks-company-file');
    // Without its CRC or its strings the magic is not believed; libmagic's MATLAB answer is not either (a chance match).
    expect(items.get('bad-crc.db')?.format?.id).not.toBe('matlab-data');
    expect(codes(items.get('bad-crc.db'))).not.toContain('QUICKBOOKS_SQL_ANYWHERE');
  }, 60_000);
});

describe('sql-anywhere mutation fuzz', () => {
  const seeds = ['company.qbw', 'sample.db'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(sqlAnywhereDetector, seeds, 200, { wholeHalf: true });
});
