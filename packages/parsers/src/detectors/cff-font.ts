/**
 * Bare CFF (Compact Font Format) font programs: what a PDF embeds as FontFile3 and what pdf.js
 * ships as its standard fonts (named `.pfb` inside Firefox's `omni.ja`). An OpenType font holds
 * the same bytes as its `CFF ` table; out of one, neither file(1) nor file-type names them, so
 * they were opaque. Font tools (FontForge, fontTools, FreeType) read them.
 * The header is four bytes (major 1, minor 0, header size, offset size 1-4); the Name INDEX
 * follows at the header size and the Top DICT INDEX, with one entry per name, after it. Both
 * are checked, and the names must be PostScript names.
 * Reference: Adobe Technical Note #5176, "The Compact Font Format Specification" (2003),
 * §5 (INDEX data), §6 (Header), §7 (Name INDEX).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** A FontSet holds a handful of fonts; many more names is not a font file. */
const MAX_FONTS = 64;
/** §7: a name is at most 127 bytes. */
const MAX_NAME = 127;

interface Index {
  count: number;
  /** Offset of each entry's data in the file, and of the end of the last one. */
  starts: number[];
  end: number;
}

/** An INDEX at `at` (§5): count, offset size, count + 1 offsets from 1, not decreasing. Undefined when it is not one. */
function readIndex(h: Uint8Array, at: number, size: number): Index | undefined {
  if (at + 3 > h.length) return undefined;
  const count = (h[at]! << 8) | h[at + 1]!;
  if (count === 0 || count > MAX_FONTS) return undefined;
  const offSize = h[at + 2]!;
  if (offSize < 1 || offSize > 4) return undefined;
  const array = at + 3;
  if (array + (count + 1) * offSize > h.length) return undefined;
  const offsets: number[] = [];
  for (let i = 0; i <= count; i++) {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + h[array + i * offSize + k]!;
    offsets.push(v);
  }
  if (offsets[0] !== 1 || offsets.some((o, i) => i > 0 && o < offsets[i - 1]!)) return undefined;
  const base = array + (count + 1) * offSize - 1;
  const end = base + offsets[count]!;
  if (end > size) return undefined;
  return { count, starts: offsets.map((o) => base + o), end };
}

/** §7: printable ASCII without the PostScript delimiters; a first byte of 0 marks a deleted entry. */
function isPostScriptName(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length > MAX_NAME) return false;
  if (bytes[0] === 0) return true;
  return bytes.every((c) => c > 32 && c < 127 && !'[](){}<>/%'.includes(String.fromCharCode(c)));
}

export const cffFontDetector = defineDetector({
  meta: {
    id: 'cff-font',
    version: '1.0.0',
    title: 'Bare CFF font programs (header, Name INDEX and Top DICT INDEX)',
    formats: [
      {
        id: 'cff-font',
        name: 'CFF font program',
        status: 'analysable',
        how: 'structure',
        extensions: ['cff', 'pfb', 'bin'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '0100' }],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const headerSize = h[2]!;
    const offSize = h[3]!;
    if (headerSize < 4 || offSize < 1 || offSize > 4) return undefined;
    const names = readIndex(h, headerSize, probe.size);
    // The Name INDEX must lie in the head to be checked, and every name be a PostScript name.
    if (!names || names.end > h.length) return undefined;
    const fontNames = names.starts.slice(0, -1).map((s, i) => h.subarray(s, names.starts[i + 1]));
    if (!fontNames.every(isPostScriptName)) return undefined;
    const topDicts = readIndex(h, names.end, probe.size);
    if (!topDicts || topDicts.count !== names.count) return undefined;
    const shown = fontNames
      .filter((n) => n[0] !== 0)
      .map((n) => `"${String.fromCharCode(...n)}"`)
      .join(', ');
    return plain('analysable', {
      id: 'cff-font',
      name: 'CFF font program',
      confidence: 0.9,
      code: 'CFF_HEADER_AND_INDEXES',
      message: `CFF header ${h[0]}.${h[1]} (header size ${headerSize}, offset size ${offSize}), a Name INDEX of ${names.count} font(s) (${shown}) and a Top DICT INDEX of as many: a bare font program, as PDFs embed and pdf.js ships.`,
      figures: { fonts: names.count, headerSize, offSize },
    });
  },
});
