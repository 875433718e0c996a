import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core/contract';
import { testDetector } from '@evtriage/core/testing';
import { protobufDetector } from './protobuf.js';
import { wholeFileProbe } from './probe.test-helper.js';

testDetector(
  protobufDetector,
  {
    fixtures: new URL('../../fixtures/protobuf/', import.meta.url),
    valid: [
      { file: 'tombstone.pb', format: 'protobuf', status: 'opaque', confidence: 0.6, reasons: ['PROTOBUF_MESSAGE'] },
      { file: 'frames.binproto', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_DELIMITED_STREAM'] },
      { file: 'two-fields-text.pb', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_MESSAGE'] },
      // protobuf's own golden message: two proto2 groups (wire types 3 and 4) among its fields
      { file: 'golden_message.pb', format: 'protobuf', status: 'opaque', reasons: ['PROTOBUF_MESSAGE'] },
    ],
    // Random bytes (ciphertext-like) and text do not parse as protobuf.
    invalid: [
      { file: 'random.bin' },
      { file: 'short.txt' },
      { file: 'keys-then-ciphertext.bin', name: 'two chance keys and a length, then 40,000 random bytes' },
      { file: 'unclosed-group.bin', name: 'a group started and never ended' },
    ],
  },
  { framework: { describe, it } },
);

describe('protobuf: an envelope of small fields around a random payload', () => {
  const varint = (v: number) => {
    const out: number[] = [];
    for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v & 0x7f) | 0x80);
    out.push(v);
    return out;
  };
  // Four varint fields (a version, counters, a KDF cost), then field 5 holding the payload.
  const envelope = (payload: Uint8Array) =>
    new Uint8Array([
      ...[0x08, ...varint(2), 0x10, ...varint(600000), 0x18, ...varint(65536), 0x20, ...varint(12345)],
      0x2a,
      ...varint(payload.length),
      ...payload,
    ]);

  it('leaves 3,600 bytes of AES ciphertext behind four small fields to the statistics', async () => {
    const { createCipheriv } = await import('node:crypto');
    const { seededBytes } = await import('../seeded-bytes.test-helper.js');
    const c = createCipheriv('aes-256-ctr', seededBytes(3, 32), seededBytes(4, 16));
    const ciphertext = new Uint8Array(Buffer.concat([c.update(seededBytes(5, 3600)), c.final()]));
    expect(protobufDetector.detect(wholeFileProbe(envelope(ciphertext), 'x.dat'), {} as never)).toBeUndefined();
  });

  it('leaves 136-253 bytes of AES-GCM ciphertext behind clear fields to the statistics, which call it encrypted', async () => {
    const { createCipheriv } = await import('node:crypto');
    const { seededBytes } = await import('../seeded-bytes.test-helper.js');
    const { statisticsDetector } = await import('./statistics.js');
    const text = new TextEncoder().encode('note: pick up the parcel at the harbour office before noon. '.repeat(9));
    // An app's record: its package name and a label as strings, a time, then field 5 holding the sealed note.
    const name = new TextEncoder().encode('org.example.vault');
    const label = new TextEncoder().encode('backup 2024-03-01');
    let declined = 0;
    for (let i = 0; i < 40; i++) {
      const c = createCipheriv('aes-256-gcm', seededBytes(60 + i, 32), seededBytes(160 + i, 12));
      const sealed = Buffer.concat([c.update(text.subarray(0, 120 + i * 3)), c.final(), c.getAuthTag()]);
      const file = new Uint8Array([
        ...[0x0a, name.length, ...name, 0x12, label.length, ...label, 0x18, ...varint(1_709_251_200 + i)],
        ...[0x2a, ...varint(sealed.length), ...sealed],
      ]);
      const probe = wholeFileProbe(file, 'x.dat');
      if (protobufDetector.detect(probe, {} as never) !== undefined) continue;
      declined++;
      const d = statisticsDetector.detect(probe, { declinedSignatures: [] } as never) as Detection;
      // Mostly uniform from the first byte; where the clear fields keep the file from passing, the varint length
      // before the payload shows the statistics where it starts.
      expect(d.status, d.reasons[0]?.message).toBe('encrypted');
    }
    // The small-sample tests reject uniform bytes now and then (p < 0.001 on 16 nibble bins): most are left.
    expect(declined).toBeGreaterThanOrEqual(36);
  });

  it('keeps a message whose random field is key-sized (under 128 bytes) protobuf', async () => {
    const { seededBytes } = await import('../seeded-bytes.test-helper.js');
    for (const n of [32, 64, 96, 120])
      expect(protobufDetector.detect(wholeFileProbe(envelope(seededBytes(n, n)), 'x.dat'), {} as never)).toMatchObject({
        format: { id: 'protobuf' },
      });
  });

  it('still names the same envelope around text as protobuf', () => {
    const text = new TextEncoder().encode('name: "report", rows: 3, the quick brown fox\n'.repeat(80));
    expect(protobufDetector.detect(wholeFileProbe(envelope(text), 'x.dat'), {} as never)).toMatchObject({
      format: { id: 'protobuf' },
      status: 'opaque',
    });
  });
});
