import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { packetCapturesDetector } from './packet-captures.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Captures written by Wireshark's editcap from a text2pcap capture; look-alikes with random bytes (generate.sh).
testDetector(
  packetCapturesDetector,
  {
    fixtures: new URL('../../fixtures/packet-captures/', import.meta.url),
    valid: [
      {
        file: 'six.tr1',
        format: 'lanalyzer',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['LANALYZER_RECORDS'],
      },
      {
        file: 'six.ncf',
        format: 'commview-ncf',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['COMMVIEW_NCF_RECORDS'],
      },
    ],
    invalid: [
      { file: 'lanalyzer-magic-then-random.bin', name: 'a LANalyzer header record type, then random bytes' },
      { file: 'one-ncf-record-then-random.bin', name: 'one CommView record header, then random bytes' },
    ],
  },
  { framework: { describe, it } },
);

describe('packet captures through the pipeline', () => {
  it("names LANalyzer and CommView captures (libmagic's LANalyzer answer alone was a chance match)", async () => {
    const items = await scanFixtures('packet-captures');
    expect(items.get('six.tr1')!.format).toMatchObject({ id: 'lanalyzer', detector: 'packet-captures' });
    expect(items.get('six.tr1')!.classification.reasons[0]!.figures).toMatchObject({ packets: 6 });
    expect(items.get('six.ncf')!.format).toMatchObject({ id: 'commview-ncf', extensionMismatch: false });
    expect(items.get('six.ncf')!.classification.reasons[0]!.figures).toMatchObject({ records: 6 });
    for (const file of ['lanalyzer-magic-then-random.bin', 'one-ncf-record-then-random.bin'])
      expect(items.get(file)!.classification.status).not.toBe('analysable');
  });
});

describe('packet-captures on bytes that are no capture', () => {
  const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
  it('finds nothing in 20,000 seeded random buffers, with or without a LANalyzer header type in front', () => {
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = seededBytes(i + 1, 34 + (i % 3000));
      if (i % 2 === 0) b.set([0x01, 0x10], 0);
      if (packetCapturesDetector.detect(wholeFileProbe(b), ctx)) found++;
    }
    expect(found).toBe(0);
  });

  it('needs the records to chain: the real NCF capture with one length changed is refused', async () => {
    const fs = await import('node:fs');
    const ncf = new Uint8Array(fs.readFileSync(new URL('../../fixtures/packet-captures/six.ncf', import.meta.url)));
    expect(packetCapturesDetector.detect(wholeFileProbe(ncf), ctx)).toBeDefined();
    const bent = Uint8Array.from(ncf);
    bent[0] = bent[0]! + 3; // the first record now ends three bytes into the next header
    expect(packetCapturesDetector.detect(wholeFileProbe(bent), ctx)).toBeUndefined();
  });
});
