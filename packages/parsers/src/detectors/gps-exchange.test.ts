import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gpsExchangeDetector } from './gps-exchange.js';

const dir = new URL('../../fixtures/gps-exchange/', import.meta.url);
const ok = (file: string, format: string) => ({
  file,
  format,
  status: 'opaque' as const,
  reasons: ['GPS_EXCHANGE_HEADER'],
  details: { kind: format },
});

testDetector(
  gpsExchangeDetector,
  {
    fixtures: dir,
    valid: [ok('track.gdb', 'garmin-gdb'), ok('pois.gpi', 'garmin-gpi'), ok('track.gtm', 'gps-trackmaker')],
    invalid: [{ file: 'not-gdb.bin' }],
  },
  { framework: { describe, it } },
);

describe('GPS exchange files on damaged bytes', () => {
  it('never throws on cut and mutated copies', () => {
    let s = 5;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (const file of ['track.gdb', 'pois.gpi', 'track.gtm']) {
      const real = new Uint8Array(fs.readFileSync(new URL(file, dir)));
      for (let run = 0; run < 300; run++) {
        const b = real.slice(0, next() % (real.length + 1));
        for (let i = 0, n = next() % 4; i < n && b.length > 0; i++) b[next() % b.length] = next() & 0xff;
        const probe = {
          path: file,
          logicalPath: file,
          name: file,
          extension: '',
          size: b.length,
          head: b,
          tail: new Uint8Array(0),
          samples: [],
          complete: true,
        };
        expect(() => gpsExchangeDetector.detect(probe, {} as never)).not.toThrow();
      }
    }
  });
});
