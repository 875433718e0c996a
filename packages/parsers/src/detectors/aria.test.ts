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
    // The control file under another name with its changeable part's CRC-32 failing.
    invalid: [{ file: 'index-look-alike.bin' }, { file: 'control-bad-checksum.bin' }],
  },
  { framework: { describe, it } },
);

describe('aria: what each verdict rests on', () => {
  const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
  const detect = (bytes: Uint8Array, name: string) =>
    ariaDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;

  it("takes a data file under another name when its bitmap's CRC-32 holds, with the lower-confidence reason", () => {
    expect(detect(read('plain/ari.MAD'), 'ari.MAD')?.format.id).toBe('aria-data');
    const plainPages = detect(read('plain/ari.MAD'), 'f');
    expect(plainPages).toMatchObject({ format: { id: 'aria-data' }, status: 'analysable' });
    expect(plainPages?.reasons[0]).toMatchObject({ code: 'ARIA_DATA_PAGES_STRUCTURE' });
    expect(plainPages?.reasons[0]?.message).toContain('not named .MAD');
    expect(plainPages!.confidence).toBeLessThan(detect(read('plain/ari.MAD'), 'ari.MAD')!.confidence);
    const encryptedPages = detect(read('encrypted/ari.MAD'), 'ari.bin');
    expect(encryptedPages).toMatchObject({ format: { id: 'aria-data-encrypted' } });
    expect(encryptedPages?.reasons[0]).toMatchObject({
      code: 'ARIA_DATA_ENCRYPTED_STRUCTURE',
      figures: { keyVersion: 1 },
    });
    // The bitmap's checksum off by one bit: not claimed without the name.
    const damaged = read('plain/ari.MAD');
    damaged[100] = damaged[100]! ^ 1;
    expect(detect(damaged, 'f')).toBeUndefined();
  });

  it('needs the .MAD name for an empty table: a bitmap never written is zeros and a mark', () => {
    expect(detect(read('plain/empty-servers.MAD'), 'empty-servers.MAD')?.format.id).toBe('aria-data');
    expect(detect(read('plain/empty-servers.MAD'), 'f')).toBeUndefined();
  });

  it("takes the control file under another name when both parts' CRC-32s hold", () => {
    const control = detect(read('plain/aria_log_control'), 'f.bin');
    expect(control).toMatchObject({ format: { id: 'aria-log-control' }, status: 'analysable' });
    expect(control?.reasons[0]).toMatchObject({
      code: 'ARIA_CONTROL_FILE_CHECKSUMS',
      figures: { size: 52, fixedPart: 30, changeablePart: 22 },
    });
    expect(detect(read('control-bad-checksum.bin'), 'control-bad-checksum.bin')).toBeUndefined();
    // Named aria_log_control, the magic and size are enough (as before).
    expect(detect(read('control-bad-checksum.bin'), 'aria_log_control')?.format.id).toBe('aria-log-control');
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
