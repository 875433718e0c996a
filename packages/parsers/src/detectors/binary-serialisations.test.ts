/**
 * The self-describing encodings' detectors (msgpack, cbor, bson, php-serialized, ubjson): each through the
 * fixture kit over its own folder, then all five against each other's files, hard negatives (random
 * bytes, JSON text, schema-less protobuf) and a scan with every built-in plugin.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan, type Detection, type DetectorPlugin, type EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { builtinContainers, builtinPlugins } from '../index.js';
import { bsonDetector } from './bson.js';
import { cborDetector } from './cbor.js';
import { msgpackDetector } from './msgpack.js';
import { phpSerializedDetector } from './php-serialized.js';
import { ubjsonDetector } from './ubjson.js';
import { wholeFileProbe } from './probe.test-helper.js';

const framework = { describe, it };
const detectors = [msgpackDetector, cborDetector, bsonDetector, phpSerializedDetector, ubjsonDetector];
const ids = detectors.map((d) => d.meta.id);
const folder = (id: string) => new URL(`../../fixtures/${id}/`, import.meta.url);
const read = (id: string, name: string) => new Uint8Array(fs.readFileSync(new URL(name, folder(id))));

testDetector(
  msgpackDetector,
  {
    fixtures: new URL('../../fixtures/msgpack/', import.meta.url),
    valid: [
      {
        file: 'contact.msgpack',
        format: 'msgpack',
        status: 'analysable',
        confidence: 0.85,
        reasons: ['MSGPACK_DECODED'],
      },
      {
        file: 'messages.msgpack',
        format: 'msgpack',
        status: 'analysable',
        confidence: 0.75,
        reasons: ['MSGPACK_DECODED'],
      },
      { file: 'stream.msgpack', format: 'msgpack', status: 'analysable', reasons: ['MSGPACK_DECODED'] },
    ],
    invalid: [
      { file: 'one-key.msgpack', name: 'a map with one string key: too little structure' },
      { file: 'cut.msgpack', name: 'a map cut before its last value' },
      { file: 'trailing.msgpack', name: 'a byte after the last value' },
      { file: 'contact.json', name: 'the same map as JSON text' },
      { file: 'random.bin', name: 'random bytes' },
    ],
  },
  { framework },
);

testDetector(
  cborDetector,
  {
    fixtures: new URL('../../fixtures/cbor/', import.meta.url),
    valid: [
      { file: 'contact.cbor', format: 'cbor', status: 'analysable', confidence: 0.85, reasons: ['CBOR_DECODED'] },
      { file: 'attestation.cbor', format: 'cbor', status: 'analysable', reasons: ['CBOR_DECODED'] },
      { file: 'messages.cbor', format: 'cbor', status: 'analysable', confidence: 0.75, reasons: ['CBOR_DECODED'] },
      { file: 'sequence.cbor', format: 'cbor', status: 'analysable', reasons: ['CBOR_DECODED'] },
    ],
    invalid: [
      { file: 'cut.cbor', name: 'a map cut before its last value' },
      { file: 'reserved.cbor', name: 'reserved additional information 28' },
    ],
  },
  { framework },
);

testDetector(
  bsonDetector,
  {
    fixtures: new URL('../../fixtures/bson/', import.meta.url),
    valid: [
      { file: 'contact.bson', format: 'bson', status: 'analysable', confidence: 0.85, reasons: ['BSON_DECODED'] },
      { file: 'dump.bson', format: 'bson', status: 'analysable', reasons: ['BSON_DECODED'] },
      { file: 'messages.bson', format: 'bson', status: 'analysable', confidence: 0.75, reasons: ['BSON_DECODED'] },
      // libbson's own one-key test documents: the lengths that end at the file's last byte are the evidence
      { file: 'libbson-test1.bson', format: 'bson', status: 'analysable', confidence: 0.85, reasons: ['BSON_DECODED'] },
      { file: 'libbson-eurokey.bson', format: 'bson', status: 'analysable', reasons: ['BSON_DECODED'] },
    ],
    invalid: [
      { file: 'length-past-end.bson', name: 'a document length one byte past the end of the file' },
      { file: 'libbson-overflow2.bson', name: "libbson's corrupt document whose element runs past its end" },
      { file: 'libbson-trailingnull.bson', name: "libbson's corrupt document with a NUL after its end" },
    ],
  },
  { framework },
);

testDetector(
  phpSerializedDetector,
  {
    fixtures: new URL('../../fixtures/php-serialized/', import.meta.url),
    valid: [
      {
        file: 'cache-entry.ser',
        format: 'php-serialized',
        status: 'analysable',
        confidence: 0.85,
        reasons: ['PHP_SERIALIZED_DECODED'],
      },
      { file: 'options.ser', format: 'php-serialized', status: 'analysable', reasons: ['PHP_SERIALIZED_DECODED'] },
    ],
    invalid: [
      { file: 'count-too-high.ser', name: 'an array count one more than its entries' },
      { file: 'length-short.ser', name: 'a string length one byte short of its closing quote' },
    ],
  },
  { framework },
);

testDetector(
  ubjsonDetector,
  {
    fixtures: new URL('../../fixtures/ubjson/', import.meta.url),
    valid: [
      { file: 'contact.ubj', format: 'ubjson', status: 'analysable', confidence: 0.85, reasons: ['UBJSON_DECODED'] },
      { file: 'messages.ubj', format: 'ubjson', status: 'analysable', confidence: 0.75, reasons: ['UBJSON_DECODED'] },
      { file: 'messages-counted.ubj', format: 'ubjson', status: 'analysable', reasons: ['UBJSON_DECODED'] },
    ],
    invalid: [
      { file: 'cut.ubj', name: 'an object cut before its end' },
      { file: 'records.json', name: 'JSON text that opens with [{ too' },
      { file: 'negative-length.ubj', name: 'a key whose int8 length is negative' },
    ],
  },
  { framework },
);

/** The figures of a synchronous detector's single answer on a whole file. */
function figuresOf(detector: DetectorPlugin, bytes: Uint8Array): Detection['reasons'][number]['figures'] {
  const answer = detector.detect(wholeFileProbe(bytes), {} as never) as Detection | undefined;
  return answer?.reasons[0]?.figures;
}

/** Which of the five detectors claim a whole file. */
function claimants(bytes: Uint8Array): string[] {
  return detectors.filter((d) => figuresOf(d, bytes) !== undefined).map((d) => d.meta.id);
}

describe('self-describing binary encodings', () => {
  it('reports what the decode found', () => {
    expect(figuresOf(msgpackDetector, read('msgpack', 'contact.msgpack'))).toMatchObject({
      top: 'map',
      topLevelValues: 1,
      distinctKeys: 11,
      bytesDecoded: 158,
      whole: true,
    });
    expect(figuresOf(bsonDetector, read('bson', 'dump.bson'))).toMatchObject({ top: 'document', topLevelValues: 12 });
    expect(figuresOf(cborDetector, read('cbor', 'attestation.cbor'))).toMatchObject({ top: 'map', distinctKeys: 3 });
    expect(figuresOf(phpSerializedDetector, read('php-serialized', 'cache-entry.ser'))).toMatchObject({
      top: 'array',
      whole: true,
    });
  });

  it("claims each encoding's files by its own detector only", () => {
    for (const id of ids) {
      for (const name of fs.readdirSync(folder(id))) {
        if (name.endsWith('.sh')) continue;
        const valid =
          figuresOf(
            detectors.find((d) => d.meta.id === id)!,
            read(id, name),
          ) !== undefined;
        expect({ name, by: claimants(read(id, name)) }).toEqual({ name, by: valid ? [id] : [] });
      }
    }
  });

  it('claims none of 30,000 random buffers, even with a container byte, a fitting length, `a:2:{` or `{U` first', () => {
    let hits = 0;
    for (let i = 0; i < 30_000; i++) {
      const digest = crypto.createHash('sha512').update(`random-${i}`).digest();
      const bytes = new Uint8Array(digest.subarray(0, [16, 32, 64][i % 3]));
      if (i % 3 === 0) bytes[0] = [0x82, 0x93, 0xa3, 0xde, 0xbf][i % 5]!;
      if (i % 3 === 1) new DataView(bytes.buffer).setInt32(0, bytes.length, true);
      if (i % 3 === 2) bytes.set(i % 2 ? [0x61, 0x3a, 0x32, 0x3a, 0x7b] : [0x7b, 0x55], 0); // PHP's `a:2:{`, UBJSON's `{U`
      hits += claimants(bytes).length;
    }
    expect(hits).toBe(0);
  });

  it('leaves schema-less protobuf to the protobuf detector', () => {
    expect(claimants(read('protobuf', 'tombstone.pb'))).toEqual([]);
    expect(claimants(read('protobuf', 'frames.binproto'))).toEqual([]);
  });

  it('makes the encodings analysable in a scan with every built-in plugin', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-encodings-'));
    try {
      for (const id of ids)
        for (const name of fs.readdirSync(folder(id)))
          fs.copyFileSync(new URL(name, folder(id)), path.join(root, name));
      const items: EvidenceItem[] = [];
      for await (const item of scan(new FolderSource(root), { plugins: builtinPlugins, containers: builtinContainers }))
        items.push(item);
      const byName = new Map(items.map((i) => [path.basename(i.logicalPath ?? i.path), i]));
      for (const [name, format] of [
        ['contact.msgpack', 'msgpack'],
        ['messages.msgpack', 'msgpack'],
        ['stream.msgpack', 'msgpack'],
        ['contact.cbor', 'cbor'],
        ['attestation.cbor', 'cbor'],
        ['messages.cbor', 'cbor'],
        ['sequence.cbor', 'cbor'],
        ['contact.bson', 'bson'],
        ['dump.bson', 'bson'],
        ['messages.bson', 'bson'],
        ['libbson-test1.bson', 'bson'],
        ['cache-entry.ser', 'php-serialized'],
        ['options.ser', 'php-serialized'],
        ['contact.ubj', 'ubjson'],
        ['messages.ubj', 'ubjson'],
        ['messages-counted.ubj', 'ubjson'],
      ] as const) {
        const item = byName.get(name)!;
        expect({ name, status: item.classification.status, format: item.format?.id }).toEqual({
          name,
          status: 'analysable',
          format,
        });
      }
      expect(byName.get('random.bin')!.classification.status).not.toBe('analysable');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
