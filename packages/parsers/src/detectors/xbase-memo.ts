/**
 * The memo files beside dBase and FoxPro tables: FoxPro `.fpt` and dBase III/Clipper `.dbt`. Their headers are
 * a few numbers and zeros, which other formats' zero-padded headers also are (libmagic calls a real `.fpt` a
 * Photoshop colour swatch and a Spotlight store a FoxPro memo), so a file is claimed only when its numbers
 * describe this file: the next free block starts at the file's end or in its last block, and the first memo block
 * holds what the format puts there.
 * - FoxPro: next free block (u32 big-endian), zeros, the block size (u16 big-endian at 6), zeros; blocks after
 *   the 512-byte header start with a type (0 picture, 1 text, 2 object) and a length (both u32 big-endian).
 * - dBase III and Clipper: next free block (u32 little-endian), the version byte (3, or 0 as Clipper and
 *   other writers leave it) at 16, 512-byte blocks; a memo is text ended by two 0x1A bytes.
 * References: Microsoft, "Memo File Structure (.FPT)" (Visual FoxPro documentation); the dBase III Plus
 * technical reference (DBT files); libmagic's Magdir/database (its xBase memo tests).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16be, u32be, u32le } from './util.js';

const HEADER = 512;

const zeros = (b: Uint8Array, from: number, to: number) => {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
};

/**
 * The next free block starts where the file ends or within the last, partly written, block: writers extend the
 * file as they allocate blocks, so a pointer far short of the end is some other format's number.
 */
const endFits = (end: number, block: number, size: number) => end >= HEADER && end >= size && end < size + block;

function foxproMemo(probe: Probe): Detection | undefined {
  const h = probe.head;
  const next = u32be(h, 0);
  const block = u16be(h, 6);
  if (next === undefined || block === undefined || block === 0 || h[4] !== 0 || h[5] !== 0) return undefined;
  if (!zeros(h, 8, 24) || !endFits(next * block, block, probe.size)) return undefined;
  const first = Math.ceil(HEADER / block) * block;
  let memo = '';
  if (next * block > first && first + 8 <= h.length) {
    const type = u32be(h, first)!;
    const length = u32be(h, first + 4)!;
    if (type > 2 || first + 8 + length > probe.size) return undefined;
    memo = `; the first memo (at ${first}) is ${['a picture', 'text', 'an object'][type]} of ${length} bytes`;
  }
  return plain('analysable', {
    id: 'foxpro-memo',
    name: 'FoxPro memo file',
    confidence: 0.85,
    code: 'FOXPRO_MEMO_HEADER',
    message: `A FoxPro memo header: ${block}-byte blocks and the next free block ${next}, ending at byte ${next * block} of ${probe.size}${memo}: the memo fields of the .dbf table beside it, read with it by any xBase reader.`,
  });
}

function dbaseMemo(probe: Probe): Detection | undefined {
  const h = probe.head;
  const next = u32le(h, 0);
  if (next === undefined || (h[16] !== 3 && h[16] !== 0) || !zeros(h, 4, 16)) return undefined;
  if (!endFits(next * HEADER, HEADER, probe.size)) return undefined;
  let memo = '';
  if (next > 1 && h.length > HEADER) {
    // A memo is text ended by 0x1A 0x1A; it may run past the probe, but not into a NUL before its end.
    const body = h.subarray(HEADER);
    const end = body.findIndex((c, i) => c === 0x1a && body[i + 1] === 0x1a);
    const text = end < 0 ? body : body.subarray(0, end);
    if (text.length === 0 || text.some((c) => c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)))
      return undefined;
    if (end < 0 && !(body.length === h.length - HEADER && !probe.complete)) return undefined;
    memo = `; the first memo is ${end < 0 ? 'text longer than the probe' : `${end} bytes of text ended by 0x1A 0x1A`}`;
  }
  return plain('analysable', {
    id: 'dbase-memo',
    name: 'dBase III/Clipper memo file',
    confidence: 0.85,
    code: 'DBASE_MEMO_HEADER',
    message: `A dBase III memo header: 512-byte blocks, version byte ${h[16]} and the next free block ${next}, ending at byte ${next * HEADER} of ${probe.size}${memo}: the memo fields of the .dbf table beside it, read with it by any xBase reader.`,
  });
}

export const xbaseMemoDetector = defineDetector({
  meta: {
    id: 'xbase-memo',
    version: '1.0.0',
    title: 'FoxPro (.fpt) and dBase III/Clipper (.dbt) memo files',
    formats: [
      { id: 'foxpro-memo', name: 'FoxPro memo file', status: 'analysable', how: 'header-field', extensions: ['fpt'] },
      {
        id: 'dbase-memo',
        name: 'dBase III/Clipper memo file',
        status: 'analysable',
        how: 'header-field',
        extensions: ['dbt'],
      },
    ],
  },
  // FoxPro's next free block is a big-endian number (its first byte 0 in any file under 16 MiB of blocks);
  // dBase's is little-endian with zeros from byte 4 on.
  signatures: [
    { offset: 0, hex: '00' },
    { offset: 4, hex: '00000000' },
  ],
  minSize: HEADER,
  priority: 30,
  detect(probe): Detection | undefined {
    return foxproMemo(probe) ?? dbaseMemo(probe);
  },
});
