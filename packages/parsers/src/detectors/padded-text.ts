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
  // One pass, stopping as soon as the noise passes what even a window of text alone could hold: binary
  // data is refused within its first few hundred bytes.
  const maxNoise = Math.floor(bytes.length / NOISE_RATIO);
  let nulBytes = 0;
  let noiseBytes = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0) {
      let end = i;
      while (end < bytes.length && bytes[end] === 0) end++;
      if (end - i >= MIN_NUL_RUN) nulBytes += end - i;
      else noiseBytes += end - i;
      i = end - 1;
    } else if (b < 0x80) {
      if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) || b === 0x7f) noiseBytes++;
    } else {
      const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      let ok = length > 0;
      for (let k = 1; ok && k < length; k++) {
        const c = bytes[i + k];
        // A sequence cut by the window's end is not noise.
        if (c === undefined) break;
        ok = (c & 0xc0) === 0x80;
      }
      if (ok) i += length - 1;
      else noiseBytes++;
    }
    if (noiseBytes > maxNoise) return undefined;
  }
  const textBytes = bytes.length - nulBytes;
  if (textBytes < MIN_TEXT_BYTES || noiseBytes * NOISE_RATIO > textBytes) return undefined;
  return { textBytes, nulBytes, noiseBytes };
}
