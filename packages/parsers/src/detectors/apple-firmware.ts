/**
 * Apple firmware files as IPSWs, OTA updates and a device's preboot volume
 * keep them:
 *
 * - IMG4 containers and their parts, all DER: an IM4P payload (SEQUENCE of
 *   IA5String "IM4P", a four-letter type such as `krnl` or `ibot`, a
 *   description, the payload OCTET STRING, then optionally a keybag OCTET
 *   STRING and compression facts), an IM4M manifest (the signed APTicket or
 *   SHSH blob), and IMG4 wrapping an IM4P with its IM4M. An IM4P whose keybag
 *   is present holds ciphertext: the keybag is a SEQUENCE of (type, IV, key)
 *   wrapped by the SoC's GID key, which never leaves the chip.
 * - dyld shared caches (`dyld_v1` and the architecture, then the table of
 *   mappings): the system's libraries linked together, readable.
 *
 * The DER checks are strict (definite minimal lengths via derTlv, the outer
 * length equal to the file's size), so random bytes do not pass.
 * References: the IMG4 layout as published by the iPhone Wiki ("IMG4 File
 * Format") and implemented by img4lib and blacktop/ipsw's img4 package;
 * dyld's dyld_cache_format.h (dyld_cache_header, dyld_cache_mapping_info).
 * Fixtures are written from those layouts (fixtures/apple-firmware/generate.py):
 * no program on Debian writes them.
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import {
  afterStructureEnd,
  ascii,
  derTlv,
  locked,
  notingZeroPadding,
  plain,
  startsWith,
  u32le,
  u64le,
  type Tlv,
} from './util.js';

const GID_KEY: KeyHint = {
  description:
    "The device SoC's GID key unwraps the keybag's IV and key; it is fused into the application processor and " +
    'never in a file dump (decryption keys published for some firmware, or a device with a bootrom exploit, open it).',
  kind: 'hardware',
  present: 'no',
};

/** The bytes of the file from `offset` on, where the probe read them (head or tail), else undefined. */
function bytesAt(probe: Probe, offset: number): { b: Uint8Array; at: number } | undefined {
  if (offset < probe.head.length) return { b: probe.head, at: offset };
  const tailStart = probe.size - probe.tail.length;
  if (probe.tail.length > 0 && offset >= tailStart) return { b: probe.tail, at: offset - tailStart };
  return undefined;
}

/** A DER element at file offset `offset` whose header lies in what the probe read; its offsets made absolute. */
function elementAt(probe: Probe, offset: number): Tlv | undefined {
  const place = bytesAt(probe, offset);
  if (!place) return undefined;
  const t = derTlv(place.b, place.at, true);
  if (!t) return undefined;
  const shift = offset - place.at;
  return { tag: t.tag, start: t.start + shift, end: t.end + shift };
}

function ia5(probe: Probe, t: Tlv | undefined, max = 256): string | undefined {
  if (!t || t.tag !== 0x16 || t.end - t.start > max) return undefined;
  const place = bytesAt(probe, t.start);
  if (!place || place.at + (t.end - t.start) > place.b.length) return undefined;
  const text = ascii(place.b, place.at, place.at + (t.end - t.start));
  return /^[\x20-\x7e]*$/.test(text) ? text : undefined;
}

/** A keybag: SEQUENCE OF SEQUENCE { INTEGER type, OCTET STRING iv (16), OCTET STRING key (16/24/32) }; the key length. */
function keybag(b: Uint8Array, start: number, end: number): { bags: number; keyBytes: number } | undefined {
  const list = derTlv(b.subarray(0, end), start);
  if (!list || list.tag !== 0x30 || list.end !== end) return undefined;
  let bags = 0;
  let keyBytes = 0;
  for (let at = list.start; at < end; bags++) {
    const bag = derTlv(b.subarray(0, end), at);
    if (!bag || bag.tag !== 0x30) return undefined;
    const type = derTlv(b.subarray(0, bag.end), bag.start);
    const iv = type && derTlv(b.subarray(0, bag.end), type.end);
    const key = iv && derTlv(b.subarray(0, bag.end), iv.end);
    if (!type || type.tag !== 0x02 || !iv || iv.tag !== 0x04 || iv.end - iv.start !== 16) return undefined;
    if (!key || key.tag !== 0x04 || ![16, 24, 32].includes(key.end - key.start) || key.end !== bag.end)
      return undefined;
    keyBytes = key.end - key.start;
    at = bag.end;
  }
  return bags > 0 ? { bags, keyBytes } : undefined;
}

interface Im4p {
  type: string;
  description: string;
  payloadBytes: number;
  /** The elements after the payload: the keybag's facts, 'none' when they hold none, undefined when not read. */
  kbag: { bags: number; keyBytes: number } | 'none' | undefined;
}

/** The IM4P that the SEQUENCE `seq` holds (offsets in the file). */
function im4p(probe: Probe, seq: Tlv): Im4p | undefined {
  const magic = elementAt(probe, seq.start);
  if (ia5(probe, magic, 4) !== 'IM4P') return undefined;
  const typeTlv = elementAt(probe, magic!.end);
  const type = ia5(probe, typeTlv, 4);
  const descTlv = typeTlv && elementAt(probe, typeTlv.end);
  const description = ia5(probe, descTlv);
  const payload = descTlv && elementAt(probe, descTlv.end);
  if (type === undefined || type.length !== 4 || description === undefined) return undefined;
  if (!payload || payload.tag !== 0x04 || payload.end > seq.end) return undefined;
  let kbag: Im4p['kbag'] = 'none';
  for (let at = payload.end; at < seq.end;) {
    const place = bytesAt(probe, at);
    const t = place && derTlv(place.b, place.at);
    if (!place || !t) {
      kbag = undefined;
      break;
    }
    const found = t.tag === 0x04 ? keybag(place.b, t.start, t.end) : undefined;
    if (found) kbag = found;
    at += t.end - place.at;
  }
  return { type, description, payloadBytes: payload.end - payload.start, kbag };
}

function im4pVerdict(p: Im4p, container: 'IM4P' | 'IMG4'): Detection {
  const what = `${container === 'IMG4' ? 'IMG4 container whose ' : ''}IM4P payload "${p.type}" (${p.description || 'no description'}), ${p.payloadBytes} bytes`;
  const figures = { type: p.type, payloadBytes: p.payloadBytes };
  const id = container === 'IMG4' ? 'img4' : 'im4p';
  if (typeof p.kbag === 'object') {
    const bits = p.kbag.keyBytes * 8;
    return locked({
      id: `${id}-encrypted`,
      name: `Apple ${container} firmware payload, encrypted`,
      confidence: 0.95,
      code: 'IM4P_KEYBAG',
      message: `${what}, followed by a keybag of ${p.kbag.bags} wrapped IV and AES-${bits} key pair(s): the payload is encrypted (AES-${bits}-CBC).`,
      figures: { ...figures, keybags: p.kbag.bags },
      scheme: `img4-aes-${bits}-cbc`,
      keyHint: GID_KEY,
    });
  }
  return plain('analysable', {
    id,
    name: `Apple ${container} firmware payload`,
    confidence: 0.93,
    code: 'IM4P_PLAIN',
    message: `${what}, with no keybag: the payload is not encrypted.`,
    figures,
  });
}

/**
 * The outer DER SEQUENCE says where the container ends: bytes after it (a copy's line feed or NUL, slack, a carve
 * that ran on) are no part of it, and are set aside and named.
 */
function img4Family(probe: Probe): Detection | undefined {
  const outer = derTlv(probe.head, 0, true);
  if (!outer || outer.tag !== 0x30 || outer.end > probe.size) return undefined;
  return notingZeroPadding(
    img4Element(probe, outer),
    afterStructureEnd(probe, outer.end),
    'the DER container before them',
  );
}

function img4Element(probe: Probe, outer: Tlv): Detection | undefined {
  const magic = ia5(probe, derTlv(probe.head, outer.start), 4);
  if (magic === 'IM4P') {
    const p = im4p(probe, outer);
    return p && p.kbag !== undefined ? im4pVerdict(p, 'IM4P') : undefined;
  }
  if (magic === 'IMG4') {
    const inner = derTlv(probe.head, derTlv(probe.head, outer.start)!.end, true);
    if (!inner || inner.tag !== 0x30 || inner.end > outer.end) return undefined;
    const p = im4p(probe, inner);
    // Behind the payload an IMG4 also holds its manifest: when that pushes the keybag out of the bytes read, the
    // payload's encryption is not known and no verdict is given.
    return p && p.kbag !== undefined ? im4pVerdict(p, 'IMG4') : undefined;
  }
  if (magic === 'IM4M') {
    const version = derTlv(probe.head, derTlv(probe.head, outer.start)!.end);
    const body = version && derTlv(probe.head, version.end, true);
    if (!version || version.tag !== 0x02 || !body || body.tag !== 0x31) return undefined;
    return plain('analysable', {
      id: 'im4m',
      name: 'Apple IMG4 manifest (IM4M, APTicket/SHSH)',
      confidence: 0.93,
      code: 'IM4M_MANIFEST',
      message: `IM4M manifest: DER SEQUENCE of "IM4M", a version and a SET of signed properties spanning ${outer.end} bytes.`,
    });
  }
  return undefined;
}

const DYLD_MAGIC = /^dyld_v1 +[a-z0-9_]+$/;

function dyldCache(probe: Probe): Detection | undefined {
  const h = probe.head;
  const magic = ascii(h, 0, 15);
  const mappingOffset = u32le(h, 16);
  const mappingCount = u32le(h, 20);
  if (h[15] !== 0 || !DYLD_MAGIC.test(magic) || mappingOffset === undefined || mappingCount === undefined)
    return undefined;
  // The header is at least its first fields long; the table of 32-byte mappings follows it and must be read.
  if (mappingOffset < 0x20 || mappingOffset > 0x400 || mappingCount < 1 || mappingCount > 64) return undefined;
  if (mappingOffset + 32 * mappingCount > h.length) return undefined;
  for (let i = 0; i < mappingCount; i++) {
    const at = mappingOffset + 32 * i;
    const fileOffset = u64le(h, at + 16);
    const maxProt = u32le(h, at + 24)!;
    const initProt = u32le(h, at + 28)!;
    // Protections are VM_PROT bits (read 1, write 2, execute 4); the first mapping starts at the header.
    if (fileOffset === undefined || maxProt > 7 || initProt > 7 || (initProt & ~maxProt) !== 0) return undefined;
    if (i === 0 && fileOffset !== 0) return undefined;
  }
  const arch = magic.replace(/^dyld_v1 +/, '');
  return plain('analysable', {
    id: 'dyld-shared-cache',
    name: 'dyld shared cache',
    confidence: 0.93,
    code: 'DYLD_CACHE_HEADER',
    message: `"${magic}" header with ${mappingCount} mapping(s) whose protections and first file offset hold: Apple's linked system libraries for ${arch}.`,
    figures: { arch, mappings: mappingCount },
  });
}

export const appleFirmwareDetector = defineDetector({
  meta: {
    id: 'apple-firmware',
    version: '1.1.0',
    title: 'Apple firmware: IMG4/IM4P/IM4M containers (keybag-encrypted payloads) and dyld shared caches',
    formats: [
      { id: 'im4p', name: 'Apple IM4P firmware payload', status: 'analysable', how: 'structure', extensions: ['im4p'] },
      {
        id: 'im4p-encrypted',
        name: 'Apple IM4P firmware payload, encrypted',
        status: 'encrypted',
        how: 'structure',
        extensions: ['im4p'],
      },
      { id: 'img4', name: 'Apple IMG4 firmware payload', status: 'analysable', how: 'structure', extensions: ['img4'] },
      {
        id: 'img4-encrypted',
        name: 'Apple IMG4 firmware payload, encrypted',
        status: 'encrypted',
        how: 'structure',
        extensions: ['img4'],
      },
      {
        id: 'im4m',
        name: 'Apple IMG4 manifest (IM4M, APTicket/SHSH)',
        status: 'analysable',
        how: 'structure',
        extensions: ['im4m', 'der', 'shsh2'],
      },
      { id: 'dyld-shared-cache', name: 'dyld shared cache', status: 'analysable', how: 'header-field' },
    ],
  },
  signatures: [
    { offset: 4, ascii: 'IM4P', within: 4 },
    { offset: 4, ascii: 'IMG4', within: 4 },
    { offset: 4, ascii: 'IM4M', within: 4 },
    { offset: 0, ascii: 'dyld_v1 ' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    return startsWith(probe.head, 'dyld_v1 ') ? dyldCache(probe) : img4Family(probe);
  },
});
