/**
 * Frame chains of raw AAC (ADTS) and Dolby AC-3/E-AC-3 streams: the check behind file-type's
 * magic for them, which is 14 bits (ADTS sync and layer) or 16 bits (AC-3 "0B 77") and so starts
 * one random file in 16,384 or 65,536. A stream is believed when the frame length its first header
 * gives leads to a second header with the same sampling rate (or the file ends there); random bytes
 * chain once in 4,096 or more tries.
 * References: ISO/IEC 14496-3 §1.A.2.2 (adts_fixed_header, adts_variable_header); ATSC A/52 §5.4.1
 * (syncinfo, the frame size code table) and Annex E §E.1.2 (E-AC-3's frmsiz).
 */

export interface Frame {
  length: number;
  /** Fields every frame of one stream repeats. */
  key: number;
}

/**
 * Counts chained frames from offset 0 (up to `max`): each frame's length leads to the next header, with the
 * same key, or to the end of the file. 0 when the first is invalid or the second does not follow.
 */
export function chainedFrames(
  h: Uint8Array,
  size: number,
  frameAt: (h: Uint8Array, at: number) => Frame | undefined,
  max = 4,
): number {
  const first = frameAt(h, 0);
  if (!first) return 0;
  let at = 0;
  let frame: Frame | undefined = first;
  let n = 0;
  while (frame && n < max) {
    n++;
    at += frame.length;
    if (at === size) return n;
    frame = frameAt(h, at);
    if (frame && frame.key !== first.key) frame = undefined;
  }
  return n >= 2 ? n : 0;
}

/** An ADTS header at `at`: sync 0xFFF, layer 0, a defined sampling-frequency index, a frame no shorter than its header. */
function adtsAt(h: Uint8Array, at: number): Frame | undefined {
  if (at + 7 > h.length) return undefined;
  const b1 = h[at + 1]!;
  const b2 = h[at + 2]!;
  if (h[at] !== 0xff || (b1 & 0xf6) !== 0xf0) return undefined;
  const rate = (b2 >> 2) & 0x0f;
  if (rate > 12) return undefined;
  const length = ((h[at + 3]! & 0x03) << 11) | (h[at + 4]! << 3) | (h[at + 5]! >> 5);
  const header = b1 & 0x01 ? 7 : 9;
  if (length < header) return undefined;
  return { length, key: (b1 & 0x08) | (rate << 4) | ((b2 >> 6) << 8) };
}

// AC-3 bit rates in kbit/s by frame size code / 2 (A/52 Table 5.18).
const AC3_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640];

/** An AC-3 or E-AC-3 sync frame at `at`: "0B 77", a defined sample rate code and frame size, bsid ≤ 16. */
function ac3At(h: Uint8Array, at: number): Frame | undefined {
  if (at + 6 > h.length || h[at] !== 0x0b || h[at + 1] !== 0x77) return undefined;
  const bsid = h[at + 5]! >> 3;
  if (bsid > 16) return undefined;
  if (bsid > 10) {
    // E-AC-3: the frame size in 16-bit words minus one, then the sample rate code (3 with fscod2 is allowed).
    const words = (((h[at + 2]! & 0x07) << 8) | h[at + 3]!) + 1;
    return { length: words * 2, key: 0x100 | (h[at + 4]! >> 6) };
  }
  const fscod = h[at + 4]! >> 6;
  const code = h[at + 4]! & 0x3f;
  if (fscod === 3 || code > 37) return undefined;
  const kbps = AC3_KBPS[code >> 1]!;
  // Words per frame: 1536 samples at the rate; at 44.1 kHz odd codes round up (A/52 Table 5.18).
  const words = fscod === 0 ? kbps * 2 : fscod === 2 ? kbps * 3 : Math.floor((kbps * 96000) / 44100) + (code & 1);
  return { length: words * 2, key: fscod };
}

/** Chained ADTS frames from offset 0 (0: not an ADTS stream). */
export function adtsFrames(h: Uint8Array, size: number): number {
  return chainedFrames(h, size, adtsAt);
}

/** Chained AC-3/E-AC-3 sync frames from offset 0 (0: not such a stream). */
export function ac3Frames(h: Uint8Array, size: number): number {
  return chainedFrames(h, size, ac3At);
}
