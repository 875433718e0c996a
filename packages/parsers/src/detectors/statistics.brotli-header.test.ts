/**
 * Brotli has no magic: behind a header (a magic and version, binary fields, a JSON header) its bytes pass for
 * uniform, and only a trial decode where the body starts tells it from ciphertext. The Brotli stream is the real
 * fixture made by brotli (fixtures/statistics/page.js.br); the ciphertext side is seeded random bytes.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core/contract';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { statisticsDetector } from './statistics.js';

const brotli = new Uint8Array(fs.readFileSync(new URL('../../fixtures/statistics/page.js.br', import.meta.url)));

function detect(b: Uint8Array): Detection {
  const complete = b.length <= 16384;
  const probe: Probe = {
    path: 'x.dat',
    logicalPath: 'x.dat',
    name: 'x.dat',
    extension: 'dat',
    size: b.length,
    head: b.subarray(0, 16384),
    tail: complete ? new Uint8Array(0) : b.subarray(b.length - 8192),
    samples: [],
    complete,
  };
  const d = statisticsDetector.detect(probe, { declinedSignatures: [] } as never) as Detection | Detection[];
  return Array.isArray(d) ? d[0]! : d;
}

const headers = [
  Buffer.from('QXZT2.0'),
  Buffer.concat([Buffer.from('VLT\x00\x03\x00'), Buffer.from(seededBytes(3, 16)), Buffer.from([0x10, 0x27, 0, 0])]),
  Buffer.from('{"version":2,"cipher":"none","length":9065}\n'),
];

describe('Brotli behind a header', () => {
  it('is compressed data, found by a trial decode where the body starts', () => {
    for (const [i, header] of headers.entries()) {
      const d = detect(new Uint8Array(Buffer.concat([header, brotli])));
      expect(d.status, `header ${i}`).toBe('opaque');
      expect(d.reasons[0]!.code, `header ${i}`).toBe('COMPRESSED_AFTER_HEADER');
      expect(d.reasons[0]!.figures).toMatchObject({ streamOffset: header.length });
    }
  });

  it('takes no random bytes behind the same headers for Brotli (300 seeded buffers: 19,200 offsets tried)', () => {
    let brotliTaken = 0;
    let encrypted = 0;
    for (let s = 0; s < 300; s++) {
      const body = seededBytes(7000 + s, 2048 + ((s * 97) % 12000));
      const d = detect(new Uint8Array(Buffer.concat([headers[s % 3]!, body])));
      if (d.status === 'encrypted') encrypted++;
      if (d.reasons[0]!.message?.includes('decode as Brotli')) brotliTaken++;
    }
    expect(brotliTaken).toBe(0);
    // Two of 300 fail for reasons older than this search: a chi-square p above 0.999, a chance raw DEFLATE start.
    expect(encrypted).toBeGreaterThanOrEqual(298);
  });
});
