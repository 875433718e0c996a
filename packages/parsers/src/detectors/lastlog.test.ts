import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lastlogDetector } from './lastlog.js';
import { fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  lastlogDetector,
  {
    fixtures: new URL('../../fixtures/lastlog/', import.meta.url),
    valid: [{ file: 'lastlog', format: 'lastlog', status: 'opaque', reasons: ['LASTLOG_RECORDS'] }],
    // A control byte in a host field: not lastlog's records, whatever the name says.
    invalid: [{ file: 'damaged/lastlog.1' }],
  },
  { framework: { describe, it } },
);

describe('lastlog in a scan', () => {
  it('is named, opaque, with its record count', async () => {
    const item = (await scanFixtures('lastlog')).get('lastlog')!;
    expect(item.format?.id).toBe('lastlog');
    expect(item.classification.status).toBe('opaque');
    expect(item.classification.reasons[0]!.figures).toMatchObject({ records: 4, dated: 2 });
  });
});

describe('lastlog on damaged bytes', () => {
  // The name gates the structure check, so the shared fuzzing (which renames files) never reaches it: mutate here.
  it('never throws on mutated and cut copies named lastlog, and names only whole records that hold', () => {
    const real = new Uint8Array(fs.readFileSync(`${fixtureDir('lastlog')}/lastlog`));
    let s = 29;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let run = 0; run < 3000; run++) {
      const b = real.slice(0, run % 3 === 0 ? next() % real.length : real.length);
      for (let i = 0, n = 1 + (next() % 8); i < n && b.length > 0; i++) b[next() % b.length] = next() & 0xff;
      const probe = {
        path: 'lastlog',
        logicalPath: 'var/log/lastlog',
        name: 'lastlog',
        extension: '',
        size: b.length,
        head: b,
        tail: b.subarray(Math.max(0, b.length - 8192)),
        samples: [],
        complete: true,
      };
      const d = lastlogDetector.detect(probe, {} as never) as { format: { id: string } } | undefined;
      if (d) {
        expect(d.format.id).toBe('lastlog');
        expect(b.length % 292).toBe(0);
      }
    }
  });
});
