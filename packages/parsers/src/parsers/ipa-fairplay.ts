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

/** How many files of the bundle are tried as its executable. */
const MAX_CANDIDATES = 8;

/**
 * The files that may be the app's main executable, likeliest first: the one named as its bundle
 * (`Payload/Foo.app/Foo`, as Xcode names CFBundleExecutable by default), then the bundle's other files without an
 * extension (PkgInfo aside); each is read as a Mach-O, and one that is not is passed over.
 */
export function executableCandidates(members: readonly ZipMember[]): ZipMember[] {
  const named: ZipMember[] = [];
  const others: ZipMember[] = [];
  for (const m of members) {
    const match = /^Payload\/([^/]+)\.app\/([^/.]+)$/.exec(m.name);
    if (match === null || match[2] === 'PkgInfo') continue;
    (match[1] === match[2] ? named : others).push(m);
  }
  return [...named, ...others].slice(0, MAX_CANDIDATES);
}

/** Thin (0xFEEDFACE/0xFEEDFACF, little-endian) or universal (0xCAFEBABE/0xCAFEBABF, big-endian) Mach-O. */
function machoMagic(head: Buffer): boolean {
  if (head.length < 4) return false;
  const le = head.readUInt32LE(0);
  const be = head.readUInt32BE(0);
  return le === 0xfeedface || le === 0xfeedfacf || be === 0xcafebabe || be === 0xcafebabf;
}

/**
 * What one candidate is: `not-macho` (try the next), `unreadable` with the reason when the ZIP member cannot be
 * inflated, `clear` when it is a Mach-O without a FairPlay range that reads as ciphertext (a damaged header, or a
 * decrypted dump that kept cryptid 1, included: no verdict), `encrypted` with the slices and figures.
 */
export type ExecutableVerdict =
  | ({ kind: 'encrypted' } & IpaFairplay)
  | { kind: 'clear' }
  | { kind: 'not-macho' }
  | { kind: 'unreadable'; reason: string };

export async function ipaFairplay(zf: yauzl.ZipFile, binary: ZipMember): Promise<ExecutableVerdict> {
  const size = Math.min(binary.size, MAX_INFLATED);
  const read = async (offset: number, length: number): Promise<Buffer> => {
    const end = Math.min(offset + length, size);
    if (end <= offset) return Buffer.alloc(0);
    return (await readMemberHead(zf, binary, end)).subarray(offset, end);
  };
  let slices: MachoSlice[];
  let sample: Buffer;
  try {
    if (!machoMagic(await read(0, 8))) return { kind: 'not-macho' };
    slices = await slicesOf(read, size);
    const first = slices.find((s) => s.encryption && s.encryption.cryptid !== 0);
    if (first === undefined) return { kind: 'clear' };
    const start = first.offset + first.encryption!.cryptoff;
    if (start + first.encryption!.cryptsize > binary.size) return { kind: 'clear' };
    sample = await read(start, Math.min(first.encryption!.cryptsize, RANGE_SAMPLE));
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'clear' };
    return { kind: 'unreadable', reason: (err as Error).message };
  }
  const encrypted = slices.filter((s) => s.encryption && s.encryption.cryptid !== 0);
  // A decrypted dump that kept cryptid 1 reads as code: not encrypted (as for a loose binary).
  const entropy = randomnessFigures([sample]).shannon;
  if (sample.length >= 256 && entropy < Math.min(CIPHERTEXT_ENTROPY, Math.log2(sample.length) - 1))
    return { kind: 'clear' };
  return { kind: 'encrypted', binary: binary.name, slices, encrypted, entropy, sampleBytes: sample.length };
}
