/**
 * ASDF files (Advanced Scientific Data Format, `.asdf`): the successor to
 * FITS of the James Webb and Roman space telescopes' pipelines, read by the
 * `asdf` Python library. A YAML tree behind the header lines "#ASDF 1.0.0"
 * and "#ASDF_STANDARD", then binary blocks (each "\xd3BLK", a header and the
 * array's bytes, optionally zlib-, bzip2- or lz4-compressed). The blocks made
 * the file neither text nor anything libmagic 5.44 knows, so it was opaque, and
 * a file of compressed blocks was "compressed behind a header". The first line
 * and the YAML directive or ASDF_STANDARD line after it are checked; block
 * magics found are reported. Readable without a secret: analysable.
 * Reference: ASDF Standard 1.5.0 §2 (file layout: header, tree, blocks) and
 * §2.2 (block header, compression codes).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, indexOf, plain } from './util.js';

const FIRST_LINE = /^#ASDF (\d+\.\d+\.\d+)\r?\n(#ASDF_STANDARD (\d+\.\d+\.\d+)\r?\n|%YAML|#)/;
const BLOCK_MAGIC = new Uint8Array([0xd3, 0x42, 0x4c, 0x4b]);

export const asdfDetector = defineDetector({
  meta: {
    id: 'asdf',
    version: '1.0.0',
    title: 'ASDF scientific data files (header lines, YAML tree, binary blocks)',
    formats: [
      {
        id: 'asdf',
        name: 'ASDF scientific data file',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-asdf',
        extensions: ['asdf'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: '#ASDF ' }],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = FIRST_LINE.exec(ascii(probe.head, 0, 64));
    if (!m) return undefined;
    const block = indexOf(probe.head, BLOCK_MAGIC);
    return plain('analysable', {
      id: 'asdf',
      name: 'ASDF scientific data file',
      mime: 'application/x-asdf',
      confidence: 0.95,
      code: 'ASDF_HEADER',
      message: `ASDF header "#ASDF ${m[1]}"${m[3] ? `, standard ${m[3]}` : ''}, a YAML tree${block >= 0 ? `, and binary blocks from byte ${block}` : ''}: read by the asdf library without a secret.`,
      details: { blocks: block >= 0 },
    });
  },
});
