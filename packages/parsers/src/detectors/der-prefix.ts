/**
 * Reading the prefix of a DER/BER structure whose outer length runs past the end of the file (a file cut
 * short: carved, half-downloaded, truncated). Elements are read as far as the bytes go; a declared length
 * may run past the cut only for an element that encloses the cut (each child must end within its parent's
 * declared end, and the element that crosses the cut is the last one read at its level).
 * Used by `pkcs12` (PFX cut short), `cms` (ContentInfo cut short, also inside its recipient infos) and
 * `der-keys` (EncryptedPrivateKeyInfo cut short).
 */
import { berTlv } from './util.js';

/** One element read from a prefix: `end` is clipped to the bytes there; `declaredEnd` is what its header says. */
export interface PrefixNode {
  /** Where its header begins. */
  at: number;
  tag: number;
  start: number;
  /** Where its content stops within the bytes held (the declared end, or the cut, or an end-of-contents). */
  end: number;
  /** The declared end; undefined for an indefinite (BER) length. */
  declaredEnd?: number;
  /** True when the element's declared end (or its missing end-of-contents) lies past the bytes held. */
  cut: boolean;
}

const MAX_CHILDREN = 256;

/**
 * What the zero-padding note (`zeroPaddingNote`) says was judged when NULs follow a whole DER element: its outer
 * length says where it ends, so the NULs after it are set aside (`zeroPaddingAfter`).
 */
export const DER_JUDGED = 'the DER element before them (its outer length ends where they start)';

/**
 * Whether the children of the element whose content is `start`..`end` fill it exactly, none of them a zero
 * tag (end-of-contents, which DER never writes). Asked before NULs after an element are called padding: a file
 * cut short and then padded (a carve) has zeros inside its outer element too, and they read as zero tags.
 */
export function childrenFill(b: Uint8Array, start: number, end: number): boolean {
  let at = start;
  for (let n = 0; at < end && n < MAX_CHILDREN; n++) {
    const c = prefixNode(b, at, end);
    if (!c || c.tag === 0 || c.cut || c.declaredEnd === undefined) return false;
    at = c.end;
  }
  return at === end;
}

/** The element at `at` within `b`, clipped to `limit` (its parent's content end); undefined when malformed. */
export function prefixNode(b: Uint8Array, at: number, limit: number = b.length): PrefixNode | undefined {
  const e = berTlv(b.subarray(0, limit), at);
  if (!e || (e.tag & 0x1f) === 0x1f) return undefined;
  if (e.end === undefined) return { at, tag: e.tag, start: e.start, end: limit, cut: limit >= b.length };
  return { at, tag: e.tag, start: e.start, end: Math.min(e.end, limit), declaredEnd: e.end, cut: e.end > limit };
}

/**
 * The children of `parent` present in the bytes: stops at an end-of-contents (indefinite length), at the
 * parent's end, or after a child that crosses the cut. A child may cross only a cut that the parent crosses
 * too (a child running past a parent that ends within the bytes is malformed: undefined).
 */
export function prefixChildren(b: Uint8Array, parent: PrefixNode): PrefixNode[] | undefined {
  const out: PrefixNode[] = [];
  let at = parent.start;
  while (at < parent.end && out.length < MAX_CHILDREN) {
    if (parent.declaredEnd === undefined && b[at] === 0 && b[at + 1] === 0) return out;
    if (at + 2 > parent.end) return parent.cut ? out : undefined;
    const c = prefixNode(b, at, parent.end);
    if (!c) return parent.cut && headerCut(b, at, parent.end) ? out : undefined;
    if (c.cut && !parent.cut) return undefined;
    out.push(c);
    if (c.cut || c.declaredEnd === undefined) return out;
    at = c.end;
  }
  return out;
}

/** A header that would be read if the bytes went on (its length bytes lie past the cut). */
function headerCut(b: Uint8Array, at: number, limit: number): boolean {
  const first = b[at + 1];
  return first === undefined || (first > 0x80 && first <= 0x84 && at + 2 + (first & 0x7f) > limit);
}

/**
 * An OCTET STRING's value bytes as far as they go: a primitive one (DER) is a view; a constructed one (BER,
 * as NSS writes) is its primitive chunks joined. Undefined when it is neither.
 */
export function prefixOctets(b: Uint8Array, node: PrefixNode): Uint8Array | undefined {
  if (node.tag === 0x04) return b.subarray(node.start, node.end);
  if (node.tag !== 0x24) return undefined;
  const chunks = prefixChildren(b, node);
  if (!chunks || chunks.some((c) => c.tag !== 0x04)) return undefined;
  return Buffer.concat(chunks.map((c) => b.subarray(c.start, c.end)));
}

/** An OID's value bytes as hex, when the node is a whole OID. */
export function oidHex(b: Uint8Array, node: PrefixNode | undefined): string | undefined {
  if (!node || node.tag !== 0x06 || node.cut || node.end - node.start > 32) return undefined;
  return Buffer.from(b.subarray(node.start, node.end)).toString('hex');
}
