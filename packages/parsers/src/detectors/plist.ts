/**
 * Apple property lists: binary (`bplist00`) and XML (`<plist` after an
 * optional XML declaration and DOCTYPE).
 * Reference: CFBinaryPList.c (bplist00 layout); Apple's PropertyList-1.0.dtd.
 */
import { defineDetector } from '@evtriage/core/contract';
import { randomAfterHeader } from './random-body.js';
import { startsWith, textInfo, u64be } from './util.js';

/** False when the first byte after ASCII whitespace is an ASCII byte other than '<'. */
function mayOpenWithTag(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || (head[i]! >= 0x09 && head[i]! <= 0x0d))) i++;
  return i >= head.length || head[i] === 0x3c || head[i]! >= 0x80;
}

/**
 * The 32-byte trailer at the end of a binary plist (CFBinaryPList.c): offset and reference sizes of 1, 2, 4 or 8
 * bytes, a top object among the objects, and the offset table inside the file after the 8-byte header.
 */
function bplistTrailerHolds(probe: { head: Uint8Array; tail: Uint8Array; size: number; complete: boolean }): boolean {
  const end = probe.complete ? probe.head : probe.tail;
  if (probe.size < 40 || end.length < 32) return false;
  const t = end.subarray(end.length - 32);
  const sizes = [1, 2, 4, 8];
  if (!sizes.includes(t[6]!) || !sizes.includes(t[7]!)) return false;
  const objects = u64be(t, 8) ?? 0;
  const top = u64be(t, 16) ?? Number.MAX_SAFE_INTEGER;
  const table = u64be(t, 24) ?? 0;
  return objects > 0 && top < objects && table >= 8 && table + objects * t[6]! <= probe.size - 32;
}

/**
 * A prolog, comments and a plist DOCTYPE before the <plist> root. A comment's body cannot hold `-->`: with a lazy
 * `[\s\S]*?` body inside the repeated group, a run of comments not followed by <plist> could be split 2^n ways
 * (40 comments, 311 bytes, held the detector past its 15-second deadline).
 */
const XML_PLIST_ROOT = /^\s*(<\?xml[^>]*>\s*)?(<!--(?:[^-]|-(?!->))*-->\s*)*(<!DOCTYPE\s+plist[^>]*>\s*)?<plist[\s>]/;

export const plistDetector = defineDetector({
  meta: {
    id: 'plist',
    version: '1.0.0',
    title: 'Apple property lists (binary and XML)',
    formats: [
      {
        id: 'bplist',
        name: 'Binary property list',
        status: 'analysable',
        how: 'signature',
        mime: 'application/x-bplist',
        extensions: ['plist', 'bplist', 'strings', 'nib', 'mobileconfig'],
      },
      {
        id: 'xml-plist',
        name: 'XML property list',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-plist',
        extensions: ['plist', 'xml', 'mobileconfig', 'strings'],
      },
    ],
  },
  priority: 10,
  // The binary magic, or a <plist> element in the head (UTF-8, or UTF-16 either way round).
  signatures: [
    { offset: 0, ascii: 'bplist0' },
    { offset: 0, ascii: '<plist', within: Number.MAX_SAFE_INTEGER },
    { offset: 0, hex: '3c0070006c00690073007400', within: Number.MAX_SAFE_INTEGER },
    { offset: 0, hex: '003c0070006c006900730074', within: Number.MAX_SAFE_INTEGER },
  ],
  detect(probe) {
    if (startsWith(probe.head, 'bplist0')) {
      const version = Buffer.from(probe.head.subarray(6, 8)).toString('latin1');
      // The magic before uniformly random bytes and no trailer that holds (ciphertext or an overwrite): the
      // fallbacks judge them. A plist cut short stays one, for the parsers to say what is wrong.
      if (version !== '00' || (!bplistTrailerHolds(probe) && randomAfterHeader(probe))) return undefined;
      return {
        format: { id: 'bplist', name: 'Binary property list', mime: 'application/x-bplist' },
        status: 'analysable',
        confidence: 0.98,
        reasons: [{ code: 'BPLIST_MAGIC', message: `"bplist${version}" magic at offset 0.`, figures: { version } }],
      };
    }
    // Fast exit, same answer: after ASCII whitespace the root must open with '<'; any other
    // ASCII byte there cannot match the pattern below (non-ASCII, e.g. a BOM, takes the full path).
    if (!mayOpenWithTag(probe.head)) return undefined;
    const text = textInfo(probe.head.subarray(0, 4096));
    if (text && XML_PLIST_ROOT.test(text.text)) {
      return {
        format: { id: 'xml-plist', name: 'XML property list', mime: 'application/x-plist' },
        status: 'analysable',
        confidence: 0.97,
        reasons: [{ code: 'XML_PLIST_ROOT', message: 'XML document whose root element is <plist>.' }],
      };
    }
    return undefined;
  },
});
