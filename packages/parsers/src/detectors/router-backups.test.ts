import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { routerBackupsDetector } from './router-backups.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/router-backups/', import.meta.url);

// Written from the published layouts: fixtures/router-backups/generate.sh.
testDetector(
  routerBackupsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'MikroTik-plain.backup',
        format: 'mikrotik-backup',
        status: 'opaque',
        reasons: ['MIKROTIK_BACKUP_PLAIN'],
      },
      {
        file: 'MikroTik-rc4.backup',
        format: 'mikrotik-backup-encrypted',
        status: 'encrypted',
        reasons: ['MIKROTIK_BACKUP_ENCRYPTED'],
        encryption: { scheme: 'mikrotik-backup-rc4-sha1', keyHint: { kind: 'password' } },
      },
      {
        file: 'MikroTik-aes.backup',
        format: 'mikrotik-backup-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'mikrotik-backup-aes128-ctr-sha256', keyHint: { kind: 'password' } },
      },
      // The key byte is in the header: obfuscated, not encrypted.
      { file: 'Settings_RT-AC68U.CFG', format: 'asus-nvram-cfg', status: 'opaque', reasons: ['ASUS_NVRAM_CFG'] },
      { file: 'nvrambak.bin', format: 'ddwrt-nvram-backup', status: 'opaque', reasons: ['DDWRT_NVRAM_BACKUP'] },
      { file: 'nvrambak-mips.bin', name: 'from a big-endian router', format: 'ddwrt-nvram-backup', status: 'opaque' },
    ],
    invalid: [
      { file: 'not-mikrotik.bin', name: 'MikroTik magic with a length that is not the file size' },
      { file: 'random-hdr2.CFG', name: 'HDR2 header over random bytes: no nvram pairs decode' },
    ],
  },
  { framework: { describe, it } },
);

describe('router-backups on other bytes', () => {
  const ctx = { limits: DEFAULT_LIMITS };
  it('takes no random bytes behind its magics', () => {
    const magics = [
      [0x88, 0xac, 0xa1, 0xb1],
      [0xef, 0xa8, 0x91, 0x72],
      [...Buffer.from('HDR2')],
      [...Buffer.from('DD-WRT')],
    ];
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const b = seededBytes(i + 11, 48 + (i % 1500));
      b.set(magics[i % magics.length]!, 0);
      if (routerBackupsDetector.detect(wholeFileProbe(b, `x${i}.backup`), ctx)) found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    routerBackupsDetector,
    ['MikroTik-plain.backup', 'MikroTik-rc4.backup', 'Settings_RT-AC68U.CFG', 'nvrambak.bin'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
    { wholeHalf: true },
  );
});
