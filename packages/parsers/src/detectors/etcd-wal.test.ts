import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { etcdWalDetector } from './etcd-wal.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// etcd 3.4's own WAL, its first 4 KiB (fixtures/etcd-wal/generate.sh).
const fixtures = new URL('../../fixtures/etcd-wal/', import.meta.url);

testDetector(
  etcdWalDetector,
  {
    fixtures,
    valid: [{ file: 'wal-head.wal', format: 'etcd-wal', status: 'analysable', reasons: ['ETCD_WAL_RECORDS'] }],
    // The first frame's padding count changed: the frame no longer ends on 8 bytes.
    invalid: [{ file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);

describe('fuzz: etcd-wal', () => {
  const seeds = [['wal-head.wal', new Uint8Array(fs.readFileSync(new URL('wal-head.wal', fixtures)))] as const];
  fuzzFlipCutGrow(etcdWalDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(etcdWalDetector, 'etcd-wal');
});
