/**
 * NSS FIPS integrity check files (`libsoftokn3.chk`, `libfreebl3.chk`… beside
 * NSS's libraries on Linux systems, made by shlibsign): magic f1 c5, a version,
 * a u32 BE header length (12) and a signature type, then the DSA parameters,
 * the public value and the library's signature as u32-BE-length-prefixed
 * numbers that cover the file exactly. Dense numbers, so the statistics took
 * them for ciphertext; they are public data (a signature), not encrypted.
 * Reference: NSS lib/freebl/shvfy.c (the .chk reader) and cmd/shlibsign.
 * Fixture made by shlibsign (fixtures/nss-check-file/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const HEADER_BYTES = 12;

export const nssCheckFileDetector = defineDetector({
  meta: {
    id: 'nss-check-file',
    version: '1.0.0',
    title: 'NSS FIPS integrity check files (.chk)',
    formats: [
      {
        id: 'nss-chk',
        name: 'NSS library integrity check file (.chk)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['chk'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: 'f1c5' }],
  minSize: HEADER_BYTES + 8,
  maxSize: 65536,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!probe.complete || u32be(h, 4) !== HEADER_BYTES || (h[2] ?? 0) > 3) return undefined;
    // The numbers must chain exactly to the end of the file.
    let at = HEADER_BYTES;
    const lengths: number[] = [];
    while (at < probe.size && lengths.length < 16) {
      const length = u32be(h, at);
      if (length === undefined || length === 0 || at + 4 + length > probe.size) return undefined;
      lengths.push(length);
      at += 4 + length;
    }
    if (at !== probe.size || lengths.length < 3) return undefined;
    return plain('opaque', {
      id: 'nss-chk',
      name: 'NSS library integrity check file (.chk)',
      confidence: 0.93,
      code: 'NSS_CHK_STRUCTURE',
      message: `NSS integrity check file: magic f1c5, version ${h[2]}.${h[3]}, signature type ${u32be(h, 8)}, then ${lengths.length} length-prefixed numbers (${lengths.join(', ')} bytes: DSA parameters, public value, signature) that end exactly at the end of the file; public data, not encrypted.`,
      figures: { numbers: lengths.length, type: u32be(h, 8) ?? 0 },
    });
  },
});
