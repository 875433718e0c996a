/**
 * XAR archives (`.xar`, macOS `.pkg` payloads and installers): a binary
 * header, then a zlib-compressed XML table of contents (TOC), then the heap.
 * The TOC inflated from the header's lengths is the evidence: a readable
 * archive, never ciphertext. XAR has no encryption (libxar never implemented
 * one); a signed archive carries a <signature> in the TOC, which says who
 * signed it, not that anything is hidden.
 * Layout (big-endian): "xar!", header size (u16, 28 or more), version (u16,
 * 1), TOC compressed length (u64), TOC uncompressed length (u64), checksum
 * algorithm (u32: 0 none, 1 SHA-1, 2 MD5, 3 named, 4 SHA-256 ...).
 * References: libxar include/xar.h.in and lib/archive.c (xar_header); the
 * xar file format page of the mackyle/xar wiki.
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u16be, u32be, u64be } from './util.js';

const CHECKSUMS = ['none', 'sha1', 'md5', 'named', 'sha256', 'sha512'];

/** Inflates as much of the TOC as the head holds; undefined when it is not a zlib stream. */
function inflateToc(bytes: Uint8Array): string | undefined {
  try {
    const out = zlib.inflateSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 256 * 1024 });
    return ascii(out);
  } catch {
    return undefined; // not zlib, or a TOC larger than any real one
  }
}

export const xarDetector = defineDetector({
  meta: {
    id: 'xar',
    version: '1.0.0',
    title: 'XAR archives (zlib-compressed XML table of contents)',
    formats: [
      {
        id: 'xar',
        name: 'XAR archive',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-xar',
        extensions: ['xar', 'pkg', 'xip'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: 'xar!' }],
  minSize: 28,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'xar!')) return undefined;
    const headerSize = u16be(h, 4) ?? 0;
    const version = u16be(h, 6);
    const tocCompressed = u64be(h, 8) ?? 0;
    const tocLength = u64be(h, 16) ?? 0;
    const checksum = u32be(h, 24) ?? 0xffffffff;
    if (headerSize < 28 || headerSize > 4096 || version !== 1 || checksum >= CHECKSUMS.length) return undefined;
    if (tocCompressed === 0 || tocLength === 0 || headerSize + tocCompressed > probe.size) return undefined;
    const toc = inflateToc(h.subarray(headerSize, headerSize + tocCompressed));
    // The TOC is XML with a <xar> root: bytes that merely start "xar!" do not inflate to that.
    if (toc === undefined || !/^\s*<\?xml[^>]*\?>\s*<xar[\s>]/.test(toc)) return undefined;
    const files = (toc.match(/<file[\s>]/g) ?? []).length;
    const signed = /<signature[\s>]/.test(toc);
    const whole = toc.length >= tocLength;
    return plain('analysable', {
      id: 'xar',
      name: 'XAR archive',
      mime: 'application/x-xar',
      confidence: 0.95,
      code: 'XAR_TOC',
      message: `XAR header (version 1, ${headerSize}-byte header, ${CHECKSUMS[checksum]} checksums); the ${tocCompressed}-byte table of contents inflates to XML (${whole ? `${tocLength} bytes, ` : ''}${files} <file> entr${files === 1 ? 'y' : 'ies'}${whole ? '' : ' in the part read'}${signed ? ', signed' : ''}): a readable archive, not encrypted.`,
      figures: { headerSize, tocCompressed, tocLength, checksum: CHECKSUMS[checksum]!, files, signed },
    });
  },
});
