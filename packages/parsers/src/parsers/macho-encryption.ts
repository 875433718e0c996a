/**
 * Whether a Mach-O binary's code is FairPlay-encrypted, as App Store apps,
 * their embedded frameworks and extensions are on an iPhone or iPad. The
 * linker writes an LC_ENCRYPTION_INFO (32-bit) or LC_ENCRYPTION_INFO_64
 * command naming a file range (cryptoff, cryptsize: the __TEXT pages after
 * the load commands) and cryptid 0; the App Store encrypts that range with a
 * key bound to the buying account and the device and sets cryptid to 1.
 * Headers, load commands, symbols and data stay clear, but the code needs the
 * device's FairPlay keys (decrypting tools run the app on a jailbroken
 * device), so such a file is encrypted (partly: the reason gives the range).
 * A universal binary is read slice by slice from its fat header. The load
 * commands are read whole (they sit right after the header), so the verdict
 * does not depend on how much of the file the probe saw.
 * Reference: Apple's mach-o/loader.h (mach_header(_64), load_command,
 * encryption_info_command(_64)) and mach-o/fat.h (fat_header, fat_arch(_64)).
 */
import { defineParser, type KeyHint, type ParseResult } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const LC_ENCRYPTION_INFO = 0x21;
const LC_ENCRYPTION_INFO_64 = 0x2c;
/** Real binaries have tens of KiB of load commands at most; more is a hostile header, not read. */
const MAX_COMMAND_BYTES = 4 * 1024 * 1024;
const MAX_SLICES = 16;
/** Bytes of the encrypted range read back: ciphertext shows near 8 bits/byte there, code and padding far less. */
export const RANGE_SAMPLE = 4096;
export const CIPHERTEXT_ENTROPY = 7.5;

const CPU: Record<number, string> = {
  7: 'i386',
  0x01000007: 'x86_64',
  12: 'arm',
  0x0100000c: 'arm64',
  0x0200000c: 'arm64_32',
  18: 'ppc',
  0x01000012: 'ppc64',
};

export const FAIRPLAY_KEY: KeyHint = {
  description:
    "FairPlay keys bound to the Apple account that bought the app and to the device it was installed on: the code is decrypted only by the device's kernel when the app runs.",
  kind: 'hardware',
  present: 'no',
};

export interface MachoSlice {
  arch: string;
  /** Byte offset of the slice in the file (0 for a thin binary). */
  offset: number;
  /** The encryption command's range (relative to the slice) and cryptid, when the slice has one. */
  encryption?: { cryptoff: number; cryptsize: number; cryptid: number };
}

export class Malformed extends Error {}

type Read = (offset: number, length: number) => Promise<Buffer>;

async function readSlice(read: Read, base: number, end: number): Promise<MachoSlice> {
  const header = await read(base, 32);
  if (header.length < 28) throw new Malformed(`the file ends inside the Mach-O header at ${base}`);
  const magic = header.readUInt32LE(0);
  if (magic !== MH_MAGIC && magic !== MH_MAGIC_64)
    throw new Malformed(`no little-endian Mach-O header at ${base} (0x${magic.toString(16)})`);
  const cpu = header.readInt32LE(4) >>> 0;
  const slice: MachoSlice = { arch: CPU[cpu] ?? `cpu 0x${cpu.toString(16)}`, offset: base };
  const ncmds = header.readUInt32LE(16);
  const sizeofcmds = header.readUInt32LE(20);
  const start = base + (magic === MH_MAGIC_64 ? 32 : 28);
  if (sizeofcmds > MAX_COMMAND_BYTES || start + sizeofcmds > end)
    throw new Malformed(`the load commands (${sizeofcmds} bytes) do not fit the slice at ${base}`);
  const cmds = await read(start, sizeofcmds);
  let at = 0;
  for (let i = 0; i < ncmds; i++) {
    if (at + 8 > cmds.length) throw new Malformed(`load command ${i} lies past sizeofcmds`);
    const cmd = cmds.readUInt32LE(at);
    const size = cmds.readUInt32LE(at + 4);
    if (size < 8 || at + size > cmds.length) throw new Malformed(`load command ${i} has size ${size}`);
    if ((cmd === LC_ENCRYPTION_INFO || cmd === LC_ENCRYPTION_INFO_64) && size >= 20) {
      slice.encryption = {
        cryptoff: cmds.readUInt32LE(at + 8),
        cryptsize: cmds.readUInt32LE(at + 12),
        cryptid: cmds.readUInt32LE(at + 16),
      };
    }
    at += size;
  }
  return slice;
}

/** The slices of a thin or universal binary. */
export async function slicesOf(read: Read, size: number): Promise<MachoSlice[]> {
  const head = await read(0, 8);
  if (head.length < 8) throw new Malformed('the file is shorter than a Mach-O header');
  const fat = head.readUInt32BE(0);
  if (fat !== FAT_MAGIC && fat !== FAT_MAGIC_64) return [await readSlice(read, 0, size)];
  const count = head.readUInt32BE(4);
  if (count === 0 || count > MAX_SLICES) throw new Malformed(`a fat header with ${count} architectures`);
  const width = fat === FAT_MAGIC ? 20 : 32;
  const table = await read(8, count * width);
  if (table.length < count * width) throw new Malformed('the file ends inside the fat header');
  const slices: MachoSlice[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * width;
    const offset = width === 20 ? table.readUInt32BE(at + 8) : Number(table.readBigUInt64BE(at + 8));
    const length = width === 20 ? table.readUInt32BE(at + 12) : Number(table.readBigUInt64BE(at + 16));
    if (offset < 8 + count * width || offset + length > size)
      throw new Malformed(`slice ${i} (${length} bytes at ${offset}) lies outside the file`);
    slices.push(await readSlice(read, offset, offset + length));
  }
  return slices;
}

export const machoEncryptionParser = defineParser({
  meta: {
    id: 'macho-encryption',
    version: '1.0.0',
    title: "Mach-O code encryption (FairPlay: App Store apps' LC_ENCRYPTION_INFO)",
    formats: ['macho'],
    diagnostics: {
      MACHO_UNREAD: 'The Mach-O headers could not be read: {reason}.',
      MACHO_CRYPT_RANGE_OUTSIDE:
        "The encryption command's range ({range}) lies outside its slice: a truncated or damaged binary, no verdict.",
      MACHO_CRYPT_RANGE_CLEAR:
        'cryptid is set but the range reads as clear code ({entropy} bits/byte over its first {bytes} bytes): a decrypted dump that kept the flag, no verdict.',
    },
  },
  priority: 30,
  async parse(ctx): Promise<ParseResult | undefined> {
    let slices: MachoSlice[];
    try {
      slices = await slicesOf((offset, length) => ctx.read(offset, length), ctx.item.size);
    } catch (err) {
      if (!(err instanceof Malformed)) throw err;
      ctx.report({ code: 'MACHO_UNREAD', severity: 'info', data: { reason: err.message } });
      return undefined;
    }
    const details = {
      slices: slices.map((s) => ({ arch: s.arch, offset: s.offset, ...s.encryption })),
    };
    const locked = slices.filter((s) => s.encryption && s.encryption.cryptid !== 0);
    if (locked.length === 0) return { details };
    const sliceEnd = (s: MachoSlice) => {
      const i = slices.indexOf(s);
      const next = slices[i + 1]?.offset;
      return next ?? ctx.item.size;
    };
    const outside = locked.find((s) => s.offset + s.encryption!.cryptoff + s.encryption!.cryptsize > sliceEnd(s));
    if (outside) {
      const e = outside.encryption!;
      ctx.report({
        code: 'MACHO_CRYPT_RANGE_OUTSIDE',
        severity: 'info',
        data: { range: `${e.cryptsize} bytes at ${outside.offset + e.cryptoff}, file ${ctx.item.size} bytes` },
      });
      return { details };
    }
    // A dump decrypted on a device but left with cryptid 1 must not be called encrypted: read the range back.
    const first = locked[0]!;
    const length = Math.min(first.encryption!.cryptsize, RANGE_SAMPLE);
    const sample = await ctx.read(first.offset + first.encryption!.cryptoff, length);
    const entropy = randomnessFigures([sample]).shannon;
    if (sample.length >= 256 && entropy < Math.min(CIPHERTEXT_ENTROPY, Math.log2(sample.length) - 1)) {
      ctx.report({
        code: 'MACHO_CRYPT_RANGE_CLEAR',
        severity: 'info',
        data: { entropy: entropy.toFixed(2), bytes: sample.length },
      });
      return { details };
    }
    const ranges = locked.map((s) => {
      const e = s.encryption!;
      return `${s.arch}: ${e.cryptsize} bytes at ${s.offset + e.cryptoff} (cryptid ${e.cryptid})`;
    });
    const encryptedBytes = locked.reduce((n, s) => n + s.encryption!.cryptsize, 0);
    return {
      details,
      reclassify: {
        status: 'encrypted',
        confidence: 0.97,
        format: { id: 'macho-fairplay', name: 'Mach-O binary, FairPlay-encrypted (App Store)' },
        reasons: [
          {
            code: 'MACHO_FAIRPLAY_ENCRYPTED',
            message:
              `${locked.length} of ${slices.length} slice(s) carry an LC_ENCRYPTION_INFO command with a non-zero cryptid: ` +
              `the code range is ciphertext (${ranges.join('; ')}; ${entropy.toFixed(2)} bits/byte over its first ${sample.length} bytes); ` +
              'headers, load commands, symbols and data are clear.',
            figures: { slices: slices.length, encryptedSlices: locked.length, encryptedBytes, rangeEntropy: entropy },
          },
        ],
      },
      encryption: { scheme: 'fairplay-macho', scope: 'partial', keyHint: FAIRPLAY_KEY },
    };
  },
});
