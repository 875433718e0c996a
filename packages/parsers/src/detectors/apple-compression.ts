/**
 * Apple's chunked compressed streams, as Apple Archives (.aar) and OTA
 * payloads keep them: "pbz" and the algorithm (`e`: LZFSE), a u64
 * big-endian chunk size, then chunks of (raw size, stored size, data). A
 * chunk's data is an LZFSE stream (its blocks start "bvx") or, when
 * compressing did not help, the raw bytes with the
 * stored size equal to the raw size. Compressed, so the statistics alone call
 * the file ciphertext; the chunk headers say otherwise. "pbzx" (XZ chunks) is
 * the embedded-streams detector's; a bare LZFSE stream ("bvx2"...) libmagic's.
 * References: the pbzx layout as the pbzx stream parser and blacktop/ipsw read
 * it, the same layout with the LZFSE algorithm that Apple's AppleArchive
 * writes; the block magics from Apple's lzfse reference
 * implementation (lzfse_internal.h). No Debian package writes these: the
 * fixtures are written from the layouts (fixtures/apple-compression/generate.py).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u64be } from './util.js';

function chunked(probe: Probe): Detection | undefined {
  const h = probe.head;
  const chunkSize = u64be(h, 4);
  if (chunkSize === undefined || chunkSize === 0 || chunkSize > 1 << 30) return undefined;
  let chunks = 0;
  let at = 12;
  while (at + 16 <= h.length && at < probe.size) {
    const raw = u64be(h, at);
    const stored = u64be(h, at + 8);
    if (raw === undefined || stored === undefined || raw === 0 || raw > chunkSize) return undefined;
    // An LZFSE stream of incompressible bytes is a little larger than they are (block headers, literal opcodes).
    if (stored > raw + raw / 128 + 64) return undefined;
    if (at + 16 + stored > probe.size) return undefined;
    // Stored raw when compressing did not help; else the chunk is an LZFSE stream.
    if (stored !== raw && at + 16 + 3 <= h.length && ascii(h, at + 16, at + 19) !== 'bvx') return undefined;
    chunks++;
    at += 16 + stored;
  }
  if (chunks === 0 || (probe.complete && at !== probe.size)) return undefined;
  return plain('analysable', {
    id: 'pbze',
    name: 'Apple pbze stream (chunks of LZFSE)',
    confidence: 0.92,
    code: 'PBZ_CHUNKS',
    message:
      `"pbze" header, ${chunkSize}-byte chunks: ${chunks} chunk header(s) whose sizes fit and whose data is an ` +
      'LZFSE stream or stored raw: compressed (an Apple Archive or OTA payload), not encrypted.',
    figures: { chunkSize, chunksRead: chunks },
  });
}

export const appleCompressionDetector = defineDetector({
  meta: {
    id: 'apple-compression',
    version: '1.0.0',
    title: "Apple's chunked compressed streams (pbze): Apple Archives and OTA payloads",
    formats: [
      {
        id: 'pbze',
        name: 'Apple pbze stream (chunks of LZFSE)',
        status: 'analysable',
        how: 'structure',
        extensions: ['aar'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'pbze' }],
  minSize: 28,
  priority: 40,
  detect: chunked,
});
