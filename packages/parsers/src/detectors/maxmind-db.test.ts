import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { maxmindDbDetector } from './maxmind-db.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  maxmindDbDetector,
  {
    fixtures: new URL('../../fixtures/maxmind-db/', import.meta.url),
    valid: [
      // MaxMind::DB::Writer: an IPv6 tree of 28-bit records, an IPv4 one of 24-bit records.
      {
        file: 'city-v6.mmdb',
        format: 'maxmind-db',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['MAXMIND_DB_METADATA'],
      },
      { file: 'asn-v4.mmdb', format: 'maxmind-db', status: 'analysable', reasons: ['MAXMIND_DB_METADATA'] },
      // BIND 9's GeoIP2 test database (from MaxMind's test-data writer).
      { file: 'GeoLite2-ASN.mmdb', format: 'maxmind-db', status: 'analysable', reasons: ['MAXMIND_DB_METADATA'] },
    ],
    // The metadata without the tree it describes; a text that quotes the marker.
    invalid: [{ file: 'metadata-only.bin' }, { file: 'marker-in-text.txt' }],
  },
  { framework: { describe, it } },
);

describe('maxmind-db through the pipeline', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('maxmind-db');
  });
  const figures = (file: string) => items.get(file)?.classification.reasons.find((r) => r.by === 'maxmind-db')?.figures;

  it('names the database type, the IP version and the tree the metadata describes', () => {
    expect(figures('city-v6.mmdb')).toMatchObject({ databaseType: 'Fixture-City', ipVersion: 6, recordSize: 28 });
    expect(figures('asn-v4.mmdb')).toMatchObject({ databaseType: 'Fixture-ASN', ipVersion: 4, recordSize: 24 });
    expect(figures('GeoLite2-ASN.mmdb')).toMatchObject({ databaseType: 'GeoLite2-ASN', ipVersion: 6 });
    expect(figures('city-v6.mmdb')?.nodes).toBeGreaterThan(0);
  });

  it('leaves the metadata alone and a quoted marker to other detectors', () => {
    expect(items.get('metadata-only.bin')?.format?.id).not.toBe('maxmind-db');
    expect(items.get('marker-in-text.txt')?.format?.id).toBe('text');
  });
});
