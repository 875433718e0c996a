/**
 * Mozilla's Bloom filter cascades (CRLite certificate revocation filters in a
 * Firefox profile's `security_state/`, the add-on blocklist `*-mlbf.bin` in
 * omni.ja): version 2 is a u16 LE version, an "inverted" flag, a salt length
 * and the salt, then layers of a hash algorithm (1 MurmurHash3, 2 SHA-256
 * low 32 bits, 3 SHA-256), a u32 LE bit count, a u32 LE hash count, the
 * layer's number (1, 2, 3, …) and the bit array, up to the end of the file.
 * Bloom filter bits are as dense as ciphertext, and the statistics took them
 * for it; they are hashes of public data, not encrypted. Opaque: no general
 * reader (as the corpus labels Bloom filters).
 * References: mozilla/rust-cascade src/lib.rs (Cascade::from_bytes) and
 * mozilla/filter-cascade filtercascade/fileformats.py. Fixture written from
 * that layout (fixtures/filter-cascade/generate.sh); checked on Firefox ESR's
 * own add-on filters.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, probeBytes, u16le, u32le } from './util.js';

const LAYER_HEADER_BYTES = 10;
const MAX_SALT_BYTES = 64;

export const filterCascadeDetector = defineDetector({
  meta: {
    id: 'filter-cascade',
    version: '1.0.0',
    title: "Mozilla's Bloom filter cascades (CRLite, add-on blocklists)",
    formats: [
      {
        id: 'bloom-filter-cascade',
        name: 'Bloom filter cascade (Mozilla CRLite/MLBF)',
        status: 'opaque',
        how: 'structure',
      },
    ],
  },
  signatures: [{ offset: 0, hex: '0200' }],
  minSize: 4 + LAYER_HEADER_BYTES + 1,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u16le(h, 0) !== 2 || (h[2] ?? 2) > 1) return undefined;
    const salt = h[3] ?? 255;
    if (salt > MAX_SALT_BYTES) return undefined;
    // Walk the layers whose headers the probe holds; every one seen must be the next number and fit the file.
    let at = 4 + salt;
    let layers = 0;
    let lastBits = 0;
    while (at < probe.size) {
      const header = probeBytes(probe, at, LAYER_HEADER_BYTES);
      if (!header) break;
      const algorithm = header[0]!;
      const bits = u32le(header, 1) ?? 0;
      const hashes = u32le(header, 5) ?? 0;
      if (algorithm < 1 || algorithm > 3 || bits === 0 || hashes === 0 || hashes > 64) return undefined;
      if (header[9] !== layers + 1) return undefined;
      const end = at + LAYER_HEADER_BYTES + Math.ceil(bits / 8);
      if (end > probe.size) return undefined;
      layers++;
      lastBits = bits;
      at = end;
    }
    if (layers === 0) return undefined;
    const whole = at === probe.size;
    return plain('opaque', {
      id: 'bloom-filter-cascade',
      name: 'Bloom filter cascade (Mozilla CRLite/MLBF)',
      confidence: whole ? 0.95 : 0.9,
      code: 'FILTER_CASCADE_LAYERS',
      message: `Bloom filter cascade, version 2, ${salt}-byte salt: ${layers} layer${layers > 1 ? 's' : ''} read in order (numbered from 1, known hash algorithm, each fitting the file${whole ? ', the last ending at its end' : ''}); filter bits, not ciphertext.`,
      figures: { layersRead: layers, saltBytes: salt, lastLayerBits: lastBits, wholeChainRead: whole },
    });
  },
});
