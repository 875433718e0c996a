/**
 * Counts distinct strings in bounded memory: exactly (a set of 53-bit hashes) up to `exactLimit`, then by a
 * HyperLogLog sketch (Flajolet et al. 2007, with the small-range correction) of 2^`bits` one-byte registers,
 * standard error 1.04 / sqrt(2^bits). The summary counts the values it no longer keeps with it, so a dump of
 * millions of distinct formats, apps or key descriptions costs the same memory as one of thousands.
 */

/** Two 32-bit FNV-1a hashes of the UTF-16 code units, with different offsets, mixed (murmur3's finaliser). */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [fmix(a), fmix(b ^ 0x9e3779b9)];
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class DistinctCount {
  private exact: Set<number> | undefined = new Set();
  private registers: Uint8Array | undefined;

  constructor(
    private readonly exactLimit = 100_000,
    private readonly bits = 14,
  ) {}

  add(value: string): void {
    const [a, b] = hashes(value);
    if (this.exact) {
      this.exact.add(a * 0x200000 + (b >>> 11));
      if (this.exact.size <= this.exactLimit) return;
      // Past the limit: the sketch takes over, from the hashes kept so far.
      this.registers = new Uint8Array(1 << this.bits);
      for (const h of this.exact) this.mark(Math.floor(h / 0x200000), (h % 0x200000) << 11);
      this.exact = undefined;
      return;
    }
    this.mark(a, b);
  }

  private mark(a: number, b: number): void {
    const index = a >>> (32 - this.bits);
    // The rank: leading zeros of the other hash plus one (32 bits of it; 21 once the exact set was replayed).
    const rank = Math.clz32(b) + 1;
    if (rank > this.registers![index]!) this.registers![index] = rank;
  }

  /** Whether `count` is an estimate (the sketch's) rather than exact. */
  get estimated(): boolean {
    return this.exact === undefined;
  }

  get count(): number {
    if (this.exact) return this.exact.size;
    const m = this.registers!.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers!) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    const estimate = raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
    // The exact set had passed its limit before the sketch took over.
    return Math.max(Math.round(estimate), this.exactLimit + 1);
  }
}
