/**
 * Protocol Buffers without a schema: a file that parses as a protobuf
 * message (valid keys and wire types, lengths that fit) or as a stream of
 * varint-length-delimited messages. Structured, but nothing reads it without
 * the app's .proto: opaque, not encrypted. Runs only when no other detector
 * recognised the file, and outranks the statistical guess.
 * Reference: protobuf.dev "Encoding" (wire types 0, 1, 2, 5, and proto2's
 * groups, 3 and 4, as protobuf's own golden test messages hold them; varints;
 * length-delimited streams as written by writeDelimitedTo).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { randomAfterHeader } from './random-body.js';
import { isRandom, smallSampleTest } from './statistics-figures.js';
import { plain, protoFields, type ProtoField } from './util.js';

/** Parse at most this much of the head (a whole small file, or the first 4 KiB of a large one). */
const MAX_BYTES = 4096;
/** Fewest bytes of a payload field taken for ciphertext: more than a key, a hash or a 64-byte signature. */
const MIN_SMALL_PAYLOAD = 128;

function varint(b: Uint8Array, at: number): [number, number] | undefined {
  let v = 0;
  for (let i = 0, mul = 1; i < 5; i++, mul *= 128) {
    const c = b[at + i];
    if (c === undefined) return undefined;
    v += (c & 0x7f) * mul;
    if ((c & 0x80) === 0) return [v, at + i + 1];
  }
  return undefined;
}

/** A message looks like protobuf when it has a few fields with small field numbers and a plausible shape. */
function plausible(fields: readonly ProtoField[] | undefined): fields is ProtoField[] {
  if (!fields || fields.length < 2) return false;
  if (fields.some((f) => f.field > 200)) return false;
  return fields.some((f) => f.wire === 2);
}

/**
 * Fields around one large length-delimited payload of uniformly random bytes: the "message" is a few bytes of
 * chance keys and a length, or an envelope's clear fields (version, salt, counters) before its ciphertext, and
 * the file is judged by its bytes (the statistics) instead. Random data parses so once in a few thousand files,
 * a real message with a ciphertext field is that ciphertext. The payload must hold three quarters of the bytes
 * parsed, however many small fields come before it (a cap of three fields let an envelope with four small
 * fields before 3,600 bytes of AES ciphertext be called protobuf, not encrypted). A payload of 128 to 511 bytes
 * is judged by its own bytes, with the small-sample tests the statistics use; below 128 bytes a random field is
 * as likely a key, a hash or a signature as ciphertext, and the message stays protobuf.
 */
function randomPayload(fields: readonly ProtoField[], probe: Parameters<typeof randomAfterHeader>[0]): boolean {
  const parsed = fields.reduce((n, f) => n + (f.wire === 2 ? f.value : 0), 0);
  let payload: ProtoField | undefined;
  for (const f of fields) if (f.wire === 2 && f.value > (payload?.value ?? 0)) payload = f;
  const largest = payload?.value ?? 0;
  if (largest < MIN_SMALL_PAYLOAD || largest * 4 < Math.max(parsed, Math.min(probe.size, MAX_BYTES)) * 3) return false;
  if (largest >= 512) return randomAfterHeader(probe) !== undefined;
  const bytes = payload?.bytes;
  return bytes !== undefined && isRandom(randomnessFigures([bytes])) && smallSampleTest([bytes]).uniform;
}

/** Longest prefix of `b` (up to `end`) that parses as whole fields; a large file's probe cuts the last one. */
function prefixFields(b: Uint8Array, end: number): ProtoField[] | undefined {
  for (let cut = end; cut > end - 512 && cut > 0; cut--) {
    const f = protoFields(b, 0, cut, 1024, true);
    if (f) return f;
  }
  return undefined;
}

export const protobufDetector = defineDetector({
  meta: {
    id: 'protobuf',
    version: '1.1.0',
    title: 'Schema-less Protocol Buffers messages and delimited streams',
    formats: [
      {
        id: 'protobuf',
        name: 'Protocol Buffers data (no schema)',
        status: 'opaque',
        how: 'structure',
        extensions: ['pb', 'proto', 'protobuf', 'bin', 'binproto', 'dat'],
      },
    ],
  },
  fallback: true,
  minSize: 8,
  priority: 90,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const end = Math.min(h.length, MAX_BYTES);
    const whole = probe.complete && h.length <= MAX_BYTES;
    const fields = whole ? protoFields(h, 0, h.length, 1024, true) : prefixFields(h, end);
    if (plausible(fields) && !randomPayload(fields, probe)) {
      return plain('opaque', {
        id: 'protobuf',
        name: 'Protocol Buffers data (no schema)',
        confidence: 0.6,
        code: 'PROTOBUF_MESSAGE',
        message: `${whole ? 'The whole file parses' : `The first ${end} bytes parse`} as a protobuf message (${fields.length} fields, field numbers up to ${Math.max(...fields.map((f) => f.field))}): structured data that needs the app's schema; not encrypted.`,
        figures: { fields: fields.length },
      });
    }
    // A stream of length-delimited messages: [varint length][message]...
    let at = 0;
    let frames = 0;
    let nested = 0;
    while (at < end) {
      const len = varint(h, at);
      if (!len || len[0] === 0) break;
      const [size, start] = len;
      if (start + size > h.length) break;
      const f = protoFields(h, start, start + size, 1024, true);
      if (!f || f.length === 0 || f.some((x) => x.field > 200)) break;
      if (f.some((x) => x.wire === 2)) nested++;
      frames++;
      at = start + size;
    }
    if (frames >= 2 && nested > 0 && (at === h.length || at >= end)) {
      return plain('opaque', {
        id: 'protobuf',
        name: 'Protocol Buffers data (no schema)',
        confidence: 0.6,
        code: 'PROTOBUF_DELIMITED_STREAM',
        message: `${frames} length-delimited protobuf messages back to back: structured data that needs the app's schema; not encrypted.`,
        figures: { frames },
      });
    }
    return undefined;
  },
});
