/**
 * A structural check of a binary plist (`bplist00`) before it is decoded.
 * The `plist` package's binary decoder follows object references as it finds
 * them, so a hostile file hangs or exhausts memory: a reference cycle recurses
 * without end, and a chain of arrays that each hold the next one twice expands
 * to 2^n nodes (measured: 40 objects of 3 bytes took the scan to a 4 GB heap
 * and a crash). This check walks the object table once, without decoding
 * values, and refuses what cannot be decoded in bounded time and memory:
 * references out of range, cycles, nesting deeper than `maxDepth`, and a
 * decoded tree of more than `maxNodes` nodes (shared references counted each
 * time they are expanded, as the decoder will).
 *
 * Format: CoreFoundation CFBinaryPList.c (Apple open source): an 8-byte
 * header, the objects, an offset table, and a 32-byte trailer holding the
 * offset size, reference size, object count, top object and table offset.
 */

/** Budgets for a binary plist, with units. */
export interface BplistLimits {
  /** Objects in the object table, at most. */
  maxObjects: number;
  /** Nodes of the decoded tree (containers, keys and values), at most. */
  maxNodes: number;
  /** Nesting of arrays and dictionaries, at most. */
  maxDepth: number;
}

export const DEFAULT_BPLIST_LIMITS: Readonly<BplistLimits> = Object.freeze({
  maxObjects: 1_000_000,
  maxNodes: 2_000_000,
  maxDepth: 256,
});

/** A binary plist that is malformed or over a budget; the message says which. */
export class PlistStructureError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PlistStructureError';
    this.code = code;
  }
}

function uint(b: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[at + i]!;
  return v;
}

/**
 * Throws a `PlistStructureError` unless the binary plist can be decoded in
 * bounded time and memory.
 *
 * @example
 * checkBinaryPlist(bytes); // then parseBinary(bytes) is safe
 */
export function checkBinaryPlist(b: Uint8Array, limits: BplistLimits = DEFAULT_BPLIST_LIMITS): void {
  const bad = (code: string, message: string): never => {
    throw new PlistStructureError(code, `binary plist: ${message}`);
  };
  const len = b.length;
  if (len < 8 + 32) bad('PLIST_TRUNCATED', `${len} bytes is too short for a header and a trailer`);
  const t = len - 32;
  const offsetSize = b[t + 6]!;
  const refSize = b[t + 7]!;
  if (![1, 2, 4, 8].includes(offsetSize)) bad('PLIST_BAD_TRAILER', `offset size ${offsetSize} is not 1, 2, 4 or 8`);
  if (![1, 2, 4, 8].includes(refSize)) bad('PLIST_BAD_TRAILER', `reference size ${refSize} is not 1, 2, 4 or 8`);
  const count = uint(b, t + 8, 8);
  const top = uint(b, t + 16, 8);
  const tableAt = uint(b, t + 24, 8);
  if (count < 1) bad('PLIST_BAD_TRAILER', 'no objects');
  if (count > limits.maxObjects) bad('PLIST_LIMIT', `${count} objects is over the limit of ${limits.maxObjects}`);
  if (top >= count) bad('PLIST_BAD_REFERENCE', `top object ${top} is out of range (${count} objects)`);
  if (tableAt < 8 || tableAt + count * offsetSize > t)
    bad('PLIST_BAD_TRAILER', `the offset table (${count} x ${offsetSize} bytes at ${tableAt}) lies outside the file`);

  // Per object: its children (references), read lazily.
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = uint(b, tableAt + i * offsetSize, offsetSize);
    if (o < 8 || o >= tableAt) bad('PLIST_BAD_OFFSET', `object ${i} starts at ${o}, outside the object area`);
    offsets[i] = o;
  }
  const children = (i: number): number[] => {
    let at = offsets[i]!;
    const marker = b[at]!;
    const type = marker >> 4;
    let size = marker & 0x0f;
    at++;
    if (type !== 0 && type !== 1 && type !== 2 && type !== 3 && type !== 8 && size === 0x0f) {
      const ext = b[at]!;
      if (ext >> 4 !== 1 || (ext & 0x0f) > 3) bad('PLIST_BAD_OBJECT', `object ${i} has a malformed length`);
      const n = 1 << (ext & 0x0f);
      if (at + 1 + n > tableAt) bad('PLIST_BAD_OBJECT', `object ${i}'s length runs past the object area`);
      size = uint(b, at + 1, n);
      at += 1 + n;
    }
    let payload: number;
    switch (type) {
      case 0x0:
        if (marker !== 0x00 && marker !== 0x08 && marker !== 0x09 && marker !== 0x0f)
          bad('PLIST_BAD_OBJECT', `object ${i} has unknown marker 0x${marker.toString(16)}`);
        return [];
      case 0x1:
      case 0x2:
        if (size > 4) bad('PLIST_BAD_OBJECT', `object ${i} is a number of 2^${size} bytes`);
        payload = 1 << size;
        break;
      case 0x3:
        payload = 8;
        break;
      case 0x4:
      case 0x5:
        payload = size;
        break;
      case 0x6:
        payload = size * 2;
        break;
      case 0x8:
        payload = size + 1;
        break;
      case 0xa:
      case 0xc:
        payload = size * refSize;
        break;
      case 0xd:
        payload = 2 * size * refSize;
        break;
      default:
        return bad('PLIST_BAD_OBJECT', `object ${i} has unknown type 0x${type.toString(16)}`);
    }
    if (at + payload > tableAt) bad('PLIST_BAD_OBJECT', `object ${i} (${payload} bytes) runs past the object area`);
    if (type !== 0xa && type !== 0xc && type !== 0xd) return [];
    const refs: number[] = [];
    for (let k = 0; k < payload / refSize; k++) {
      const r = uint(b, at + k * refSize, refSize);
      if (r >= count) bad('PLIST_BAD_REFERENCE', `object ${i} refers to object ${r}, out of range (${count} objects)`);
      refs.push(r);
    }
    // A dictionary's keys (its first `size` references) are primitives in CoreFoundation's reader (a string in
    // every writer); the decoder would turn an array or dictionary key into text ("milk,keys", "[object Object]"),
    // listing a key the file does not hold.
    if (type === 0xd)
      for (const key of refs.slice(0, size)) {
        const keyType = b[offsets[key]!]! >> 4;
        if (keyType === 0xa || keyType === 0xc || keyType === 0xd)
          bad('PLIST_BAD_KEY', `object ${i}, a dictionary, has a container (object ${key}) as a key`);
      }
    return refs;
  };

  // Iterative depth-first walk: cycles are references back to an object on the current path;
  // expanded size is memoised per object and summed with multiplicity, as the decoder expands it.
  const ON_PATH = -1;
  const nodes = new Float64Array(count); // 0: not visited; ON_PATH: being visited; >0: expanded size
  const stack: Array<{ obj: number; refs: number[]; next: number; total: number }> = [];
  const enter = (obj: number) => {
    if (stack.length >= limits.maxDepth) bad('PLIST_LIMIT', `nesting deeper than ${limits.maxDepth}`);
    nodes[obj] = ON_PATH;
    stack.push({ obj, refs: children(obj), next: 0, total: 1 });
  };
  const overBudget = (total: number) => {
    if (total > limits.maxNodes)
      bad(
        'PLIST_LIMIT',
        `decoding would expand to more than ${limits.maxNodes} nodes (shared references are expanded each time)`,
      );
  };
  enter(top);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.refs.length) {
      const child = frame.refs[frame.next++]!;
      const known = nodes[child]!;
      if (known === ON_PATH)
        bad(
          'PLIST_CYCLE',
          `object ${frame.obj} refers back to object ${child}, an enclosing container (a reference cycle)`,
        );
      if (known > 0) {
        frame.total += known;
        overBudget(frame.total);
      } else enter(child);
    } else {
      stack.pop();
      nodes[frame.obj] = frame.total;
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.total += frame.total;
        overBudget(parent.total);
      }
    }
  }
}
