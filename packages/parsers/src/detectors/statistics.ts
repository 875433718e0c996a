/**
 * The statistical fallback, for files no signature matched. Entropy alone
 * cannot tell ciphertext from compressed data; a chi-square test of the byte
 * histogram can: ciphertext is uniform (p between 0.001 and 0.999), while
 * DEFLATE, LZ-family and media payloads sit far from uniform (p ~ 0).
 * Deflate compressibility backs it up. Statistics never reach "certain".
 */
import { defineDetector, randomnessFigures, type Detection } from '@evtriage/core';

/** Below this many bytes the histogram is too thin to tell anything. */
const MIN_BYTES = 64;

export const statisticsDetector = defineDetector({
  meta: {
    id: 'statistics',
    version: '1.0.0',
    title: 'Entropy and randomness tests over sampled blocks',
    formats: [
      { id: 'unknown-encrypted', name: 'Unrecognised data, statistically indistinguishable from ciphertext', status: 'encrypted', how: 'statistics' },
      { id: 'compressed-unknown', name: 'Unrecognised high-entropy data that is not random (compressed or encoded)', status: 'opaque', how: 'statistics' },
      { id: 'binary-unknown', name: 'Unrecognised structured binary data', status: 'opaque', how: 'statistics' },
    ],
  },
  fallback: true,
  priority: 100,
  detect(probe): Detection {
    const blocks = [probe.head, ...probe.samples.map((s) => s.bytes), probe.tail];
    const entropy = randomnessFigures(blocks);
    const figures = { shannon: entropy.shannon, chiSquare: entropy.chiSquare, chiSquareP: entropy.chiSquareP, compressionRatio: entropy.compressionRatio ?? 0, sampledBytes: entropy.sampledBytes };
    if (entropy.sampledBytes < MIN_BYTES) {
      return {
        format: { id: 'binary-unknown', name: 'Unrecognised structured binary data' },
        status: 'opaque',
        confidence: 0.3,
        entropy,
        reasons: [{ code: 'TOO_SMALL_FOR_STATISTICS', message: `Only ${entropy.sampledBytes} bytes: too few for a randomness test; no signature matched.`, figures }],
      };
    }
    // The most entropy n bytes can show is log2(min(n, 256)); judge against that, not against 8.
    const maxEntropy = Math.log2(Math.min(entropy.sampledBytes, 256));
    const nearMax = entropy.shannon >= maxEntropy - (entropy.sampledBytes >= 4096 ? 0.02 : 0.6);
    const uniform = entropy.chiSquareP > 0.001 && entropy.chiSquareP < 0.999;
    const incompressible = (entropy.compressionRatio ?? 0) >= 0.98;
    if (nearMax && uniform && incompressible) {
      return {
        format: { id: 'unknown-encrypted', name: 'Unrecognised data, statistically indistinguishable from ciphertext' },
        status: 'encrypted',
        confidence: 0.55,
        entropy,
        encryption: { scheme: 'unknown', scope: 'full', keyHint: { description: 'Unknown scheme: no header names the cipher or the key.', kind: 'unknown', present: 'unknown' } },
        reasons: [
          {
            code: 'STATISTICALLY_RANDOM',
            message: `No signature matched; entropy ${entropy.shannon} bits/byte, chi-square ${entropy.chiSquare} (p=${entropy.chiSquareP}) consistent with uniform bytes, incompressible (ratio ${entropy.compressionRatio}): suspected ciphertext.`,
            figures,
          },
        ],
      };
    }
    if (entropy.shannon >= 7.5) {
      return {
        format: { id: 'compressed-unknown', name: 'Unrecognised high-entropy data that is not random (compressed or encoded)' },
        status: 'opaque',
        confidence: 0.5,
        entropy,
        reasons: [
          {
            code: 'HIGH_ENTROPY_NOT_RANDOM',
            message: `No signature matched; entropy ${entropy.shannon} bits/byte but chi-square ${entropy.chiSquare} (p=${entropy.chiSquareP}) rejects uniform bytes: compressed or encoded data, not ciphertext.`,
            figures,
          },
        ],
      };
    }
    return {
      format: { id: 'binary-unknown', name: 'Unrecognised structured binary data' },
      status: 'opaque',
      confidence: 0.5,
      entropy,
      reasons: [{ code: 'STRUCTURED_BINARY', message: `No signature matched; entropy ${entropy.shannon} bits/byte shows structure, not ciphertext.`, figures }],
    };
  },
});
