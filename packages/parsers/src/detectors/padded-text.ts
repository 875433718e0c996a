/**
 * Text with a little noise: a log a program pre-allocated with NUL bytes (written up to a point, zeros
 * after, or zeros before when a ring buffer wrapped), or a text with a few stray binary bytes (a corrupt
 * sector, a binary field pasted into a log). The strict sniffers (util.ts textInfo, legacy-text.ts) refuse
 * both, since a NUL near the start or one invalid byte is what binary data looks like.
 *
 * Long NUL runs are set aside; what remains must be UTF-8 text with under one noise byte in 200 (an
 * invalid sequence or a control character other than tab, line feed, carriage return, form feed and
 * escape). Random, compressed or encrypted bytes have a noise byte in two; binary records with text
 * fields have short NUL runs (field padding, terminators), which count as noise.
 */

/** NUL runs from this long are padding, set aside (shorter ones are terminators or field padding: noise). */
const MIN_NUL_RUN = 64;
/** At least this many text bytes must remain in the window. */
const MIN_TEXT_BYTES = 256;
/** At most one noise byte in this many text bytes. */
const NOISE_RATIO = 200;

export type PaddedText = { textBytes: number; nulBytes: number; noiseBytes: number };

/** Whether `bytes` (a window of the file) is text apart from long NUL runs and a few noise bytes. */
export function paddedText(bytes: Uint8Array): PaddedText | undefined {
  const kept: Uint8Array[] = [];
  let nulBytes = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0) continue;
    // bytes[i] is a NUL (or the end): measure the run.
    let end = i;
    while (end < bytes.length && bytes[end] === 0) end++;
    if (end - i >= MIN_NUL_RUN || i === bytes.length) {
      if (i > start) kept.push(bytes.subarray(start, i));
      nulBytes += end - i;
      start = end;
    }
    i = end;
  }
  if (start < bytes.length) kept.push(bytes.subarray(start));
  const textBytes = kept.reduce((n, k) => n + k.length, 0);
  if (textBytes < MIN_TEXT_BYTES) return undefined;
  let noiseBytes = 0;
  const limit = Math.floor(textBytes / NOISE_RATIO);
  for (const part of kept) {
    noiseBytes += noise(part, limit - noiseBytes + 1);
    if (noiseBytes > limit) return undefined;
  }
  return { textBytes, nulBytes, noiseBytes };
}

/** Control characters (NUL included) and bytes outside valid UTF-8 sequences in `part`, counting up to `stop`. */
function noise(part: Uint8Array, stop: number): number {
  let n = 0;
  for (let i = 0; i < part.length && n < stop; i++) {
    const b = part[i]!;
    if (b < 0x80) {
      if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) n++;
      else if (b === 0x7f) n++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0;
    for (let k = 1; ok && k < length; k++) {
      const c = part[i + k];
      // A sequence cut by the window's end is not noise.
      if (c === undefined) break;
      ok = (c & 0xc0) === 0x80;
    }
    if (ok) i += length - 1;
    else n++;
  }
  return n;
}
