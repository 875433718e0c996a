/**
 * Audio and video elementary streams kept without a container: what disc
 * rips, Bluetooth and broadcast captures and encoders' raw outputs hold
 * (`.dts`, `.thd`/`.mlp`, `.sbc`, `.latm`/`.loas`, `.c2`, `.m4v`/`.cmp`).
 * Coded audio is dense, so without a check for its frames the statistics call
 * it compressed-unknown (opaque), and libmagic's rules for some of them are a
 * single 16-bit or 32-bit word it rates a chance match. Each is believed only
 * on structure that random bytes do not give:
 *
 * - DTS core: the 32-bit sync 7FFE8001, a frame size and sampling-rate code
 *   the standard defines, and the next frame (or a DTS-HD extension
 *   substream, sync 64582025) where the size says.
 * - Dolby TrueHD / Meridian MLP: an access unit whose major sync F8726FBA/BB
 *   sits at byte 4 with the signature B752 eight bytes on, and the next unit
 *   where the first one's length says.
 * - Bluetooth SBC: the sync byte 9C and a header whose fields give the frame
 *   length; 8 frames in a row with the same 16 bits of configuration.
 * - LOAS/LATM AAC: the 11-bit sync 0x2B7 and a 13-bit length, 6 in a row.
 * - Codec 2: ffmpeg's 7-byte header (C0DEC2, version, mode) and a body that is
 *   a whole number of the mode's frames.
 * - MPEG-4 Part 2 video: the visual object sequence (000001B0) or video
 *   object (00000100-1F) start code at byte 0, a video object layer start code
 *   (00000120-2F) soon after, and a picture (VOP, 000001B6) in the head.
 *
 * - GSM 06.10 full-rate speech as Asterisk and SoX keep it (`.gsm`): 33-byte
 *   frames whose first four bits are the signature 0xD, the file a whole
 *   number of them, at least 8 (a random file passes once in 2^32).
 * - H.263 video: a picture start code (22 bits, 0000 0000 0000 0000 1000 00)
 *   at byte 0 with PTYPE's fixed bits 1 and 0 and a source format code the
 *   standard defines, and at least one more such picture header, with the
 *   same source format, later in the head (encoders byte-align them).
 *
 * All are readable media a general tool (ffmpeg) opens: analysable.
 * References: ETSI TS 102 114 §5.3 (DTS frame header) and §7.5 (extension
 * substream header); Dolby "MLP/TrueHD" as ffmpeg's mlp_parse.c documents the
 * access unit and major sync; A2DP specification §12.6 (SBC frame header and
 * length); ISO/IEC 14496-3 §1.7.2 (AudioSyncStream); codec2's c2file.h (the
 * header ffmpeg's codec2 muxer writes); ISO/IEC 14496-2 §6.2 (start codes); ITU-T H.263 §5.1.1-5.1.3 (PSC, TR, PTYPE);
 * libgsm's gsm.h (the 33-byte frame and its 0xD signature).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { chainedFrames, type Frame } from './audio-frames.js';
import { plain, u16be, u32be } from './util.js';

interface Stream {
  id: string;
  name: string;
  mime: string;
  extensions: string[];
}

const STREAMS = {
  dts: { id: 'dts', name: 'DTS audio stream', mime: 'audio/vnd.dts', extensions: ['dts', 'cpt'] },
  truehd: { id: 'truehd', name: 'Dolby TrueHD audio stream', mime: 'audio/vnd.dolby.mlp', extensions: ['thd'] },
  mlp: {
    id: 'mlp',
    name: 'Meridian Lossless Packing (MLP) audio stream',
    mime: 'audio/vnd.dolby.mlp',
    extensions: ['mlp'],
  },
  sbc: { id: 'sbc', name: 'Bluetooth SBC audio stream', mime: 'audio/SBC', extensions: ['sbc'] },
  loas: { id: 'loas', name: 'AAC in LOAS/LATM audio stream', mime: 'audio/MP4A-LATM', extensions: ['latm', 'loas'] },
  codec2: { id: 'codec2', name: 'Codec 2 speech stream', mime: 'audio/x-codec2', extensions: ['c2'] },
  gsm: { id: 'gsm-610', name: 'GSM 06.10 speech stream', mime: 'audio/GSM', extensions: ['gsm'] },
  h263: { id: 'h263', name: 'H.263 video stream', mime: 'video/H263', extensions: ['h263', '263'] },
  m4v: {
    id: 'mpeg4-visual',
    name: 'MPEG-4 Part 2 video stream',
    mime: 'video/MP4V-ES',
    extensions: ['m4v', 'cmp', 'xvid'],
  },
} satisfies Record<string, Stream>;

// DTS sampling-frequency codes the standard defines (8 to 48 kHz; others are invalid).
const DTS_RATES = new Set([1, 2, 3, 6, 7, 8, 11, 12, 13]);
const DTS_HD_SYNC = 0x64582025;

/** A DTS core frame (big-endian, 16-bit words) or a DTS-HD extension substream at `at`. */
function dtsAt(h: Uint8Array, at: number): Frame | undefined {
  const sync = u32be(h, at);
  if (sync === DTS_HD_SYNC) {
    if (at + 10 > h.length) return undefined;
    // Bytes 5-9 as one 40-bit number; after 3 bits of index and size type come the header and substream
    // sizes, 8 and 16 bits or (size type 1) 12 and 20 bits, each stored minus one.
    const v = h[at + 5]! * 2 ** 32 + (((h[at + 6]! << 24) | (h[at + 7]! << 16) | (h[at + 8]! << 8) | h[at + 9]!) >>> 0);
    const long = (h[at + 5]! >> 5) & 1;
    const size = long ? (Math.floor(v / 2 ** 5) % 2 ** 20) + 1 : (Math.floor(v / 2 ** 13) % 2 ** 16) + 1;
    return size >= 16 ? { length: size, key: -1 } : undefined;
  }
  if (sync !== 0x7ffe8001 || at + 10 > h.length) return undefined;
  const w = u32be(h, at + 4)!;
  const blocks = ((w >>> 18) & 0x7f) + 1;
  const size = ((w >>> 4) & 0x3fff) + 1;
  const rate = (h[at + 8]! >> 2) & 0x0f;
  if (blocks < 6 || size < 96 || !DTS_RATES.has(rate)) return undefined;
  return { length: size, key: rate };
}

function dtsFrames(h: Uint8Array, size: number): number {
  // An extension substream repeats with each core frame; its key (-1) must not break the chain.
  let at = 0;
  let n = 0;
  let key: number | undefined;
  while (n < 6) {
    const f = dtsAt(h, at);
    if (!f || (n === 0 && f.key < 0)) break;
    if (f.key >= 0) {
      if (key !== undefined && f.key !== key) break;
      key = f.key;
    }
    n++;
    at += f.length;
    if (at === size) return n;
  }
  return n >= 2 ? n : 0;
}

/** A TrueHD/MLP access unit at `at`: its length in 16-bit words is the low 12 bits of the first two bytes. */
function mlpUnitAt(h: Uint8Array, at: number): Frame | undefined {
  if (at + 4 > h.length) return undefined;
  const length = (((h[at]! & 0x0f) << 8) | h[at + 1]!) * 2;
  return length >= 8 ? { length, key: 0 } : undefined;
}

function mlpKind(h: Uint8Array): 'truehd' | 'mlp' | undefined {
  const sync = u32be(h, 4);
  if (u16be(h, 12) !== 0xb752) return undefined;
  return sync === 0xf8726fba ? 'truehd' : sync === 0xf8726fbb ? 'mlp' : undefined;
}

/** An SBC frame at `at`: the length follows from sampling blocks, channel mode, subbands and bitpool. */
function sbcAt(h: Uint8Array, at: number): Frame | undefined {
  if (at + 4 > h.length || h[at] !== 0x9c) return undefined;
  const c = h[at + 1]!;
  const bitpool = h[at + 2]!;
  const blocks = (((c >> 4) & 3) + 1) * 4;
  const mode = (c >> 2) & 3;
  const subbands = c & 1 ? 8 : 4;
  const channels = mode === 0 ? 1 : 2;
  // The bitpool's bounds: 16 per subband for mono and dual channel, 32 for stereo and joint stereo.
  if (bitpool < 2 || bitpool > (mode <= 1 ? 16 : 32) * subbands) return undefined;
  const join = mode === 3 ? subbands : 0;
  const bits = mode <= 1 ? blocks * channels * bitpool : join + blocks * bitpool;
  const length = 4 + (4 * subbands * channels) / 8 + Math.ceil(bits / 8);
  return { length, key: (c << 8) | bitpool };
}

/** A LOAS AudioSyncStream frame at `at`: 11-bit sync 0x2B7, then the 13-bit length of what follows. */
function loasAt(h: Uint8Array, at: number): Frame | undefined {
  if (at + 3 > h.length || h[at] !== 0x56 || (h[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const length = (((h[at + 1]! & 0x1f) << 8) | h[at + 2]!) + 3;
  return length > 3 ? { length, key: 0 } : undefined;
}

// Codec 2 bytes per frame by mode number (3200, 2400, 1600, 1400, 1300, 1200, 700, 700B, 700C, 450, 450PWB).
const CODEC2_FRAME_BYTES = [8, 6, 8, 7, 7, 6, 4, 4, 4, 3, 3];

const GSM_FRAME = 33;
const GSM_MIN_FRAMES = 8;

/** Frames of a raw GSM 06.10 stream the head holds, each with the signature nibble (0: not such a stream). */
function gsmFrames(h: Uint8Array, size: number): number {
  if (size % GSM_FRAME !== 0 || size < GSM_FRAME * GSM_MIN_FRAMES) return 0;
  let n = 0;
  for (let at = 0; at < h.length && at < size; at += GSM_FRAME, n++) if (h[at]! >> 4 !== 0xd) return 0;
  return n;
}

/** The source format of an H.263 picture header at `at` (0: none there). */
function h263PictureAt(h: Uint8Array, at: number): number {
  if (at + 5 > h.length || h[at] !== 0 || h[at + 1] !== 0 || (h[at + 2]! & 0xfc) !== 0x80) return 0;
  if ((h[at + 3]! & 0x03) !== 0x02) return 0;
  const format = (h[at + 4]! >> 2) & 7;
  // 1-5: sub-QCIF to 16CIF; 7: the extended PTYPE of H.263 version 2.
  return (format >= 1 && format <= 5) || format === 7 ? format : 0;
}

/** Byte-aligned H.263 picture headers in the head with the first one's source format (0: none at byte 0). */
function h263Pictures(h: Uint8Array): number {
  const format = h263PictureAt(h, 0);
  if (!format) return 0;
  let n = 1;
  for (let i = h.indexOf(0, 5); i >= 0 && i + 5 <= h.length; i = h.indexOf(0, i + 1)) {
    if (h263PictureAt(h, i) === format) n++;
  }
  return n;
}

/** MPEG-4 visual: VOS or VO start code at 0, a VOL start code in the first 64 bytes, a VOP in the head. */
function m4vHeader(h: Uint8Array): { profile?: number } | undefined {
  const first = u32be(h, 0);
  if (first === undefined) return undefined;
  const vos = first === 0x1b0;
  if (!vos && (first < 0x100 || first > 0x11f)) return undefined;
  let vol = -1;
  for (let i = 4; i + 4 <= Math.min(h.length, 64); i++) {
    const w = u32be(h, i)!;
    if (w >= 0x120 && w <= 0x12f) {
      vol = i;
      break;
    }
  }
  if (vol < 0) return undefined;
  for (let i = vol + 4; i + 4 <= h.length; i++) {
    if (h[i] === 0 && h[i + 1] === 0 && h[i + 2] === 1 && h[i + 3] === 0xb6) return vos ? { profile: h[4]! } : {};
  }
  return undefined;
}

/**
 * Frames chained from byte 0 with the same key, up to `enough`; a shorter chain counts only when its
 * last frame ends at the end of the file (a short stream), never when it breaks.
 */
function chain(
  h: Uint8Array,
  size: number,
  frameAt: (h: Uint8Array, at: number) => Frame | undefined,
  enough: number,
): number {
  const first = frameAt(h, 0);
  let at = 0;
  let n = 0;
  for (let f = first; f && f.key === first!.key && n < enough; f = frameAt(h, at)) {
    n++;
    at += f.length;
    if (at === size) return n >= 2 ? n : 0;
  }
  return n >= enough ? n : 0;
}

function verdict(
  s: Stream,
  code: string,
  message: string,
  figures: Record<string, number | string>,
  confidence = 0.85,
): Detection {
  return plain('analysable', { id: s.id, name: s.name, mime: s.mime, confidence, code, message, figures });
}

export const audioElementaryDetector = defineDetector({
  meta: {
    id: 'audio-elementary',
    version: '1.0.0',
    title:
      'Audio and video elementary streams without a container (DTS, TrueHD/MLP, SBC, LOAS, Codec 2, GSM 06.10, MPEG-4 Part 2 and H.263 video)',
    formats: Object.values(STREAMS).map((s) => ({
      id: s.id,
      name: s.name,
      status: 'analysable' as const,
      how: 'structure' as const,
      mime: s.mime,
      extensions: s.extensions,
    })),
  },
  signatures: [
    { offset: 0, hex: '7ffe8001' },
    { offset: 4, hex: 'f8726f' },
    { offset: 0, hex: '9c' },
    { offset: 0, hex: '56' },
    { offset: 0, hex: 'c0dec2' },
    { offset: 0, hex: '000001' },
    { offset: 0, hex: '000080' },
    { offset: 0, hex: '000081' },
    { offset: 0, hex: '000082' },
    { offset: 0, hex: '000083' },
    ...Array.from({ length: 16 }, (_, i) => ({ offset: 0, hex: (0xd0 + i).toString(16) })),
  ],
  minSize: 16,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const size = probe.size;
    // An MLP/TrueHD access unit may start with any byte: its major sync at byte 4 is checked first.
    const kind = mlpKind(h);
    if (kind) {
      const n = chainedFrames(h, size, mlpUnitAt, 4);
      if (!n) return undefined;
      const s = STREAMS[kind];
      return verdict(
        s,
        'MLP_MAJOR_SYNC',
        `${s.name}: access unit at byte 0 with the major sync ${kind === 'truehd' ? 'F8726FBA' : 'F8726FBB'} and signature B752, ${n} units chained by their lengths: readable audio.`,
        { units: n },
      );
    }
    switch (h[0]) {
      case 0x7f: {
        const n = dtsFrames(h, size);
        if (!n) return undefined;
        const rate = (h[8]! >> 2) & 0x0f;
        return verdict(
          STREAMS.dts,
          'DTS_FRAME_CHAIN',
          `${n} DTS core frames in a row from byte 0 (sync 7FFE8001, each frame size leading to the next sync, sampling-rate code ${rate}): a DTS audio stream, readable.`,
          { frames: n, rateCode: rate },
        );
      }
      case 0x9c: {
        const n = chain(h, size, sbcAt, 8);
        if (!n) return undefined;
        return verdict(
          STREAMS.sbc,
          'SBC_FRAME_CHAIN',
          `${n} SBC frames in a row from byte 0 (sync 9C, the same configuration byte ${h[1]!.toString(16)} and bitpool ${h[2]}, each length from the header leading to the next): Bluetooth SBC audio, readable.`,
          { frames: n, bitpool: h[2]! },
        );
      }
      case 0x56: {
        const n = chain(h, size, loasAt, 6);
        if (!n) return undefined;
        return verdict(
          STREAMS.loas,
          'LOAS_FRAME_CHAIN',
          `${n} LOAS sync frames in a row from byte 0 (11-bit sync 0x2B7, each 13-bit length leading to the next): AAC in a LATM/LOAS stream, readable.`,
          { frames: n },
        );
      }
      case 0xc0: {
        if (h[1] !== 0xde || h[2] !== 0xc2 || h[3]! > 1) return undefined;
        const mode = h[5]!;
        const bytes = CODEC2_FRAME_BYTES[mode];
        if (bytes === undefined || (size - 7) % bytes !== 0 || size === 7) return undefined;
        return verdict(
          STREAMS.codec2,
          'CODEC2_HEADER',
          `Codec 2 header (C0DEC2, version ${h[3]}.${h[4]}, mode ${mode}) and ${(size - 7) / bytes} frames of ${bytes} bytes: Codec 2 speech, readable.`,
          { mode, frames: (size - 7) / bytes },
        );
      }
      case 0x00: {
        const pictures = h263Pictures(h);
        if (pictures >= 2)
          return verdict(
            STREAMS.h263,
            'H263_PICTURE_HEADERS',
            `${pictures} H.263 picture headers in the first ${h.length} bytes, the first at byte 0 (picture start code, PTYPE marker bits, source format ${h263PictureAt(h, 0)}): an H.263 video elementary stream, readable.`,
            { pictures, sourceFormat: h263PictureAt(h, 0) },
            0.8,
          );
        const m4v = m4vHeader(h);
        if (!m4v) return undefined;
        return verdict(
          STREAMS.m4v,
          'MPEG4_VISUAL_START_CODES',
          `MPEG-4 Part 2 start codes: ${m4v.profile !== undefined ? `visual object sequence (profile/level ${m4v.profile})` : 'video object'} at byte 0, a video object layer, then a coded picture (VOP): an MPEG-4 video elementary stream, readable.`,
          m4v.profile !== undefined ? { profileLevel: m4v.profile } : {},
          0.8,
        );
      }
      default: {
        const n = h[0]! >> 4 === 0xd ? gsmFrames(h, size) : 0;
        if (!n) return undefined;
        return verdict(
          STREAMS.gsm,
          'GSM_FRAME_SIGNATURES',
          `${size / 33} frames of 33 bytes, the ${n} the probe holds each starting with the GSM signature nibble D: GSM 06.10 full-rate speech (Asterisk's and SoX's .gsm), readable.`,
          { frames: size / 33 },
          0.8,
        );
      }
    }
  },
});
