/**
 * MPEG-1/2/2.5 audio frame headers (Layers I-III): the check behind
 * file-type's frame-sync magic, which is 11 set bits and so also matches a
 * run of 0xFF bytes (a split archive's padding, a flash image). A header is
 * valid when no field holds its reserved or "bad" value; a stream is believed
 * when the frame length the header gives leads to a second header of the same
 * version, layer and sample rate (or the file ends there).
 * Reference: ISO/IEC 11172-3 §2.4.2.3 and ISO/IEC 13818-3 (header fields,
 * bitrate and sampling-frequency tables, frame length).
 */
import { chainedFrames } from './audio-frames.js';
import { u32be } from './util.js';

// Bitrates in kbit/s by [MPEG-1?][layer 1..3] and index 1..14 (0 is free format, 15 is bad).
const V1 = [
  [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
];
const V2 = [
  [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

export interface MpegFrame {
  /** 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5 (the header's version bits). */
  version: number;
  layer: 1 | 2 | 3;
  bitrate: number;
  sampleRate: number;
  length: number;
}

/** The frame header at `at`, when every field is a defined value (free-format bitrate is not accepted). */
export function mpegFrameAt(h: Uint8Array, at: number): MpegFrame | undefined {
  const w = u32be(h, at);
  if (w === undefined || (w & 0xffe00000) >>> 0 !== 0xffe00000) return undefined;
  const version = (w >>> 19) & 3;
  const layerBits = (w >>> 17) & 3;
  const rateIndex = (w >>> 12) & 15;
  const srIndex = (w >>> 10) & 3;
  if (version === 1 || layerBits === 0 || rateIndex === 0 || rateIndex === 15 || srIndex === 3 || (w & 3) === 2)
    return undefined;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrate = (version === 3 ? V1 : V2)[layer - 1]![rateIndex - 1]! * 1000;
  const sampleRate = RATES[version]![srIndex]!;
  const padding = (w >>> 9) & 1;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 3 ? 72 : 144) * bitrate) / sampleRate) + padding;
  return { version, layer, bitrate, sampleRate, length };
}

/** Counts chained frames of one version, layer and sample rate from offset 0 (up to `max`; 0: no stream). */
export function mpegFrames(h: Uint8Array, size: number, max = 4): number {
  return chainedFrames(
    h,
    size,
    (b, at) => {
      const f = mpegFrameAt(b, at);
      return f && { length: f.length, key: f.version * 1_000_000 + f.layer * 100_000 + f.sampleRate };
    },
    max,
  );
}
