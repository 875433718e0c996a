/**
 * A bounded reader of BER trees (DER is a subset): definite and indefinite
 * lengths, end-of-contents octets, and constructed OCTET STRINGs whose chunks
 * are joined. For structures that some writers emit in BER (PKCS#12 by NSS and
 * Windows, CMS): every read stays inside the bytes and the nesting is limited.
 * Reference: ITU-T X.690 §8.1 (encoding), §8.1.3.6 (indefinite form), §8.7.3 (constructed strings).
 */
import { berTlv } from '../detectors/util.js';

export interface BerNode {
  tag: number;
  /** Where the contents start. */
  start: number;
  /** Where the contents end (before the end-of-contents octets of an indefinite length). */
  contentEnd: number;
  /** Where the element ends. */
  end: number;
}

const MAX_DEPTH = 32;
const MAX_CHILDREN = 100_000;

/** The element at `at` within `limit`, its indefinite length resolved by walking to its end-of-contents octets. */
export function berNode(b: Uint8Array, at: number, limit = b.length, depth = 0): BerNode | undefined {
  if (depth > MAX_DEPTH || at >= limit) return undefined;
  const h = berTlv(b, at);
  if (!h) return undefined;
  if (h.end !== undefined)
    return h.end <= limit ? { tag: h.tag, start: h.start, contentEnd: h.end, end: h.end } : undefined;
  // Indefinite: children until 00 00.
  let p = h.start;
  for (let n = 0; n < MAX_CHILDREN; n++) {
    if (p + 2 > limit) return undefined;
    if (b[p] === 0 && b[p + 1] === 0) return { tag: h.tag, start: h.start, contentEnd: p, end: p + 2 };
    const child = berNode(b, p, limit, depth + 1);
    if (!child) return undefined;
    p = child.end;
  }
  return undefined;
}

/** The children of a constructed element, in order. */
export function berChildren(b: Uint8Array, node: BerNode, depth = 0): BerNode[] {
  const out: BerNode[] = [];
  for (let p = node.start; p < node.contentEnd && out.length < MAX_CHILDREN;) {
    const child = berNode(b, p, node.contentEnd, depth + 1);
    if (!child) break;
    out.push(child);
    p = child.end;
  }
  return out;
}

/** An OCTET STRING's contents: the bytes of a primitive one, the joined chunks of a constructed one. */
export function berOctets(b: Uint8Array, node: BerNode, depth = 0): Buffer | undefined {
  if (node.tag === 0x04) return Buffer.from(b.subarray(node.start, node.contentEnd));
  if (node.tag !== 0x24 || depth > MAX_DEPTH) return undefined;
  const parts: Buffer[] = [];
  for (const child of berChildren(b, node, depth)) {
    const part = berOctets(b, child, depth + 1);
    if (!part) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts);
}
