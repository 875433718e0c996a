/**
 * H.264/AVC and H.265/HEVC elementary streams in the Annex B byte-stream
 * format (`.h264`, `.264`, `.h265`, `.hevc`): what cameras, dashcams, CCTV
 * exports and encoders write before muxing. NAL units follow start codes
 * (00 00 01, or 00 00 00 01), and emulation prevention keeps 00 00 0x out of
 * their payloads, so start codes occur only at unit boundaries, where random
 * bytes show one in ~16 MiB. The coded slices look random: without this, a
 * raw stream reaches the statistics and is called ciphertext.
 * Accepted: a start code at the start (after optional leading zero bytes), a
 * first unit that a stream begins with (parameter set, access-unit delimiter
 * or SEI), and at least three start codes in the bytes read, each followed by
 * a header the codec allows (forbidden bit clear; for H.265 a temporal id;
 * for H.264 the reference flag each type requires).
 * References: ITU-T H.264 (08/2021) §7.3.1 and §7.4.1 (NAL unit header,
 * nal_ref_idc rules), Table 7-1, Annex B; ITU-T H.265 (08/2021) §7.3.1.2,
 * Table 7-1, Annex B.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** Units an H.264 stream may begin with: SEI and access-unit delimiter (nal_ref_idc 0), SPS and PPS (not 0). */
const H264_FIRST: Record<number, string> = { 6: 'SEI', 7: 'SPS', 8: 'PPS', 9: 'access-unit delimiter' };
/** Units an H.265 stream may begin with. */
const HEVC_FIRST: Record<number, string> = {
  32: 'VPS',
  33: 'SPS',
  34: 'PPS',
  35: 'access-unit delimiter',
  39: 'prefix SEI',
};
const START = Buffer.from([0, 0, 1]);
const MIN_START_CODES = 3;
/** Leading zero bytes allowed before the first start code (Annex B leading_zero_8bits). */
const MAX_LEADING_ZEROS = 32;

type Codec = 'h264' | 'hevc';

const CODECS: Record<Codec, { id: string; name: string; label: string; mime: string; extensions: string[] }> = {
  h264: {
    id: 'h264-annexb',
    name: 'H.264/AVC video elementary stream',
    label: 'H.264/AVC',
    mime: 'video/H264',
    extensions: ['h264', '264', 'avc', 'jsv'],
  },
  hevc: {
    id: 'hevc-annexb',
    name: 'H.265/HEVC video elementary stream',
    label: 'H.265/HEVC',
    mime: 'video/H265',
    extensions: ['h265', '265', 'hevc'],
  },
};

/** Whether the NAL unit header at `at` is one `codec` allows. */
function validHeader(codec: Codec, h: Uint8Array, at: number): boolean {
  const b0 = h[at];
  if (b0 === undefined || b0 & 0x80) return false;
  if (codec === 'hevc') {
    const b1 = h[at + 1];
    return b1 !== undefined && (b1 & 0x07) !== 0; // nuh_temporal_id_plus1 is never 0
  }
  const type = b0 & 0x1f;
  const refIdc = b0 >> 5;
  if (type === 0 || type > 21) return false; // unspecified or reserved in a stream of this kind
  // SEI, delimiter, end of sequence/stream and filler carry nal_ref_idc 0; parameter sets and IDR slices do not.
  if (type >= 6 && type <= 12 && type !== 7 && type !== 8) return refIdc === 0;
  if (type === 5 || type === 7 || type === 8) return refIdc !== 0;
  return true;
}

/** The codec a stream's first unit header says, with the unit's name, or undefined. */
function firstUnit(h: Uint8Array, at: number): { codec: Codec; type: number; unit: string } | undefined {
  const b0 = h[at];
  if (b0 === undefined || b0 & 0x80) return undefined;
  const hevcType = (b0 >> 1) & 0x3f;
  if (HEVC_FIRST[hevcType] && (b0 & 0x01) === 0 && validHeader('hevc', h, at))
    return { codec: 'hevc', type: hevcType, unit: HEVC_FIRST[hevcType] };
  const type = b0 & 0x1f;
  if (H264_FIRST[type] && validHeader('h264', h, at)) return { codec: 'h264', type, unit: H264_FIRST[type] };
  return undefined;
}

export const annexbVideoDetector = defineDetector({
  meta: {
    id: 'annexb-video',
    version: '1.0.0',
    title: 'H.264 and H.265 elementary streams (Annex B byte streams)',
    formats: Object.values(CODECS).map((c) => ({
      id: c.id,
      name: c.name,
      status: 'analysable' as const,
      how: 'header-field' as const,
      mime: c.mime,
      extensions: c.extensions,
    })),
  },
  signatures: [{ offset: 0, hex: '000001', within: MAX_LEADING_ZEROS }],
  minSize: 16,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    let zeros = 0;
    while (zeros < h.length && h[zeros] === 0 && zeros <= MAX_LEADING_ZEROS + 2) zeros++;
    if (zeros < 2 || h[zeros] !== 1) return undefined;
    const first = firstUnit(h, zeros + 1);
    if (!first) return undefined;
    let count = 1;
    const bytes = Buffer.from(h.buffer, h.byteOffset, h.length);
    for (let at = bytes.indexOf(START, zeros + 1); at >= 0; at = bytes.indexOf(START, at + 3)) {
      if (at + 5 > bytes.length) break; // a header cut off by the end of the bytes read
      if (!validHeader(first.codec, bytes, at + 3)) return undefined;
      count++;
    }
    if (count < MIN_START_CODES) return undefined;
    const codec = CODECS[first.codec];
    return plain('analysable', {
      id: codec.id,
      name: codec.name,
      mime: codec.mime,
      confidence: 0.9,
      code: 'ANNEXB_START_CODES',
      message: `${codec.label} Annex B byte stream: it begins with a ${first.unit} (NAL unit type ${first.type}) and the first ${h.length} bytes hold ${count} start codes, each before a valid NAL unit header; its coded slices look random, but it is video, readable.`,
      figures: { startCodes: count, firstNalType: first.type, bytesRead: h.length },
    });
  },
});
