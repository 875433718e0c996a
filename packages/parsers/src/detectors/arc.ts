/**
 * ARC archives (SEA ARC and its Unix port, `arc` 5.21; also PKPAK), clear and "garbled" with
 * `arc …g<password>`. Garbling XORs each entry's data with the password and sets no flag: the
 * entry headers stay clear and the same, so libmagic and a header walk see a plain archive. What
 * tells them apart is the data's own structure: a stored entry's bytes must match the CRC-16
 * its header records; a crunched entry (method 8, dynamic LZW) starts with its maximum code
 * width, 12; a squeezed entry (method 4, Huffman) with its decoding tree's node count (at most
 * 256) and nodes whose children are leaves (-1 to -257) or earlier-declared nodes. Garbled data
 * fails these; clear data passes them.
 * Layout (arc 5.21 arc.h, arcio.c, arcunp.c; little-endian): each entry 0x1A, the method
 * (0 ends the archive; 1 old stored, 2 stored, 3 packed, 4 squeezed, 5-7 old crunched, 8
 * crunched, 9 squashed), the name (13 bytes, NUL-padded), the stored size (u32), date and
 * time (u16 each), the CRC-16 of the original data (u16), from method 2 on the original size
 * (u32), then the data.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, passwordHint, plain, u16le, u32le } from './util.js';

const MARK = 0x1a;
const STORED = 2;
const SQUEEZED = 4;
const CRUNCHED = 8;
const MAX_METHOD = 9;
const CRUNCH_BITS = 12;
/** Huffman trees of byte values (and the end code) have at most 256 internal nodes. */
const MAX_SQUEEZE_NODES = 256;
/** Entries walked at most: enough to find checkable ones, bounded for hostile input. */
const MAX_ENTRIES = 512;

/** CRC-16/ARC (polynomial 0xA001 reflected, initial 0), what ARC records of each entry's original bytes. */
export function crc16Arc(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

interface Entry {
  name: string;
  method: number;
  /** True: the data has the structure its method gives it; false: it has not; undefined: not checkable here. */
  clear: boolean | undefined;
}

/** Whether the data at `at` has the structure its method gives clear data, when the bytes at hand show it. */
function dataIsClear(h: Uint8Array, method: number, at: number, size: number, crc: number): boolean | undefined {
  if (method === STORED) return at + size <= h.length ? crc16Arc(h.subarray(at, at + size)) === crc : undefined;
  if (method === CRUNCHED) return size > 0 && at < h.length ? h[at] === CRUNCH_BITS : undefined;
  if (method === SQUEEZED) {
    const nodes = u16le(h, at);
    if (nodes === undefined || size < 2) return undefined;
    if (nodes > MAX_SQUEEZE_NODES || 2 + 4 * nodes > size) return false;
    if (at + 2 + 4 * nodes > h.length) return undefined;
    for (let i = 0; i < 2 * nodes; i++) {
      const child = (u16le(h, at + 2 + 2 * i)! << 16) >> 16;
      if (child < -257 || child >= nodes) return false;
    }
    return true;
  }
  return undefined;
}

/** The entries in the bytes at hand, or undefined when the first header is not an ARC header. */
function entries(h: Uint8Array, size: number): { list: Entry[]; ended: boolean } | undefined {
  const list: Entry[] = [];
  let at = 0;
  while (list.length < MAX_ENTRIES && at + 2 <= h.length) {
    if (h[at] !== MARK) return list.length > 0 ? { list, ended: false } : undefined;
    const method = h[at + 1]!;
    if (method === 0) return list.length > 0 ? { list, ended: true } : undefined;
    if (method > MAX_METHOD) return list.length > 0 ? { list, ended: false } : undefined;
    const headerLength = method === 1 ? 25 : 29;
    if (at + headerLength > h.length) break;
    const nameBytes = h.subarray(at + 2, at + 15);
    const nul = nameBytes.indexOf(0);
    if (nul < 1) return undefined;
    for (let i = 0; i < nul; i++) if (nameBytes[i]! < 0x20 || nameBytes[i]! > 0x7e) return undefined;
    const stored = u32le(h, at + 15)!;
    const crc = u16le(h, at + 23)!;
    const data = at + headerLength;
    if (data + stored > size) return undefined;
    list.push({ name: ascii(nameBytes, 0, nul), method, clear: dataIsClear(h, method, data, stored, crc) });
    at = data + stored;
  }
  return list.length > 0 ? { list, ended: false } : undefined;
}

export const arcDetector = defineDetector({
  meta: {
    id: 'arc',
    version: '1.0.0',
    title: 'ARC archives, garbled (password-XORed) entries told by their data',
    formats: [
      { id: 'arc', name: 'ARC archive', status: 'analysable', how: 'structure', extensions: ['arc', 'ark'] },
      {
        id: 'arc-encrypted',
        name: 'ARC archive, garbled with a password',
        status: 'encrypted',
        how: 'structure',
        extensions: ['arc', 'ark'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '1a' }],
  minSize: 29,
  priority: 40,
  detect(probe): Detection | undefined {
    const walk = entries(probe.head, probe.size);
    if (!walk) return undefined;
    const { list } = walk;
    const checked = list.filter((e) => e.clear !== undefined);
    const garbled = checked.filter((e) => !e.clear);
    // A header chained to the next (or to the end marker), or one whose data could be checked, before anything is believed.
    if (list.length < 2 && !walk.ended && checked.length === 0) return undefined;
    const figures = { entries: list.length, checked: checked.length, garbled: garbled.length };
    if (garbled.length > 0) {
      const names = garbled.slice(0, 3).map((e) => `${e.name} (method ${e.method})`);
      return locked({
        id: 'arc-encrypted',
        name: 'ARC archive, garbled with a password',
        confidence: checked.length === garbled.length ? 0.9 : 0.8,
        code: 'ARC_GARBLED',
        message: `ARC entry headers chain, but the data of ${garbled.length} of the ${checked.length} entries whose method can be checked lacks its structure (a stored entry's CRC-16, a crunched entry's code width 12, a squeezed entry's decoding tree): ${names.join(', ')}; arc's "g<password>" XORs entry data with the password and leaves the headers clear.`,
        figures,
        scheme: 'arc-garble-xor',
        scope: garbled.length < checked.length ? 'partial' : 'full',
        keyHint: passwordHint('The ARC garble password (arc a…g<password>); a short password XORed over the data.'),
      });
    }
    return plain('analysable', {
      id: 'arc',
      name: 'ARC archive',
      confidence: checked.length > 0 ? 0.9 : 0.75,
      code: checked.length > 0 ? 'ARC_CLEAR' : 'ARC_HEADERS',
      message:
        checked.length > 0
          ? `ARC entry headers chain, and the data of the ${checked.length} entries whose method can be checked has its structure (stored CRC-16, crunch code width, squeeze tree): not garbled.`
          : `ARC entry headers chain (${list.length} read); no entry in the bytes read has a method whose data can be checked for garbling.`,
      figures,
    });
  },
});
