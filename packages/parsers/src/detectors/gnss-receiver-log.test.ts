import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gnssReceiverLogDetector, walkGnss } from './gnss-receiver-log.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

const ok = (file: string, format: string, protocol: string) => ({
  file,
  format,
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['GNSS_FRAMES'],
  details: { protocol },
});

testDetector(
  gnssReceiverLogDetector,
  {
    fixtures: new URL('../../fixtures/gnss-receiver-log/', import.meta.url),
    valid: [
      ok('ublox-neo-m8n.log', 'ubx', 'ubx'),
      ok('lea-4t-cut.ubx', 'ubx', 'ubx'),
      ok('bu303-nofix.log', 'sirf-binary', 'sirf'),
      ok('skytraq-bin.log', 'skytraq-binary', 'skytraq'),
      ok('rtcm3.bndm.log', 'rtcm3', 'rtcm3'),
      // Mostly NMEA, two UBX frames: not text, and a receiver log.
      ok('nmea-ubx.log', 'ubx', 'ubx'),
    ],
    // Frames whose checksums do not hold; NMEA sentences alone (text).
    invalid: [{ file: 'bad-checksums.ubx' }, { file: 'april6_2019.log' }],
  },
  { framework: { describe, it } },
);

describe('GNSS receiver logs on damaged and random bytes', () => {
  const dir = new URL('../../fixtures/gnss-receiver-log/', import.meta.url);
  const probeOf = (b: Uint8Array) => ({
    path: 'x.log',
    logicalPath: 'x.log',
    name: 'x.log',
    extension: 'log',
    size: b.length,
    head: b,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  });

  it('never throws on mutated and cut copies, and names only logs whose frames still chain', () => {
    let s = 14;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (const file of ['ublox-neo-m8n.log', 'bu303-nofix.log', 'skytraq-bin.log', 'rtcm3.bndm.log']) {
      const real = new Uint8Array(fs.readFileSync(new URL(file, dir)));
      for (let run = 0; run < 300; run++) {
        const b = real.slice(0, run % 3 === 0 ? next() % real.length : real.length);
        for (let i = 0, n = 1 + (next() % 16); i < n && b.length > 0; i++) b[next() % b.length] = next() & 0xff;
        const d = gnssReceiverLogDetector.detect(probeOf(b), {} as never) as
          { details?: { frames: number } } | undefined;
        if (d) expect(d.details!.frames).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('names no random buffer', () => {
    for (let seed = 1; seed <= 200; seed++)
      expect(gnssReceiverLogDetector.detect(probeOf(seededBytes(seed, 4096)), {} as never)).toBeUndefined();
  });

  it('walks from a frame that two chain from, counting the bytes between frames', () => {
    const w = walkGnss(new Uint8Array(fs.readFileSync(new URL('lea-4t-cut.ubx', dir))))!;
    expect(w.frames.ubx).toBeGreaterThan(20);
    expect(w.junk).toBeLessThan(w.walked * 0.05);
  });
});
