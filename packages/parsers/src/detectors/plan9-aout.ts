/**
 * The Plan 9 a.out header (Plan 9 manual, a.out(6); Go's debug/plan9obj reads the same): eight big-endian
 * 32-bit words, magic, text size, data size, bss size, symbol table size, entry point, sp/pc table sizes,
 * then on 64-bit machines (the HDR_MAGIC bit 0x8000 in the magic) an 8-byte entry point. The text, data,
 * symbol and pc/sp tables follow the header back to back, so their sizes and the header add up to the
 * file's size. libmagic (Magdir/plan9) reads only the 4-byte magic, which small integers at offset 0 match.
 */
import { u32be } from '@evtriage/core/contract';

/** The header's size bit: 64-bit executables carry the 8-byte entry point after the eight words. */
const HDR_MAGIC = 0x8000;

/**
 * The Plan 9 magic: ((4 * n + 0) * n + 7) for a machine number n (a.out.h's _MAGIC), with the HDR_MAGIC
 * bit on 64-bit machines. Returns the machine number, or undefined.
 */
function machineOf(magic: number): number | undefined {
  const base = magic & ~HDR_MAGIC;
  for (let n = 1; n <= 32; n++) if (4 * n * n + 7 === base) return n;
  return undefined;
}

/**
 * Whether the head is a Plan 9 executable's header whose segment sizes add up to the file's size.
 * Returns the header's size and the sum's parts for the reason, or undefined.
 */
export function plan9HeaderHolds(
  head: Uint8Array,
  size: number,
): { header: number; text: number; data: number; symbols: number } | undefined {
  const words = Array.from({ length: 8 }, (_, i) => u32be(head, 4 * i));
  const [magic, text, data, bss, symbols, entry, spsz, pcsz] = words;
  if (
    magic === undefined ||
    text === undefined ||
    data === undefined ||
    bss === undefined ||
    symbols === undefined ||
    entry === undefined ||
    spsz === undefined ||
    pcsz === undefined
  )
    return undefined;
  if (machineOf(magic) === undefined || text === 0) return undefined;
  const header = magic & HDR_MAGIC ? 40 : 32;
  return header + text + data + symbols + spsz + pcsz === size ? { header, text, data, symbols } : undefined;
}
