/**
 * Files of an iOS app bundle that no general reader opens, named by their
 * structure so that a full-file-system extraction's thousands of them are
 * not left as unknown binary (or, for small high-entropy ones, taken for
 * ciphertext):
 * - compiled Interface Builder files (`.nib`): "NIBArchive", format and coder
 *   versions, then (count, offset) pairs for objects, keys, values and class
 *   names in that order, inside the file; the keys must read as a run of
 *   length-prefixed names. Opaque: Apple's keyed object graph, read only by
 *   UIKit and a few reverse-engineered tools.
 * - Metal shader libraries (`.metallib`): "MTLB", a u64 file size at 16 equal
 *   to the file's, and a function list inside the file that starts with a
 *   NAME tag. Opaque: AIR bitcode per function behind Apple's container.
 * - FairPlay protection info (`SC_Info/<App>.sinf`): an ISO BMFF `sinf` box
 *   spanning the file, with `frma`, `schm` and `schi` children tiling it and a
 *   `priv` box inside `schi`: the app's key material encrypted for the buying
 *   account. Encrypted, as the other wrapped-key files here are; the user id
 *   and the buyer's name beside it are clear.
 * References: NIBArchive as public readers document it (Matt Gallagher's
 * notes, the `nibarchive` reader); the metallib container as
 * YuAo/MetalLibraryArchive documents it; ISO/IEC 14496-12 §8.12 (`sinf`,
 * `frma`, `schm`, `schi`) and the iPhone Wiki's FairPlay notes (`user`,
 * `key `, `iviv`, `righ`, `name`, `priv`). Fixtures are written from these
 * layouts (fixtures/apple-app-files/generate.py): no Debian tool writes them.
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import {
  afterStructureEnd,
  appendedAfterRecords,
  ascii,
  plain,
  locked,
  notingZeroPadding,
  u32be,
  u32le,
  u64le,
} from './util.js';

const FAIRPLAY_ACCOUNT: KeyHint = {
  description:
    "The FairPlay keys of the Apple account that bought the app, held by the device's FairPlay daemon (not in a file of the extraction).",
  kind: 'hardware',
  present: 'no',
};

/** A NIBArchive varint: seven bits a byte, the last byte marked by its high bit. */
function nibVarint(b: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte & 0x80) return [value, at + i + 1];
  }
  return undefined;
}

function nib(probe: Probe): Detection | undefined {
  const h = probe.head;
  const format = u32le(h, 10);
  const coder = u32le(h, 14);
  if (format !== 1 || coder === undefined || coder < 7 || coder > 20) return undefined;
  const sections: Array<[number, number]> = [];
  for (let i = 0; i < 4; i++) {
    const count = u32le(h, 18 + 8 * i);
    const offset = u32le(h, 22 + 8 * i);
    if (count === undefined || offset === undefined || offset < 50 || offset > probe.size) return undefined;
    if (i > 0 && offset < sections[i - 1]![1]) return undefined;
    sections.push([count, offset]);
  }
  const [keyCount, keyStart] = sections[1]!;
  const keyEnd = sections[2]![1];
  if (keyCount === 0 || keyEnd - keyStart < keyCount * 2) return undefined;
  // The keys, as far as the head holds them: a length and that many printable bytes, ending where values start.
  let at = keyStart;
  const names: string[] = [];
  for (let i = 0; i < keyCount && at < h.length; i++) {
    const v = nibVarint(h, at);
    if (!v || v[0] === 0 || v[0] > 1024) return undefined;
    const name = ascii(h, v[1], v[1] + v[0]);
    if (v[1] + v[0] <= h.length && !/^[\x20-\x7e]+$/.test(name)) return undefined;
    if (names.length < 3) names.push(name);
    at = v[1] + v[0];
  }
  if (at <= h.length && at !== keyEnd) return undefined;
  return plain('opaque', {
    id: 'apple-nib-archive',
    name: 'Compiled Interface Builder file (NIBArchive)',
    confidence: 0.92,
    code: 'NIB_ARCHIVE_SECTIONS',
    message:
      `"NIBArchive" version 1, coder ${coder}: ${sections[0]![0]} objects, ${keyCount} keys (${names.map((n) => `"${n}"`).join(', ')}…), ` +
      `${sections[2]![0]} values and ${sections[3]![0]} classes, each section inside the file and in order: UIKit's compiled user interface, read by no general tool.`,
    figures: { objects: sections[0]![0], keys: keyCount, values: sections[2]![0], classes: sections[3]![0] },
  });
}

function metallib(probe: Probe): Detection | undefined {
  const h = probe.head;
  const size = u64le(h, 16);
  const listAt = u64le(h, 24);
  const listSize = u64le(h, 32);
  if (size !== probe.size || listAt === undefined || listSize === undefined) return undefined;
  if (listAt < 88 || listSize < 8 || listAt + listSize > probe.size) return undefined;
  const functions = u32le(h, listAt);
  if (listAt + 12 <= h.length && ascii(h, listAt + 8, listAt + 12) !== 'NAME') return undefined;
  return plain('opaque', {
    id: 'apple-metallib',
    name: 'Metal shader library (metallib)',
    confidence: 0.9,
    code: 'METALLIB_HEADER',
    message:
      `"MTLB" with its size field equal to the file's (${probe.size} bytes) and a function list of ` +
      `${functions ?? '?'} entries at ${listAt} inside it: compiled GPU shaders (AIR bitcode), read by no general tool.`,
    figures: { functions: functions ?? -1 },
  });
}

/** The boxes tiling [from, to): their types, or undefined when a size breaks the chain. */
function boxes(h: Uint8Array, from: number, to: number): Map<string, [number, number]> | undefined {
  const found = new Map<string, [number, number]>();
  let at = from;
  while (at < to) {
    const size = u32be(h, at);
    const type = ascii(h, at + 4, at + 8);
    if (size === undefined || size < 8 || at + size > to || !/^[\x20-\x7e]{4}$/.test(type)) return undefined;
    found.set(type, [at + 8, at + size]);
    at += size;
  }
  return found;
}

/**
 * The sinf boxes one after another from the start: how many, and where the last ends. The chain has no end marker:
 * where a box that is no sinf box begins, only NULs or text may follow (`appendedAfterRecords`: a copy's byte,
 * slack, a carve into a log), and those are set aside; any other byte refuses the file.
 */
function sinfChain(probe: Probe): { count: number; end: number } | undefined {
  const h = probe.head;
  let at = 0;
  let count = 0;
  while (at < h.length) {
    const size = u32be(h, at);
    if (size === undefined || size < 16 || at + size > h.length || ascii(h, at + 4, at + 8) !== 'sinf') break;
    at += size;
    count++;
  }
  if (count === 0 || (at !== h.length && !appendedAfterRecords(probe, at))) return undefined;
  return { count, end: at };
}

function sinf(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (!probe.complete) return undefined;
  // One sinf box per protected slice, one after another to the end of the file.
  const chain = sinfChain(probe);
  if (!chain) return undefined;
  const count = chain.count;
  const top = boxes(h, 8, u32be(h, 0)!);
  const schi = top?.get('schi');
  if (!top?.has('frma') || !top.has('schm') || !schi) return undefined;
  const inner = boxes(h, schi[0], schi[1]);
  const priv = inner?.get('priv');
  if (!priv) return undefined;
  const scheme = ascii(h, top.get('schm')![0] + 4, top.get('schm')![0] + 8);
  const user = inner?.get('user') ? u32be(h, inner.get('user')![0]) : undefined;
  return notingZeroPadding(
    locked({
      id: 'apple-fairplay-sinf',
      name: 'FairPlay protection info (SC_Info .sinf)',
      confidence: 0.93,
      code: 'FAIRPLAY_SINF_BOXES',
      message:
        `${count > 1 ? `${count} "sinf" boxes` : 'A "sinf" box'} ${chain.end === probe.size ? 'spanning the file' : `filling its first ${chain.end} bytes`}, the first one's frma, schm (scheme "${scheme}") and schi boxes tiling it; schi holds ` +
        `"priv", ${priv[1] - priv[0]} bytes of key material encrypted for the buying account` +
        `${user !== undefined ? ` (user id ${user}, clear)` : ''}.`,
      figures: { sinfBoxes: count, privBytes: priv[1] - priv[0] },
      scheme: 'fairplay-sinf',
      keyHint: FAIRPLAY_ACCOUNT,
    }),
    afterStructureEnd(probe, chain.end),
    'the boxes before them',
  );
}

export const appleAppFilesDetector = defineDetector({
  meta: {
    id: 'apple-app-files',
    version: '1.1.0',
    title: 'iOS app bundle files: compiled NIBs, Metal libraries, FairPlay .sinf',
    formats: [
      {
        id: 'apple-nib-archive',
        name: 'Compiled Interface Builder file (NIBArchive)',
        status: 'opaque',
        how: 'structure',
        extensions: ['nib'],
      },
      {
        id: 'apple-metallib',
        name: 'Metal shader library (metallib)',
        status: 'opaque',
        how: 'structure',
        extensions: ['metallib'],
      },
      {
        id: 'apple-fairplay-sinf',
        name: 'FairPlay protection info (SC_Info .sinf)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['sinf'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'NIBArchive' },
    { offset: 0, ascii: 'MTLB' },
    { offset: 4, ascii: 'sinf' },
  ],
  minSize: 40,
  priority: 30,
  detect(probe): Detection | undefined {
    const magic = ascii(probe.head, 0, 4);
    if (magic === 'NIBA') return nib(probe);
    if (magic === 'MTLB') return metallib(probe);
    return sinf(probe);
  },
});
