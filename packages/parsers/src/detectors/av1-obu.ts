/**
 * AV1 video in the low-overhead bitstream format (`.obu`): the raw stream an
 * encoder writes before muxing (aomenc --obu, ffmpeg -f obu). There is no
 * magic; a stream opens with a temporal delimiter OBU (header 0x12, size 0)
 * and then the sequence header OBU. Its coded frames look random: without
 * this, a raw AV1 stream was taken for protobuf or, longer, for ciphertext.
 * Accepted: those two OBUs, a sequence profile of 0-2, then a walk over the
 * OBUs in the bytes read, each header with its forbidden and reserved bits
 * clear, a type the specification defines and a size field that fits, at
 * least three of them.
 * Reference: AV1 Bitstream & Decoding Process Specification 1.0.0 with
 * Errata 1 (2019), §5.3 (OBU header and obu_size, leb128), §6.2.2 (obu_type
 * values), §5.5.1 (seq_profile), §7.5 (a temporal unit starts with a
 * temporal delimiter).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
// obu_size is unsigned LEB128 (§4.10.5): the same little-endian base-128 varint as protobuf's.
import { plain, varint as leb128 } from './util.js';

/** OBU types AV1 defines (§6.2.2): 1 sequence header … 8 tile list, 15 padding. */
const TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 15]);
const MIN_OBUS = 3;

export const av1ObuDetector = defineDetector({
  meta: {
    id: 'av1-obu',
    version: '1.0.0',
    title: 'AV1 low-overhead bitstream (raw .obu streams)',
    formats: [
      {
        id: 'av1-obu',
        name: 'AV1 bitstream (low-overhead OBU format)',
        status: 'analysable',
        how: 'structure',
        extensions: ['obu', 'av1'],
      },
    ],
  },
  // A temporal delimiter (type 2, size field set, size 0), then a sequence header OBU with a size field.
  signatures: [{ offset: 0, hex: '12000a' }],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const seq = leb128(h, 3);
    if (!seq || seq[0] < 3 || seq[0] > 256) return undefined;
    const profile = h[seq[1]]! >> 5;
    if (profile > 2) return undefined;
    let at = 0;
    let obus = 0;
    const seen = new Set<number>();
    while (at < h.length) {
      const header = h[at]!;
      const type = (header >> 3) & 0x0f;
      // Forbidden bit, reserved bit clear; a defined type; this walk needs the size field.
      if (header & 0x81 || !TYPES.has(type) || (header & 0x02) === 0) return undefined;
      const extension = (header & 0x04) !== 0;
      const size = leb128(h, at + 1 + (extension ? 1 : 0));
      if (!size) break;
      const next = size[1] + size[0];
      if (next > probe.size) return undefined;
      obus++;
      seen.add(type);
      at = next;
    }
    if (obus < MIN_OBUS) return undefined;
    return plain('analysable', {
      id: 'av1-obu',
      name: 'AV1 bitstream (low-overhead OBU format)',
      confidence: 0.9,
      code: 'AV1_OBU_STREAM',
      message: `A temporal delimiter, then an AV1 sequence header (profile ${profile}), then ${obus - 2} more OBU(s) whose headers and sizes fit (${obus} in the bytes read): a raw AV1 video stream, readable.`,
      figures: { obus, seqProfile: profile, obuTypes: [...seen].sort((a, b) => a - b).join(',') },
    });
  },
});
