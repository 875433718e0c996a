import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { publishedKeyBackupsDetector } from './published-key-backups.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/published-key-backups/', import.meta.url);

// Encrypted by openssl under the vendors' published keys: fixtures/published-key-backups/generate.sh.
testDetector(
  publishedKeyBackupsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'autobackup_7.5.187_20240102_1000_1704189600000.unf',
        format: 'unifi-backup',
        status: 'opaque',
        reasons: ['UNIFI_BACKUP_PUBLISHED_KEY'],
      },
      {
        file: 'config-tplink-md5.bin',
        format: 'tplink-config',
        status: 'opaque',
        reasons: ['TPLINK_CONFIG_PUBLISHED_KEY'],
      },
      { file: 'config-tplink-zlib.bin', format: 'tplink-config', status: 'opaque' },
    ],
    invalid: [
      // The same plaintexts under a key nobody published stay for the statistics (encrypted).
      { file: 'zip-aes-random-key.bin', name: 'a ZIP AES-encrypted under a random key' },
      { file: 'settings-aes-random-key.bin', name: 'TP-Link-style settings AES-encrypted under a random key' },
    ],
  },
  { framework: { describe, it } },
);

describe('published-key-backups on other bytes', () => {
  it('takes no random buffers (sizes multiples of 16)', () => {
    let found = 0;
    for (let i = 0; i < 30000; i++) {
      const b = seededBytes(i + 17, 48 + 16 * (i % 200));
      if (publishedKeyBackupsDetector.detect(wholeFileProbe(b, 'config.bin'), { limits: DEFAULT_LIMITS })) found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    publishedKeyBackupsDetector,
    ['autobackup_7.5.187_20240102_1000_1704189600000.unf', 'config-tplink-md5.bin', 'config-tplink-zlib.bin'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
    { wholeHalf: true },
  );
});
