import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { DEFAULT_LIMITS, type DetectorPlugin } from '@evtriage/core';
import { wholeFileProbe } from './probe.test-helper.js';

/** Fixture folders of the database servers' detectors, made by the servers themselves. */
const DATABASE_FOLDERS = [
  'aria',
  'etcd-wal',
  'firebird',
  'innodb',
  'innodb-redo-log',
  'mysql-binlog',
  'mysql-csv-meta',
  'postgresql',
];

/**
 * One test: the detector claims none of the other database detectors' fixtures (a MariaDB data directory holds
 * them side by side, and each file is one format).
 */
export function leavesOtherDatabaseFiles(detector: DetectorPlugin, own: string): void {
  it("claims none of the other database servers' files", () => {
    const claimed: string[] = [];
    let seen = 0;
    for (const folder of DATABASE_FOLDERS.filter((f) => f !== own)) {
      const root = fileURLToPath(new URL(`../../fixtures/${folder}/`, import.meta.url));
      for (const d of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
        if (!d.isFile() || /\.(sh|py)$/.test(d.name)) continue;
        const bytes = new Uint8Array(fs.readFileSync(path.join(d.parentPath, d.name)));
        seen++;
        if (detector.detect(wholeFileProbe(bytes, d.name), { limits: DEFAULT_LIMITS }))
          claimed.push(`${folder}/${d.name}`);
      }
    }
    expect(seen).toBeGreaterThan(15);
    expect(claimed).toEqual([]);
  });
}
