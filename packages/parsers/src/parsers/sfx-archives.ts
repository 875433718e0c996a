/**
 * Self-extracting archives: an executable (Windows PE, or ELF as p7zip's
 * 7zCon.sfx and Debian's arj -je write) with a 7z, RAR, ZIP, ARJ, ACE, LHA or
 * StuffIt archive appended after the bytes
 * its headers account for (the "overlay"). The executable is
 * readable, but what it carries may be encrypted: this parser finds the
 * archive signature at the start of the overlay (or a little after it) and
 * asks the archive's own plugins about it, on a view of the item that starts
 * at the archive: sevenzip-encryption (7zAES coder), the rar detector (RAR4/5
 * encryption flags), zip-encryption (member encryption bits), the
 * legacy-archives detector (ARJ GARBLED flag, ACE password flag), the stuffit
 * detector (entry and archive password flags) and the lha detector (LHA has
 * no encryption; it names the archive). ARJ, ACE, LHA and StuffIt
 * magic is short or inside a header, so each match is confirmed by a header
 * check and by the detector before it counts.
 * PGP Desktop's Self-Decrypting Archives (SDA) are found from the trailer
 * instead: the last 44 bytes are an SDAHEADER ("PGPSDA", stub size, compressed
 * length, file count, 8-byte salt, hash repetitions, 8 check bytes), and the
 * payload is always encrypted with the passphrase.
 * References: Microsoft PE/COFF specification (e_lfanew, section table:
 * PointerToRawData + SizeOfRawData); System V ABI / ELF specification
 * (e_phoff, e_shoff, program headers p_offset + p_filesz, section headers
 * sh_offset + sh_size, SHT_NOBITS takes no file bytes); 7-Zip 7zFormat.txt (signature header);
 * RAR 4.x/5.0 technote (marker block); PKWARE APPNOTE (local file header);
 * PGP Desktop 10 source clients2/shared/pgpSDA.h (SDAHEADER), as John the
 * Ripper's pgpsda2john.py reads it.
 * An ELF marked as an AppImage runtime with a SquashFS where it ends is named
 * `appimage` (AppImage specification, type 2; squashfs-tools' superblock), a
 * PE whose overlay holds NSIS's firstheader `nsis-installer` (NSIS 3
 * Source/exehead/fileform.h).
 */
import {
  defineParser,
  type DetectResult,
  type Detection,
  type DetectorPlugin,
  type ParseContext,
  type ParseResult,
  type Probe,
} from '@evtriage/core/contract';

import zlib from 'node:zlib';
import { lhaDetector } from '../detectors/lha.js';
import { legacyArchivesDetector } from '../detectors/legacy-archives.js';
import { rarDetector } from '../detectors/rar.js';
import { stuffitDetector } from '../detectors/stuffit.js';
import { sevenzipEncryptionParser } from './sevenzip-encryption.js';
import { zipEncryptionParser } from './zip-encryption.js';

/** The first answer of a detector (a detector may answer with several candidates). */
function firstDetection(d: DetectResult): Detection | undefined {
  return isList(d) ? d[0] : d;
}
function isList(d: DetectResult): d is readonly Detection[] {
  return Array.isArray(d);
}

/** How far past the end of the last section an archive signature is looked for (stubs pad or sign their overlay). */
const SEARCH_BYTES = 256 * 1024;
type Kind = 'sevenzip' | 'rar' | 'zip' | 'arj' | 'ace' | 'lha' | 'stuffit';
type WeakKind = 'arj' | 'ace' | 'lha' | 'stuffit';
const SIGNATURES: Array<[kind: 'sevenzip' | 'rar' | 'zip', bytes: Buffer]> = [
  ['sevenzip', Buffer.from('377abcaf271c', 'hex')],
  ['rar', Buffer.from('526172211a07', 'hex')],
  ['zip', Buffer.from('504b0304', 'hex')],
];
/** Candidates of a weak signature looked at, per kind, before giving up on it. */
const MAX_CANDIDATES = 64;

/**
 * Where an ARJ, ACE, LHA or StuffIt archive starts in the window, with its
 * header checked (their magic is short or inside the header, so a bare match
 * means little): ARJ's main header (60 EA, file type 2, its CRC-32), ACE's
 * "**ACE**" 7 bytes into a header whose CRC holds, LHA's method id ("-lh5-")
 * 2 bytes into a header the lha detector accepts, StuffIt's "StuffIt (c)1997-"
 * line or classic "SIT!" header that the stuffit detector accepts.
 */
async function weakSignature(
  window: Buffer,
  kind: WeakKind,
  check: (at: number) => Promise<boolean>,
): Promise<number | undefined> {
  const [needle, back] =
    kind === 'arj'
      ? [Buffer.from('60ea', 'hex'), 0]
      : kind === 'ace'
        ? [Buffer.from('**ACE**'), 7]
        : kind === 'stuffit'
          ? [Buffer.from('S'), 0]
          : [Buffer.from('-l'), 2];
  let tried = 0;
  for (let i = window.indexOf(needle); i >= 0 && tried < MAX_CANDIDATES; i = window.indexOf(needle, i + 1)) {
    const at = i - back;
    if (at < 0) continue;
    if (kind === 'lha' && !/^-l(h[0-9a-z]|z[s45])-$/.test(window.toString('latin1', i, i + 5))) continue;
    if (kind === 'arj' && !arjMainHeader(window, at)) continue;
    if (kind === 'stuffit' && !stuffitHeader(window, at)) continue;
    tried++;
    if (await check(at)) return at;
  }
  return undefined;
}

/** A StuffIt 5 header line, or a classic header ("SIT!" or an installer's "ST..", "rLau" at 10), at `at`. */
function stuffitHeader(b: Buffer, at: number): boolean {
  return (
    b.toString('latin1', at, at + 16) === 'StuffIt (c)1997-' ||
    (/^S(IT!|T)/.test(b.toString('latin1', at, at + 4)) && b.toString('latin1', at + 10, at + 14) === 'rLau')
  );
}

/** An ARJ main header at `at`: basic header size, file type 2 (main header) and the basic header's CRC-32. */
function arjMainHeader(b: Buffer, at: number): boolean {
  if (at + 4 > b.length) return false;
  const size = b.readUInt16LE(at + 2);
  if (size < 0x1e || size > 2600 || at + 8 + size > b.length || b[at + 10] !== 2) return false;
  return zlib.crc32(b.subarray(at + 4, at + 4 + size)) === b.readUInt32LE(at + 4 + size);
}

/** The end of the PE image's last section in the file, or undefined when the PE headers do not parse. */
function peOverlayStart(head: Buffer): number | undefined {
  if (head.length < 0x40 || head.readUInt16LE(0) !== 0x5a4d) return undefined;
  const pe = head.readUInt32LE(0x3c);
  if (pe + 24 > head.length || head.readUInt32LE(pe) !== 0x00004550) return undefined;
  const sections = head.readUInt16LE(pe + 6);
  const optional = head.readUInt16LE(pe + 20);
  const table = pe + 24 + optional;
  if (sections === 0 || sections > 96 || table + sections * 40 > head.length) return undefined;
  let end = 0;
  for (let i = 0; i < sections; i++) {
    const s = table + i * 40;
    end = Math.max(end, head.readUInt32LE(s + 20) + head.readUInt32LE(s + 16));
  }
  return end;
}

const SHT_NOBITS = 8;

/** SDAHEADER, packed little-endian: "PGPSDA", u32 offset, u64 compressed length, u64 files, salt[8], u16 reps, check[8]. */
const SDA_HEADER = 44;

interface SdaHeader {
  stub: number;
  compressed: number;
  files: number;
  hashReps: number;
  salt: string;
}

/** The PGP SDA trailer, when its fields fit the file: a stub before the payload and the payload before the trailer. */
async function pgpSda(ctx: ParseContext): Promise<SdaHeader | undefined> {
  const size = ctx.item.size;
  if (size < 0x40 + SDA_HEADER) return undefined;
  const t = await ctx.read(size - SDA_HEADER, SDA_HEADER);
  if (t.length < SDA_HEADER || t.toString('latin1', 0, 6) !== 'PGPSDA') return undefined;
  const stub = t.readUInt32LE(6);
  const compressed = Number(t.readBigUInt64LE(10));
  const files = Number(t.readBigUInt64LE(18));
  const hashReps = t.readUInt16LE(34);
  if (stub < 0x40 || compressed === 0 || stub + compressed > size - SDA_HEADER) return undefined;
  if (files === 0 || files > 0xffffffff || hashReps === 0) return undefined;
  return { stub, compressed, files, hashReps, salt: t.toString('hex', 26, 34) };
}

/**
 * The end of the last byte an ELF file's headers account for: its program
 * headers' file images, its sections (not NOBITS) and the section header
 * table itself. Undefined when the ELF header does not parse or a table lies
 * outside the bytes read.
 */
async function elfOverlayStart(ctx: ParseContext, head: Buffer): Promise<number | undefined> {
  if (head.length < 0x34 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const wide = head[4] === 2;
  const little = head[5] === 1;
  if ((head[4] !== 1 && !wide) || (head[5] !== 1 && head[5] !== 2) || head[6] !== 1) return undefined;
  const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const word = (b: Buffer, at: number) =>
    wide ? Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : u32(b, at);
  if (wide && head.length < 0x40) return undefined;
  const phoff = word(head, wide ? 0x20 : 0x1c);
  const shoff = word(head, wide ? 0x28 : 0x20);
  const at = wide ? 0x36 : 0x2a;
  const [phentsize, phnum, shentsize, shnum] = [u16(head, at), u16(head, at + 2), u16(head, at + 4), u16(head, at + 6)];
  const size = ctx.item.size;
  if (
    phnum > 4096 ||
    shnum > 4096 ||
    (phnum && phentsize < (wide ? 56 : 32)) ||
    (shnum && shentsize < (wide ? 64 : 40))
  )
    return undefined;
  let end = shoff + shnum * shentsize;
  if (phoff + phnum * phentsize > size || end > size) return undefined;
  const ph = await ctx.read(phoff, phnum * phentsize);
  if (ph.length < phnum * phentsize) return undefined;
  for (let i = 0; i < phnum; i++) {
    const p = i * phentsize;
    const offset = word(ph, p + (wide ? 8 : 4));
    const filesz = word(ph, p + (wide ? 32 : 16));
    end = Math.max(end, offset + filesz);
  }
  const sh = await ctx.read(shoff, shnum * shentsize);
  if (sh.length < shnum * shentsize) return undefined;
  for (let i = 0; i < shnum; i++) {
    const s = i * shentsize;
    if (u32(sh, s + 4) === SHT_NOBITS) continue;
    end = Math.max(end, word(sh, s + (wide ? 24 : 16)) + word(sh, s + (wide ? 32 : 20)));
  }
  return end;
}

/**
 * An AppImage of type 2 (AppImage specification): an ELF runtime marked "AI" and 2 in e_ident bytes 8-10, and a
 * SquashFS 4.0 superblock where the ELF ends ("hsqs", block size a power of two from 4 KiB to 1 MiB, bytes_used
 * inside the file). Its files are in that file system, which is not opened here (as a loose SquashFS is not).
 */
function appImageOf(head: Buffer, window: Buffer, overlay: number, size: number): ParseResult | undefined {
  if (head.length < 11 || head.toString('latin1', 8, 11) !== 'AI\x02' || window.length < 96) return undefined;
  if (window.toString('latin1', 0, 4) !== 'hsqs' || window.readUInt16LE(28) !== 4) return undefined;
  const inodes = window.readUInt32LE(4);
  const blockSize = window.readUInt32LE(12);
  const bytesUsed = Number(window.readBigUInt64LE(40));
  const powerOfTwo = (blockSize & (blockSize - 1)) === 0;
  if (!powerOfTwo || blockSize < 4096 || blockSize > 1 << 20 || bytesUsed < 96 || overlay + bytesUsed > size)
    return undefined;
  return {
    details: { overlayStart: overlay, archive: 'squashfs', archiveOffset: overlay, squashfsBytes: bytesUsed },
    reclassify: {
      status: 'analysable',
      confidence: 0.9,
      format: { id: 'appimage', name: 'AppImage (type 2: ELF runtime and SquashFS)' },
      reasons: [
        {
          code: 'APPIMAGE_SQUASHFS',
          message: `ELF runtime marked "AI" 2 in e_ident (AppImage type 2) whose headers and sections end at ${overlay}, where a SquashFS 4.0 file system starts (${inodes} inodes, ${blockSize}-byte blocks, ${bytesUsed} bytes used): an AppImage, its files readable with unsquashfs -o ${overlay} (not opened here).`,
          figures: { squashfsOffset: overlay, inodes, blockSize, squashfsBytes: bytesUsed },
        },
      ],
    },
  };
}

/** NSIS's firstheader (fileform.h): flags, 0xDEADBEEF, "NullsoftInst", header length, length of all the data. */
const NSIS_SIGNATURE = Buffer.from('efbeadde4e756c6c736f6674496e7374', 'hex');
const NSIS_FIRSTHEADER_BYTES = 28;
/** FH_FLAGS_UNINSTALL, _SILENT, _NO_CRC, _FORCE_CRC: the only flag bits makensis sets. */
const NSIS_FLAGS_MASK = 0xf;

/**
 * An NSIS installer: the exehead stub looks for its firstheader on 512-byte boundaries of the file after itself,
 * and `length_of_all_following_data` (the firstheader, the compressed header and files, the CRC) must end inside
 * the file (an Authenticode signature may follow). NSIS encrypts nothing; 7-Zip lists and extracts its files.
 */
function nsisOf(window: Buffer, overlay: number, size: number): ParseResult | undefined {
  for (let i = (512 - (overlay % 512)) % 512; i + NSIS_FIRSTHEADER_BYTES <= window.length; i += 512) {
    if (!window.subarray(i + 4, i + 20).equals(NSIS_SIGNATURE)) continue;
    const flags = window.readUInt32LE(i);
    const headerBytes = window.readUInt32LE(i + 20);
    const dataBytes = window.readUInt32LE(i + 24);
    const at = overlay + i;
    if (flags & ~NSIS_FLAGS_MASK || dataBytes < NSIS_FIRSTHEADER_BYTES || at + dataBytes > size) return undefined;
    const uninstaller = (flags & 1) !== 0;
    return {
      details: { overlayStart: overlay, archive: 'nsis', archiveOffset: at },
      reclassify: {
        status: 'analysable',
        confidence: 0.9,
        format: { id: 'nsis-installer', name: 'NSIS installer (Nullsoft Scriptable Install System)' },
        reasons: [
          {
            code: 'NSIS_FIRSTHEADER',
            message: `Windows executable whose last section ends at ${overlay}; at ${at}, a 512-byte boundary after it, NSIS's firstheader (0xDEADBEEF, "NullsoftInst", flags 0x${flags.toString(16)}${uninstaller ? ': an uninstaller' : ''}) declares a ${headerBytes}-byte script header and ${dataBytes} bytes of installer data ending ${size - at - dataBytes === 0 ? 'at the end of the file' : `${size - at - dataBytes} bytes before its end`}: an NSIS ${uninstaller ? 'uninstaller' : 'installer'}, whose files 7-Zip lists and extracts (NSIS has no encryption of its own).`,
            figures: { firstHeaderOffset: at, flags, headerBytes, dataBytes, trailingBytes: size - at - dataBytes },
          },
        ],
      },
    };
  }
  return undefined;
}

/** A detector's first answer on the item's bytes from `at` on, as if the archive there were the file. */
async function detectAt(
  ctx: ParseContext,
  detector: Pick<DetectorPlugin, 'detect'>,
  at: number,
): Promise<Detection | undefined> {
  const size = ctx.item.size - at;
  const head = await ctx.read(at, Math.min(64 * 1024, size));
  const probe: Probe = {
    ...ctx.probe,
    head,
    tail: new Uint8Array(0),
    samples: [],
    size,
    complete: head.length === size,
  };
  const d = await detector.detect(probe, {
    limits: { probeHeadBytes: 65536, probeTailBytes: 0 },
    signal: new AbortController().signal,
  });
  return d ? firstDetection(d) : undefined;
}

/** A view of the item that starts at `base`: the archive plugins read it as if it were the archive file. */
function viewAt(ctx: ParseContext, base: number, notes: string[]): ParseContext {
  const size = ctx.item.size - base;
  return {
    ...ctx,
    item: { ...ctx.item, size },
    read: (position, length) => ctx.read(base + position, Math.min(length, Math.max(0, size - position))),
    readAll: async (maxBytes) => {
      if (maxBytes !== undefined && size > maxBytes)
        throw new RangeError(`the archive is ${size} bytes, more than ${maxBytes}`);
      return ctx.read(base, size);
    },
    report: (d) => notes.push(`${d.code}: ${d.message}`),
  };
}

export const sfxArchivesParser = defineParser({
  meta: {
    id: 'sfx-archives',
    version: '1.1.0',
    title: 'Self-extracting executables: is the appended archive encrypted?',
    formats: ['pe', 'elf'],
    diagnostics: { SFX_PAYLOAD_UNREADABLE: 'The archive appended to the executable could not be read: {reason}.' },
  },
  requires: { maxSize: 4 * 1024 * 1024 * 1024 },
  priority: 40,
  async parse(ctx): Promise<ParseResult | undefined> {
    const head = await ctx.read(0, 64 * 1024);
    const sda = head.length >= 2 && head.readUInt16LE(0) === 0x5a4d ? await pgpSda(ctx) : undefined;
    if (sda) {
      return {
        details: { archive: 'pgp-sda', archiveOffset: sda.stub, encrypted: true },
        reclassify: {
          status: 'encrypted',
          confidence: 0.93,
          format: { id: 'pgp-sda', name: 'PGP Self-Decrypting Archive' },
          reasons: [
            {
              code: 'PGP_SDA_HEADER',
              message: `Windows executable ending in a PGP SDA header: a ${sda.stub}-byte stub, ${sda.compressed} bytes of payload for ${sda.files} file(s), salt ${sda.salt}, ${sda.hashReps} hash repetitions and check bytes for the passphrase; the payload is encrypted.`,
              figures: { stubBytes: sda.stub, payloadBytes: sda.compressed, files: sda.files, hashReps: sda.hashReps },
            },
          ],
        },
        encryption: {
          scheme: 'pgp-sda',
          scope: 'full',
          keyHint: {
            description: 'The passphrase of the self-decrypting archive.',
            kind: 'password',
            present: 'unknown',
          },
        },
      };
    }
    const elf = head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46;
    const overlay = elf ? await elfOverlayStart(ctx, head) : peOverlayStart(head);
    if (overlay === undefined || overlay >= ctx.item.size) return undefined;
    const window = await ctx.read(overlay, Math.min(SEARCH_BYTES, ctx.item.size - overlay));
    const installer = elf ? appImageOf(head, window, overlay, ctx.item.size) : nsisOf(window, overlay, ctx.item.size);
    if (installer) return installer;
    let found: { kind: Kind; at: number } | undefined;
    for (const [kind, sig] of SIGNATURES) {
      const i = window.indexOf(sig);
      if (i >= 0 && (!found || i < found.at - overlay)) found = { kind, at: overlay + i };
    }
    // The archives with a weak or inner magic, each confirmed by its own detector on a view that starts there.
    const verdicts = new Map<number, Detection | undefined>();
    for (const kind of ['arj', 'ace', 'lha', 'stuffit'] as const) {
      const detector = kind === 'lha' ? lhaDetector : kind === 'stuffit' ? stuffitDetector : legacyArchivesDetector;
      const at = await weakSignature(window, kind, async (i) => {
        if (found && overlay + i >= found.at) return false;
        const d = await detectAt(ctx, detector, overlay + i);
        verdicts.set(overlay + i, d);
        return d !== undefined;
      });
      if (at !== undefined && (!found || overlay + at < found.at)) found = { kind, at: overlay + at };
    }
    if (!found)
      return { details: { overlayStart: overlay, overlayBytes: ctx.item.size - overlay, archive: 'none found' } };
    const notes: string[] = [];
    const view = viewAt(ctx, found.at, notes);
    const details = { overlayStart: overlay, archive: found.kind, archiveOffset: found.at };
    let inner: ParseResult | undefined;
    try {
      if (found.kind !== 'sevenzip' && found.kind !== 'zip') {
        const det = verdicts.has(found.at) ? verdicts.get(found.at) : await detectAt(ctx, rarDetector, found.at);
        if (det?.status === 'encrypted' && det.encryption) {
          inner = {
            reclassify: {
              status: 'encrypted',
              confidence: det.confidence,
              reasons: det.reasons.map((r) => ({ ...r, message: r.message ?? r.code })),
            },
            encryption: det.encryption,
          };
        }
      } else if (found.kind === 'sevenzip') {
        inner = await sevenzipEncryptionParser.parse(view);
      } else {
        // SFX tools (zip -A) rewrite ZIP offsets to count from the start of the executable; older stubs leave them archive-relative.
        const quiet: string[] = [];
        inner = await zipEncryptionParser.parse(viewAt(ctx, 0, quiet));
        if (!inner?.reclassify) inner = await zipEncryptionParser.parse(view);
      }
    } catch (err) {
      notes.push((err as Error).message);
    }
    if (notes.length > 0)
      ctx.report({
        code: 'SFX_PAYLOAD_UNREADABLE',
        severity: 'info',
        message: `The archive appended to the executable could not be read: ${notes.join('; ').slice(0, 300)}.`,
      });
    if (inner?.reclassify?.status !== 'encrypted' || !inner.encryption)
      return { details: { ...details, encrypted: false } };
    const name = { sevenzip: '7-Zip', rar: 'RAR', zip: 'ZIP', arj: 'ARJ', ace: 'ACE', lha: 'LHA', stuffit: 'StuffIt' }[
      found.kind
    ];
    return {
      details: { ...details, encrypted: true },
      reclassify: {
        status: 'encrypted',
        confidence: Math.min(0.95, inner.reclassify.confidence),
        format: { id: 'sfx-encrypted', name: 'Self-extracting archive with an encrypted payload' },
        reasons: [
          {
            code: 'SFX_ENCRYPTED_PAYLOAD',
            message: `${elf ? 'ELF' : 'Windows'} executable whose ${elf ? 'headers and sections end' : 'last section ends'} at ${overlay}; a ${name} archive follows at ${found.at} and is encrypted (what its own check found follows).`,
            figures: { archiveOffset: found.at },
          },
          ...inner.reclassify.reasons,
        ],
      },
      encryption: inner.encryption,
    };
  },
});
