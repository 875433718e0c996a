import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ariaDetector } from './aria.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';

// MariaDB 10.11's own Aria files, plain and with aria_encrypt_tables (fixtures/aria/generate.sh).
const fixtures = new URL('../../fixtures/aria/', import.meta.url);
const encrypted = (file: string, format: string, reason: string) =>
  ({
    file,
    format,
    status: 'encrypted',
    reasons: [reason],
    encryption: { scheme: 'mariadb-aria-aes', keyHint: { kind: 'key-file' } },
  }) as const;

const VALID = [
  { file: 'plain/ari.MAI', format: 'aria-index', status: 'analysable', reasons: ['ARIA_INDEX_HEADER'] },
  { file: 'plain/ari.MAD', format: 'aria-data', status: 'analysable', reasons: ['ARIA_DATA_PAGES'] },
  { file: 'plain/empty-servers.MAD', format: 'aria-data', status: 'analysable', reasons: ['ARIA_DATA_EMPTY'] },
  { file: 'plain/aria_log.00000001', format: 'aria-log', status: 'analysable', reasons: ['ARIA_LOG_HEADER'] },
  { file: 'encrypted/aria_log.00000001', format: 'aria-log', status: 'analysable', reasons: ['ARIA_LOG_HEADER'] },
  {
    file: 'plain/aria_log_control',
    format: 'aria-log-control',
    status: 'analysable',
    reasons: ['ARIA_CONTROL_FILE'],
  },
  encrypted('encrypted/ari.MAI', 'aria-index-encrypted', 'ARIA_INDEX_ENCRYPTED'),
  encrypted('encrypted/ari.MAD', 'aria-data-encrypted', 'ARIA_DATA_ENCRYPTED'),
] as const;

testDetector(
  ariaDetector,
  {
    fixtures,
    valid: VALID,
    // The index header's magic and lengths before random bytes: no base info agrees.
    invalid: [{ file: 'index-look-alike.bin' }],
  },
  { framework: { describe, it } },
);

describe('aria: what each verdict rests on', () => {
  const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
  const detect = (bytes: Uint8Array, name: string) =>
    ariaDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;

  it('needs the .MAD name for a data file: the same pages under another name are not claimed', () => {
    expect(detect(read('plain/ari.MAD'), 'ari.MAD')?.format.id).toBe('aria-data');
    expect(detect(read('plain/ari.MAD'), 'ari.bin')).toBeUndefined();
  });

  it('reads the encrypted option from the base info: cleared, the index is plain', () => {
    const mai = read('encrypted/ari.MAI');
    const basePos = (mai[12]! << 8) | mai[13]!;
    mai[basePos + 91] = mai[basePos + 91]! & ~1;
    expect(detect(mai, 'ari.MAI')?.format.id).toBe('aria-index');
  });
});

describe('fuzz: aria', () => {
  const names = ['plain/ari.MAI', 'encrypted/ari.MAI', 'plain/ari.MAD', 'encrypted/ari.MAD', 'plain/aria_log_control'];
  const seeds = names.map(
    (name) => [name.split('/')[1]!, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(ariaDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(ariaDetector, 'aria');
});
