/**
 * CUPS job control files (the spool's `c#####` files) and other saved IPP
 * messages: an IPP version, an operation or status code, a request id, then
 * attribute groups of typed, named values ended by the end-of-attributes
 * tag. Print-system metadata (who printed what, where, when) that only an IPP
 * decoder reads: opaque, named so that statistics never decide it.
 * References: RFC 8010 §3 (message encoding: delimiter tags 0x01-0x0F, value
 * tags, lengths of fixed-size values); libyal/dtformats "CUPS Internet
 * Printing Protocol format".
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16be, u32be } from './util.js';

const END_OF_ATTRIBUTES = 0x03;
/** Value tags whose value has a fixed length (RFC 8010 §3.9): integer, boolean, enum, dateTime, resolution, rangeOfInteger. */
const FIXED_LENGTHS = new Map([
  [0x21, 4],
  [0x22, 1],
  [0x23, 4],
  [0x31, 11],
  [0x32, 9],
  [0x33, 8],
]);
/** Attributes an unended walk must have read before a head that ends mid-message is believed. */
const MIN_ATTRIBUTES_IN_HEAD = 8;

interface Walk {
  attributes: number;
  groups: number;
  /** The offset past the end-of-attributes tag, or undefined when the head ended first. */
  end?: number;
}

/** Walks the attribute groups; undefined when a tag or length breaks the encoding. */
function walkAttributes(h: Uint8Array): Walk | undefined {
  const walk: Walk = { attributes: 0, groups: 0 };
  let at = 8;
  let named = false;
  while (at < h.length) {
    const tag = h[at]!;
    if (tag <= 0x0f) {
      // A delimiter: a group begins (0x01, 0x02, 0x04-0x0F) or the attributes end; 0x00 is reserved.
      if (tag === 0x00) return undefined;
      at++;
      if (tag === END_OF_ATTRIBUTES) return { ...walk, end: at };
      walk.groups++;
      named = false;
      continue;
    }
    // A value: tag, name length, name, value length, value. Only the first value of an attribute is named.
    if (walk.groups === 0 || (tag > 0x4a && tag !== 0x7f)) return undefined;
    const nameLength = u16be(h, at + 1);
    if (nameLength === undefined) break;
    if (nameLength === 0 && !named) return undefined;
    const valueLength = u16be(h, at + 3 + nameLength);
    if (valueLength === undefined) break;
    const fixed = FIXED_LENGTHS.get(tag);
    if (fixed !== undefined && valueLength !== fixed) return undefined;
    for (let i = at + 3; i < Math.min(h.length, at + 3 + nameLength); i++)
      if (h[i]! < 0x20 || h[i]! > 0x7e) return undefined;
    named = true;
    walk.attributes++;
    at += 5 + nameLength + valueLength;
  }
  return walk;
}

function ippMessage(probe: Probe): Detection | undefined {
  const h = probe.head;
  const major = h[0]!;
  const minor = h[1]!;
  const code = u16be(h, 2) ?? 0;
  const request = u32be(h, 4) ?? 0;
  // Versions 1.0, 1.1 and 2.0-2.2; the first group is the operation attributes (RFC 8010 §3.1.1).
  if (!((major === 1 && minor <= 1) || (major === 2 && minor <= 2)) || h[8] !== 0x01 || request === 0) return undefined;
  const walk = walkAttributes(h);
  if (!walk || walk.attributes === 0) return undefined;
  // A control file ends at the end tag. A head that ends mid-message, or a message followed by other bytes
  // (a Print-Job request's document), must have shown enough attributes.
  if (walk.end === undefined && probe.size <= h.length) return undefined;
  if (walk.end !== probe.size && walk.attributes < MIN_ATTRIBUTES_IN_HEAD) return undefined;
  return plain('opaque', {
    id: 'cups-ipp',
    name: 'IPP message (CUPS job control file)',
    confidence: 0.9,
    code: 'IPP_ATTRIBUTE_GROUPS',
    message: `IPP ${major}.${minor} message (operation or status 0x${code.toString(16).padStart(4, '0')}, request ${request}) whose ${walk.attributes} attribute(s) in ${walk.groups} group(s) decode${walk.end === undefined ? ' as far as the head goes' : ' to the end-of-attributes tag'}: print-job metadata for an IPP decoder; not encrypted.`,
    figures: { version: `${major}.${minor}`, operation: code, attributes: walk.attributes },
  });
}

export const printSpoolDetector = defineDetector({
  meta: {
    id: 'print-spool',
    version: '1.0.0',
    title: 'CUPS job control files (IPP messages)',
    formats: [{ id: 'cups-ipp', name: 'IPP message (CUPS job control file)', status: 'opaque', how: 'structure' }],
  },
  minSize: 12,
  priority: 30,
  signatures: [
    { offset: 0, hex: '0100' },
    { offset: 0, hex: '0101' },
    { offset: 0, hex: '0200' },
    { offset: 0, hex: '0201' },
    { offset: 0, hex: '0202' },
  ],
  detect(probe): Detection | undefined {
    return ippMessage(probe);
  },
});
