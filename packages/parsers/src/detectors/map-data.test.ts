import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mapDataDetector } from './map-data.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  mapDataDetector,
  {
    fixtures: new URL('../../fixtures/map-data/', import.meta.url),
    valid: [
      { file: 'small.o5m', format: 'osm-o5m', status: 'analysable', reasons: ['O5M_HEADER'], details: { kind: 'o5m' } },
      { file: 'small.o5c', format: 'osm-o5m', status: 'analysable', reasons: ['O5M_HEADER'], details: { kind: 'o5c' } },
      { file: 'tile.mvt', format: 'mvt', status: 'analysable', reasons: ['MVT_LAYERS'], details: { layers: 1 } },
      {
        file: 'city.map',
        format: 'mapsforge-map',
        status: 'analysable',
        reasons: ['MAPSFORGE_HEADER'],
        details: { version: 5 },
      },
      {
        file: 'gmapsupp.img',
        format: 'garmin-img',
        status: 'opaque',
        reasons: ['GARMIN_IMG_HEADER'],
        details: { xor: 0 },
      },
      // Scrambled with a fixed byte that the file itself holds: named, never encrypted.
      {
        file: 'gmapsupp-xor.img',
        format: 'garmin-img',
        status: 'opaque',
        reasons: ['GARMIN_IMG_HEADER'],
        details: { xor: 0x96 },
      },
      {
        file: 'no-mark.img',
        format: 'garmin-img',
        status: 'opaque',
        reasons: ['GARMIN_IMG_HEADER'],
        details: { xor: 0 },
      },
      {
        file: 'commute.pmtiles',
        format: 'pmtiles',
        status: 'analysable',
        reasons: ['PMTILES_HEADER'],
        details: { tileType: 'MVT', minZoom: 0, maxZoom: 0 },
      },
      {
        file: 'places.map',
        format: 'mapinfo-map',
        status: 'analysable',
        reasons: ['MAPINFO_HEADER'],
        details: { version: 500, block: 512 },
      },
    ],
    invalid: [{ file: 'raw-protobuf.bin' }, { file: 'city-bad-size.map' }, { file: 'bad-length.pmtiles' }],
  },
  { framework: { describe, it } },
);

describe('map data on damaged and random bytes', () => {
  const dir = new URL('../../fixtures/map-data/', import.meta.url);
  const probeOf = (b: Uint8Array) => ({
    path: 'x',
    logicalPath: 'x',
    name: 'x',
    extension: '',
    size: b.length,
    head: b,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  });

  it('never throws on mutated and cut copies', () => {
    let s = 7;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (const file of ['small.o5m', 'tile.mvt', 'city.map', 'gmapsupp-xor.img', 'places.map', 'commute.pmtiles']) {
      const real = new Uint8Array(fs.readFileSync(new URL(file, dir)));
      for (let run = 0; run < 500; run++) {
        const b = real.slice(0, run % 3 === 0 ? next() % real.length : real.length);
        for (let i = 0, n = 1 + (next() % 8); i < n && b.length > 0; i++) b[next() % b.length] = next() & 0xff;
        expect(() => mapDataDetector.detect(probeOf(b), {} as never)).not.toThrow();
      }
    }
  });

  it('names no random buffer', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const b = seededBytes(seed, 1024);
      expect(mapDataDetector.detect(probeOf(b), {} as never)).toBeUndefined();
      b[0] = 0x1a; // a vector tile's first key, then random bytes
      expect(mapDataDetector.detect(probeOf(b), {} as never)).toBeUndefined();
    }
  });
});

describe('map data in the pipeline', () => {
  it('names Garmin IMG maps, whose 0x55AA mark at 0x1FE a disk-image reading took for an MBR', async () => {
    const items = await scanFixtures('map-data');
    for (const file of ['gmapsupp.img', 'gmapsupp-xor.img']) {
      expect(items.get(file)?.format?.id).toBe('garmin-img');
      expect(items.get(file)?.classification.status).toBe('opaque');
    }
  });
});
