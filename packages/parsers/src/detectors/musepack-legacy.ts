/**
 * Musepack audio of stream versions 4 to 6 (1997–2002), which has no magic:
 * "MP+" arrived with version 7 and "MPCK" with 8, and file-type and libmagic
 * know only those. The file starts with a little-endian 32-bit header word
 * (bitrate 9 bits, intensity-stereo and mid/side flags, stream version 10 bits,
 * maximum band 5 bits, block size 6 bits) and a frame count; the rest is
 * entropy-coded audio, so the statistics called such files random, then
 * encrypted. What the decoder itself demands decides: a stream version from 4
 * to 6, bitrate 0 (these versions have no CBR mode), intensity stereo off and
 * block size 1 (libmpcdec rejects anything else), and a frame count that is set.
 * By chance random bytes pass about once in 22 million files. A fallback: it
 * runs only on files no signature detector recognised.
 * Reference: libmpcdec's `mpc_streaminfo_read_header_sv6` (streaminfo.c) and
 * TagLib's `MPC::Properties::readSV7` (the same fields).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

export const musepackLegacyDetector = defineDetector({
  meta: {
    id: 'musepack-legacy',
    version: '1.0.0',
    title: 'Musepack audio of stream versions 4 to 6 (no magic number)',
    formats: [
      {
        id: 'mpc',
        name: 'Musepack audio (stream version 4 to 6)',
        status: 'analysable',
        how: 'header-field',
        mime: 'audio/x-musepack',
        extensions: ['mpc', 'mp+', 'mpp'],
      },
    ],
  },
  fallback: true,
  minSize: 32,
  priority: 77,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const word = u32le(h, 0);
    if (word === undefined) return undefined;
    const bitrate = (word >>> 23) & 0x1ff;
    const intensity = (word >>> 22) & 1;
    const version = (word >>> 11) & 0x3ff;
    const blockSize = word & 0x3f;
    if (version < 4 || version > 6 || bitrate !== 0 || intensity !== 0 || blockSize !== 1) return undefined;
    // Version 5 and 6 count frames in the second word, version 4 in its upper 16 bits.
    const frames = version >= 5 ? (u32le(h, 4) ?? 0) : (u16le(h, 6) ?? 0);
    if (frames === 0) return undefined;
    return plain('analysable', {
      id: 'mpc',
      name: 'Musepack audio (stream version 4 to 6)',
      mime: 'audio/x-musepack',
      confidence: 0.7,
      code: 'MUSEPACK_SV4_6_HEADER',
      message: `Musepack header word: stream version ${version}, bitrate field 0, intensity stereo off, block size 1, maximum band ${(word >>> 6) & 0x1f}, ${frames} frames: Musepack audio from before "MP+" (read by libmpcdec, FFmpeg and TagLib), not ciphertext.`,
      figures: { streamVersion: version, frames, maxBand: (word >>> 6) & 0x1f },
    });
  },
});
