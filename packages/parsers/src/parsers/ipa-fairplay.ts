/**
 * Whether an iOS app package (`.ipa`, as Apple Configurator, iMazing and backups of purchased apps keep them)
 * holds a FairPlay-encrypted app binary: the main executable `Payload/<Name>.app/<Name>` is read from the ZIP
 * (only as far as its load commands and the first bytes of its encrypted range) and its Mach-O slices checked
 * as the macho-encryption parser checks a loose binary (LC_ENCRYPTION_INFO(_64) with a non-zero cryptid, and the
 * range reading as ciphertext). Everything else in the package stays clear.
 */
import type yauzl from 'yauzl';
import { randomnessFigures } from '@evtriage/core/helpers';
import { CIPHERTEXT_ENTROPY, Malformed, RANGE_SAMPLE, slicesOf, type MachoSlice } from './macho-encryption.js';
import { readMemberHead, type ZipMember } from './zip-entries.js';

/** How far into the binary it is inflated: the load commands and a fat binary's later slices lie within this. */
const MAX_INFLATED = 16 * 1024 * 1024;

export interface IpaFairplay {
  binary: string;
  slices: MachoSlice[];
  encrypted: MachoSlice[];
  entropy: number;
  sampleBytes: number;
}

/** The app's main executable: named as its bundle (`Payload/Foo.app/Foo`), as Xcode writes CFBundleExecutable. */
export function mainExecutable(members: readonly ZipMember[]): ZipMember | undefined {
  return members.find((m) => {
    const match = /^Payload\/([^/]+)\.app\/([^/]+)$/.exec(m.name);
    return match !== null && match[1] === match[2];
  });
}

/**
 * The verdict on the main executable: undefined when it is clear or not a Mach-O the checks accept;
 * `unreadable` with the reason when the ZIP member cannot be inflated (a damaged package).
 */
export async function ipaFairplay(
  zf: yauzl.ZipFile,
  binary: ZipMember,
): Promise<IpaFairplay | { unreadable: string } | undefined> {
  const size = Math.min(binary.size, MAX_INFLATED);
  const read = async (offset: number, length: number): Promise<Buffer> => {
    const end = Math.min(offset + length, size);
    if (end <= offset) return Buffer.alloc(0);
    return (await readMemberHead(zf, binary, end)).subarray(offset, end);
  };
  let slices: MachoSlice[];
  let sample: Buffer;
  try {
    slices = await slicesOf(read, size);
    const first = slices.find((s) => s.encryption && s.encryption.cryptid !== 0);
    if (first === undefined) return undefined;
    const start = first.offset + first.encryption!.cryptoff;
    if (start + first.encryption!.cryptsize > binary.size) return undefined;
    sample = await read(start, Math.min(first.encryption!.cryptsize, RANGE_SAMPLE));
  } catch (err) {
    if (err instanceof Malformed) return undefined;
    return { unreadable: (err as Error).message };
  }
  const encrypted = slices.filter((s) => s.encryption && s.encryption.cryptid !== 0);
  // A decrypted dump that kept cryptid 1 reads as code: not encrypted (as for a loose binary).
  const entropy = randomnessFigures([sample]).shannon;
  if (sample.length >= 256 && entropy < Math.min(CIPHERTEXT_ENTROPY, Math.log2(sample.length) - 1)) return undefined;
  return { binary: binary.name, slices, encrypted, entropy, sampleBytes: sample.length };
}
