/**
 * A bounded reader of Apache Thrift's compact protocol (thrift/doc/specs/thrift-compact-protocol.md): the field
 * headers of one struct, and a skip over any value, so that a detector can find a field without a schema.
 * Every length is checked against the buffer and nesting is bounded; a malformed value gives undefined.
 */

const STOP = 0;
const TYPE = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;
export const THRIFT_STRUCT = TYPE.STRUCT;
export const THRIFT_BINARY = TYPE.BINARY;

const MAX_DEPTH = 32;

/** A cursor over compact-protocol bytes; `at` is undefined once a read went wrong. */
export class ThriftCursor {
  constructor(
    private readonly b: Uint8Array,
    public at: number | undefined = 0,
  ) {}

  private byte(): number | undefined {
    if (this.at === undefined || this.at >= this.b.length) return (this.at = undefined);
    return this.b[this.at++];
  }

  /** An unsigned varint of at most 10 bytes (values past 2^53 lose precision, which no length here reaches). */
  varint(): number | undefined {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const x = this.byte();
      if (x === undefined) return undefined;
      value += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return value;
    }
    return (this.at = undefined);
  }

  /** The bytes of a binary or string value. */
  binary(): Uint8Array | undefined {
    const n = this.varint();
    if (n === undefined || this.at === undefined || this.at + n > this.b.length) return (this.at = undefined);
    const start = this.at;
    this.at += n;
    return this.b.subarray(start, start + n);
  }

  /**
   * The next field header of the struct being read: its id and type, or 'stop' at the struct's end.
   * `last` is the previous field's id (compact headers give a delta from it).
   */
  field(last: number): { id: number; type: number } | 'stop' | undefined {
    const h = this.byte();
    if (h === undefined) return undefined;
    if (h === STOP) return 'stop';
    const type = h & 0x0f;
    const delta = h >> 4;
    if (delta !== 0) return { id: last + delta, type };
    const z = this.varint();
    return z === undefined ? undefined : { id: z % 2 === 0 ? z / 2 : -(z + 1) / 2, type };
  }

  /** Skips one value of `type`; false when it is malformed or nested past the bound. */
  skip(type: number, depth = 0): boolean {
    if (depth > MAX_DEPTH || this.at === undefined) return false;
    switch (type) {
      case TYPE.TRUE:
      case TYPE.FALSE:
        return true;
      case TYPE.BYTE:
        return this.byte() !== undefined;
      case TYPE.I16:
      case TYPE.I32:
      case TYPE.I64:
        return this.varint() !== undefined;
      case TYPE.DOUBLE:
        if (this.at + 8 > this.b.length) return false;
        this.at += 8;
        return true;
      case TYPE.BINARY:
        return this.binary() !== undefined;
      case TYPE.LIST:
      case TYPE.SET: {
        const h = this.byte();
        if (h === undefined) return false;
        const size = h >> 4 === 15 ? this.varint() : h >> 4;
        if (size === undefined || size > this.b.length) return false;
        // Booleans in a list take a byte each.
        const element = h & 0x0f;
        for (let i = 0; i < size; i++)
          if (
            element === TYPE.TRUE || element === TYPE.FALSE ? this.byte() === undefined : !this.skip(element, depth + 1)
          )
            return false;
        return true;
      }
      case TYPE.MAP: {
        const size = this.varint();
        if (size === undefined || size > this.b.length) return false;
        if (size === 0) return true;
        const kv = this.byte();
        if (kv === undefined) return false;
        for (let i = 0; i < size; i++)
          if (!this.skip(kv >> 4, depth + 1) || !this.skip(kv & 0x0f, depth + 1)) return false;
        return true;
      }
      case TYPE.STRUCT:
        return this.struct(() => 'skip', depth + 1);
      default:
        return false;
    }
  }

  /**
   * Reads a struct's fields up to its STOP, calling `visit` on each: 'skip' skips the value, 'read' means
   * `visit` read it itself. False when the struct is malformed.
   */
  struct(visit: (id: number, type: number) => 'skip' | 'read', depth = 0): boolean {
    let last = 0;
    for (let n = 0; n < 65536; n++) {
      const f = this.field(last);
      if (f === undefined) return false;
      if (f === 'stop') return true;
      if (visit(f.id, f.type) === 'skip' && !this.skip(f.type, depth)) return false;
      if (this.at === undefined) return false;
      last = f.id;
    }
    return false;
  }
}
