/**
 * macOS's compressed kernel caches: the prelinked kernel and kext caches of
 * Intel Macs (`/System/Library/PrelinkedKernels/prelinkedkernel`,
 * `/System/Library/Caches/com.apple.kext.caches/Startup/kernelcache`, the
 * copies in the Preboot and Recovery volumes' `.../System/Library/Caches/`).
 * A 0x180-byte header, "comp" and the algorithm ("lzss" or "lzvn"), then
 * big-endian the Adler-32 of the kernel, its size and the compressed size,
 * then the compressed Mach-O. Compressed, so the statistics called it
 * encrypted; it is a compressed stream of a readable format, so analysable.
 * The detector decodes the first operations and wants a Mach-O or fat magic
 * in the literals: LZSS (Okumura's, as Apple's kext tools write it) starts
 * with a flag byte whose low four bits mark four literals; LZVN with a
 * literal opcode (0xE0 and a length byte, or 0xE1-0xEF).
 * References: the header as Apple's kext_tools declares it
 * (PrelinkedKernelHeader in compression.h); LZVN's opcodes from Apple's lzfse reference
 * (lzvn_decode_base.c). Fixtures written from them, compressing a Mach-O that
 * ld64.lld linked (fixtures/apple-kernelcache/generate.py).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32be } from './util.js';

const HEADER = 0x180;
const MACH_MAGICS = new Set(['feedfacf', 'feedface', 'cafebabe']);

/** The Mach-O magic as a big-endian hex word, whichever byte order the file uses. */
function machMagic(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  const be = Buffer.from(b.subarray(at, at + 4)).toString('hex');
  const le = Buffer.from(b.subarray(at, at + 4))
    .reverse()
    .toString('hex');
  return MACH_MAGICS.has(be) || MACH_MAGICS.has(le);
}

/** True when the first decoded bytes are a Mach-O magic, carried as literals. */
function startsWithMachO(b: Uint8Array, algorithm: string): boolean {
  const op = b[HEADER];
  if (op === undefined) return false;
  if (algorithm === 'lzss') return (op & 0x0f) === 0x0f && machMagic(b, HEADER + 1);
  if (op === 0xe0) return machMagic(b, HEADER + 2);
  return op > 0xe0 && op <= 0xef && (op & 0x0f) >= 4 && machMagic(b, HEADER + 1);
}

export const appleKernelcacheDetector = defineDetector({
  meta: {
    id: 'apple-kernelcache',
    version: '1.0.0',
    title: 'macOS\'s compressed kernel caches ("comp" header, LZSS or LZVN)',
    formats: [
      {
        id: 'apple-compressed-kernelcache',
        name: 'Apple compressed kernel cache (comp, LZSS/LZVN)',
        status: 'analysable',
        how: 'header-field',
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'complzss' },
    { offset: 0, ascii: 'complzvn' },
  ],
  minSize: HEADER + 8,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const algorithm = ascii(h, 4, 8);
    const size = u32be(h, 12);
    const compressed = u32be(h, 16);
    if (size === undefined || compressed === undefined || compressed === 0) return undefined;
    // The compressed stream fits in the file (a signature may follow it) and is not larger than what it holds.
    if (HEADER + compressed > probe.size || compressed > size + (size >> 3) + 64) return undefined;
    if (!startsWithMachO(h, algorithm)) return undefined;
    return plain('analysable', {
      id: 'apple-compressed-kernelcache',
      name: 'Apple compressed kernel cache (comp, LZSS/LZVN)',
      confidence: 0.93,
      code: 'APPLE_COMPRESSED_KERNELCACHE',
      message: `"comp" header, ${algorithm.toUpperCase()}: ${compressed} compressed bytes of a ${size}-byte kernel cache, whose first decoded bytes are a Mach-O magic: a compressed stream of the prelinked kernel (decompressed by ipsw, jtool or joker), not ciphertext.`,
      figures: { algorithm, size, compressed },
    });
  },
});
