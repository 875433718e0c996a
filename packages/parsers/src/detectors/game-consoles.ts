/**
 * Game console dumps and packages found on computers seized in piracy, fraud
 * and child-protection cases. Their containers are readable tables; what they
 * hold is often encrypted with keys that live in the console, not the file.
 *
 * - Nintendo Switch: NSP (a PFS0 file table of NCAs and a ticket) and XCI
 *   (gamecard image, "HEAD" at 0x100). NCAs are AES-XTS/CTR encrypted with the
 *   console's keys (prod.keys) and the title key: encrypted. A PFS0 without
 *   NCAs (an extracted ExeFS) and NRO homebrew ("NRO0" at 0x10) are plain.
 * - Nintendo 3DS: NCCH ("NCCH" at 0x100): ExeFS/RomFS encrypted unless flags[7]
 *   has NoCrypto (0x4); a FixedCryptoKey (0x1) application uses the all-zero
 *   key, derivable, so not encrypted. NCSD/CCI: decided by partition 0's NCCH
 *   (at 0x4000) when the probe read it, else left to libmagic.
 * - PlayStation 3/PSP/Vita PKG ("\x7fPKG"): a retail (finalized, revision
 *   0x8000) package holds NPDRM content that needs the title's license (.rap,
 *   .rif, work.bin); a debug package's key is derived from its own header.
 *   PS4 PKG ("\x7fCNT"): its PFS image is encrypted with keys from the console.
 * - GameCube/Wii discs (magic words at 0x1C/0x18), WBFS and RVZ/WIA: Wii
 *   partitions are AES-encrypted with the Wii common key, which Dolphin ships
 *   in its source and uses without the user's help: not encrypted by the class
 *   conventions (a published key). Scrubbed images' junk is pseudo-random, so
 *   the statistics alone would call them ciphertext.
 *
 * Each header is confirmed by fields random bytes do not fake (sizes that fit
 * the file, ids of a fixed form, tables inside the file). References:
 * switchbrew.org (NCA, PFS0, XCI, NRO), 3dbrew.org (NCCH, NCSD), psdevwiki.com
 * (PKG files, PS4 PKG), wiibrew.org (Wii disc), Dolphin docs/WiaAndRvz.md.
 * Fixtures are written from these layouts (fixtures/game-consoles/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import {
  afterStructureEnd,
  appendedAfterRecords,
  ascii,
  locked,
  notingZeroPadding,
  plain,
  probeBytes,
  startsWith,
  u16be,
  u32be,
  u32le,
  u64be,
  u64le,
} from './util.js';

const SWITCH_KEYS: KeyHint = {
  description:
    "The console's keys (prod.keys: header_key, key-area and titlekek keys, dumped from a Switch with Lockpick_RCM) " +
    "and the title's key (title.keys, or the ticket's key unwrapped with titlekek).",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/prod.keys', '**/title.keys', '**/keys.txt', '**/keys.dat'],
};

const N3DS_KEYS: KeyHint = {
  description: "The 3DS's AES key slots (aes_keys.txt, or the boot9.bin they are derived from, dumped from a 3DS).",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/aes_keys.txt', '**/boot9.bin', '**/seeddb.bin'],
};

const NPDRM_LICENSE: KeyHint = {
  description:
    "The title's license: a .rap or .rif (PS3/PSP) or work.bin / zRIF (PS Vita), with the console's act.dat and " +
    'IDPS for a bought title; the klicensee it yields decrypts the EDAT/SELF content.',
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/*.rap', '**/*.rif', '**/work.bin', '**/act.dat'],
};

const PS4_KEYS: KeyHint = {
  description: "The PS4's keys and the title's license (the EKPFS the console's secure processor unwraps).",
  kind: 'hardware',
  present: 'unknown',
};

/** A NUL-padded printable field b[from, to): its text, or undefined. */
function field(b: Uint8Array, from: number, to: number): string | undefined {
  if (to > b.length) return undefined;
  const end = b.subarray(from, to).indexOf(0);
  const text = ascii(b, from, end < 0 ? to : from + end);
  return /^[\x20-\x7e]*$/.test(text) ? text : undefined;
}

/** The PFS0 file table (names and sizes) when it fits the head and the file. */
function pfs0Entries(probe: Probe): { name: string; size: number }[] | undefined {
  const h = probe.head;
  const count = u32le(h, 4);
  const strings = u32le(h, 8);
  if (count === undefined || strings === undefined || count === 0 || count > 4096 || strings > 0x10000) return;
  const tableEnd = 0x10 + count * 0x18;
  const dataStart = tableEnd + strings;
  if (dataStart > probe.size || dataStart > h.length) return undefined;
  const entries: { name: string; size: number }[] = [];
  let end = 0;
  for (let i = 0; i < count; i++) {
    const at = 0x10 + i * 0x18;
    const offset = u64le(h, at);
    const size = u64le(h, at + 8);
    const nameAt = u32le(h, at + 16);
    if (offset === undefined || size === undefined || nameAt === undefined || nameAt >= strings) return undefined;
    if (offset < end) return undefined; // entries are laid out in order
    end = offset + size;
    const name = field(h, tableEnd + nameAt, dataStart);
    if (!name) return undefined;
    entries.push({ name, size });
  }
  return dataStart + end <= probe.size ? entries : undefined;
}

function pfs0(probe: Probe): Detection | undefined {
  const entries = pfs0Entries(probe);
  if (!entries) return undefined;
  const ncas = entries.filter((e) => /\.nca$/i.test(e.name)).length;
  const tickets = entries.filter((e) => /\.tik$/i.test(e.name)).length;
  const names = entries
    .slice(0, 6)
    .map((e) => e.name)
    .join(', ');
  const figures = { files: entries.length, ncas, tickets };
  if (ncas > 0)
    return locked({
      id: 'nintendo-switch-nsp',
      name: 'Nintendo Switch package (NSP)',
      confidence: 0.93,
      code: 'SWITCH_PFS0_NCAS',
      message:
        `PFS0 file table of ${entries.length} file(s) that fit the file (${names}): ${ncas} NCA(s), whose headers ` +
        "are AES-XTS and sections AES-CTR encrypted with the console's keys and the title key" +
        (tickets ? `; ${tickets} ticket(s) hold that title key wrapped with titlekek` : '') +
        '.',
      figures,
      scheme: 'nintendo-switch-nca',
      keyHint: SWITCH_KEYS,
    });
  return plain('analysable', {
    id: 'nintendo-switch-pfs0',
    name: 'Nintendo Switch partition filesystem (PFS0)',
    confidence: 0.9,
    code: 'SWITCH_PFS0_PLAIN',
    message: `PFS0 file table of ${entries.length} file(s) that fit the file (${names}), none of them an NCA: plain files.`,
    figures,
  });
}

const GAMECARD_SIZES: Record<number, string> = {
  0xfa: '1 GB',
  0xf8: '2 GB',
  0xf0: '4 GB',
  0xe0: '8 GB',
  0xe1: '16 GB',
  0xe2: '32 GB',
};

/**
 * An XCI's card header at `start` (0, or 0x1000 in a dump that keeps the card key area before it): its size
 * byte, valid data end (u32, 0x200-byte pages) and root HFS0 offset and size (relative to the header).
 */
function xci(probe: Probe, start: number): Detection | undefined {
  const h = probe.head;
  const card = GAMECARD_SIZES[h[start + 0x10d] ?? 0];
  const validEnd = u32le(h, start + 0x118);
  const rootAt = u64le(h, start + 0x130);
  const rootSize = u64le(h, start + 0x138);
  if (!card || validEnd === undefined || rootAt === undefined || rootSize === undefined) return undefined;
  // The root HFS0 starts on a page, holds at least its 16-byte header, and lies inside the (trimmed) dump.
  if (rootAt % 0x200 !== 0 || rootSize < 0x10 || rootSize > 0x100000 || start + rootAt + rootSize > probe.size)
    return undefined;
  if ((validEnd + 1) * 0x200 < rootAt + rootSize) return undefined;
  const root = probeBytes(probe, start + rootAt, 4);
  if (root && !startsWith(root, 'HFS0')) return undefined;
  return locked({
    id: 'nintendo-switch-xci',
    name: 'Nintendo Switch gamecard image (XCI)',
    confidence: 0.93,
    code: 'SWITCH_XCI_HEADER',
    message:
      `Gamecard header ("HEAD" at 0x${(start + 0x100).toString(16)}, ${card} card) whose root partition table ` +
      `(at ${start + rootAt}, ${rootSize} bytes) fits the file: its partitions hold NCAs encrypted with the ` +
      "console's keys and the title key.",
    figures: { cardSize: card, rootOffset: start + rootAt, rootBytes: rootSize },
    scheme: 'nintendo-switch-nca',
    keyHint: SWITCH_KEYS,
  });
}

function nro(probe: Probe): Detection | undefined {
  const h = probe.head;
  const size = u32le(h, 0x18);
  if (size === undefined || size < 0x80 || size > probe.size) return undefined;
  // Text, read-only and data segments: (offset, size) pairs in order inside the image.
  let end = 0;
  for (let s = 0; s < 3; s++) {
    const offset = u32le(h, 0x20 + s * 8);
    const length = u32le(h, 0x24 + s * 8);
    if (offset === undefined || length === undefined || offset < end || offset + length > size) return undefined;
    end = offset + length;
  }
  return plain('analysable', {
    id: 'nintendo-switch-nro',
    name: 'Nintendo Switch homebrew executable (NRO)',
    confidence: 0.9,
    code: 'SWITCH_NRO_HEADER',
    message: `"NRO0" at 0x10: a ${size}-byte image whose text, read-only and data segments fit it; a plain executable.`,
    figures: { imageBytes: size, fileBytes: probe.size },
  });
}

/** An NCCH header at `at`: its crypto flags, when its content size fits the file. */
function ncchAt(
  probe: Probe,
  at: number,
): { flags: number; product: string; units: number; system: boolean } | undefined {
  const b = probeBytes(probe, at, 0x200);
  if (!b || !startsWith(b.subarray(0x100), 'NCCH')) return undefined;
  const units = u32le(b, 0x104) ?? 0;
  const product = field(b, 0x150, 0x160);
  const unit = 0x200 << (b[0x18e] ?? 0);
  if (units === 0 || product === undefined || at + units * unit > probe.size) return undefined;
  // ExeFS and RomFS regions (media units) lie within the content.
  for (const r of [0x1a0, 0x1b0]) {
    const offset = u32le(b, r) ?? 0;
    const size = u32le(b, r + 4) ?? 0;
    if (size > 0 && offset + size > units) return undefined;
  }
  // Program id's high word: category bit 0x10 marks a system title, whose fixed key is the console's, not zeros.
  const system = ((u32le(b, 0x11c) ?? 0) & 0x10) !== 0;
  return { flags: b[0x18f] ?? 0, product, units, system };
}

function ncchVerdict(
  n: { flags: number; product: string; system: boolean },
  ids: { locked: string; plain: string; name: string },
  where: string,
): Detection {
  const figures = { flags7: n.flags, product: n.product };
  if (n.flags & 0x4)
    return plain('analysable', {
      id: ids.plain,
      name: `${ids.name}, decrypted`,
      confidence: 0.92,
      code: 'N3DS_NCCH_NOCRYPTO',
      message: `${where} NCCH "${n.product}" with the NoCrypto flag (flags[7] bit 2): ExeFS and RomFS are in clear.`,
      figures,
    });
  if (n.flags & 0x1 && !n.system)
    return plain('analysable', {
      id: ids.plain,
      name: `${ids.name}, decrypted`,
      confidence: 0.85,
      code: 'N3DS_NCCH_FIXED_KEY',
      message:
        `${where} NCCH "${n.product}" with the FixedCryptoKey flag: an application's fixed key is all zeros, ` +
        'derivable without any secret.',
      figures,
    });
  return locked({
    id: ids.locked,
    name: ids.name,
    confidence: 0.92,
    code: 'N3DS_NCCH_ENCRYPTED',
    message:
      `${where} NCCH "${n.product}" without the NoCrypto flag${n.flags & 0x1 ? " (a system title: its fixed key is the console's)" : ' or FixedCryptoKey flags'}: its ExeFS and RomFS are AES-CTR ` +
      "encrypted with keys from the 3DS's key slots.",
    figures,
    scheme: 'nintendo-3ds-ncch-aes-ctr',
    keyHint: N3DS_KEYS,
  });
}

function ncsd(probe: Probe): Detection | undefined {
  const h = probe.head;
  const units = u32le(h, 0x104) ?? 0;
  const p0 = u32le(h, 0x120) ?? 0;
  const p0Size = u32le(h, 0x124) ?? 0;
  if (units === 0 || p0 === 0 || p0Size === 0 || p0 + p0Size > units) return undefined;
  const n = ncchAt(probe, p0 * 0x200);
  // Partition 0's flags lie past the bytes read (a 16 KiB head ends at 0x4000): libmagic names it.
  if (!n) return undefined;
  return ncchVerdict(
    n,
    { locked: 'nintendo-3ds-cci', plain: 'nintendo-3ds-cci-decrypted', name: 'Nintendo 3DS gamecard image (NCSD/CCI)' },
    `NCSD image whose partition 0 is an`,
  );
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;
/** Signature block sizes by signature type (RSA-4096, RSA-2048, ECDSA; SHA-256), each with its padding. */
const SIGNATURE_BYTES: Record<number, number> = { 0x10003: 0x23c, 0x10004: 0x13c, 0x10005: 0x7c };

/**
 * A CIA: its header (0x2020 bytes, type and version 0), then certificate chain, ticket, TMD, contents and meta,
 * each 64-byte aligned, adding up to the file's size. Content 0's type flags in the TMD say whether it is
 * encrypted (bit 0): tools that decrypt a CIA clear it.
 */
function cia(probe: Probe): Detection | undefined {
  const h = probe.head;
  const cert = u32le(h, 8);
  const ticket = u32le(h, 12);
  const tmd = u32le(h, 16);
  const meta = u32le(h, 20);
  const content = u64le(h, 24);
  if (u32le(h, 4) !== 0 || cert === undefined || ticket === undefined || tmd === undefined || meta === undefined)
    return undefined;
  if (content === undefined || cert === 0 || ticket === 0 || tmd === 0) return undefined;
  const tmdAt = align64(0x2020) + align64(cert) + align64(ticket);
  const total = tmdAt + align64(tmd) + align64(content) + align64(meta);
  // A CIA's last section may be unpadded: the file ends within 64 bytes of the aligned total. Bytes past the aligned
  // total are set aside when they are NULs or text (slack, a carve that ran on into a log: `appendedAfterRecords`),
  // never other bytes.
  if (total > probe.size ? total - probe.size >= 64 : total < probe.size && !appendedAfterRecords(probe, total))
    return undefined;
  const after = afterStructureEnd(probe, total);
  const note = (d: Detection): Detection => notingZeroPadding(d, after, 'the sections before them');
  const signature = SIGNATURE_BYTES[u32be(h, tmdAt) ?? 0];
  if (signature === undefined) return undefined;
  // TMD: signature type (4) and block, the 0xC4-byte header, 64 content info records, then the content chunks.
  const chunkType = u16be(h, tmdAt + 4 + signature + 0xc4 + 0x900 + 6);
  if (chunkType === undefined) return undefined;
  const figures = { certBytes: cert, ticketBytes: ticket, tmdBytes: tmd, contentBytes: content };
  if ((chunkType & 1) === 0)
    return note(
      plain('analysable', {
        id: 'nintendo-3ds-cia-decrypted',
        name: 'Nintendo 3DS installable archive (CIA), decrypted',
        confidence: 0.9,
        code: 'N3DS_CIA_PLAIN',
        message:
          'CIA header whose certificate chain, ticket, TMD and contents add up to the file; the TMD marks content 0 ' +
          'as not encrypted (type flag bit 0 clear).',
        figures,
      }),
    );
  return note(
    locked({
      id: 'nintendo-3ds-cia',
      name: 'Nintendo 3DS installable archive (CIA)',
      confidence: 0.9,
      code: 'N3DS_CIA_ENCRYPTED',
      message:
        'CIA header whose certificate chain, ticket, TMD and contents add up to the file; the TMD marks content 0 ' +
        "encrypted: AES-CBC with the title key, which the ticket holds wrapped by the 3DS's common key.",
      figures,
      scheme: 'nintendo-3ds-cia-title-key',
      keyHint: N3DS_KEYS,
    }),
  );
}

/**
 * A PSP PBP (EBOOT.PBP): eight section offsets in order inside the file, PARAM.SFO ("\0PSF") first. Retail
 * DATA.PSP executables are encrypted with keys PPSSPP ships (not a secret); a PSN game's DATA.PSAR
 * ("NPUMDIMG") is encrypted with a key from the title's license.
 */
function pbp(probe: Probe): Detection | undefined {
  const h = probe.head;
  const offsets: number[] = [];
  for (let i = 0; i < 8; i++) offsets.push(u32le(h, 8 + i * 4) ?? -1);
  if (offsets[0] !== 0x28 || offsets.some((o, i) => o < (offsets[i - 1] ?? 0x28) || o > probe.size)) return;
  const sfo = probeBytes(probe, 0x28, 4);
  if (offsets[1]! > 0x28 && !(sfo && startsWith(sfo, '\0PSF'))) return undefined;
  const psar = probeBytes(probe, offsets[7]!, 8);
  const npdrm = psar !== undefined && startsWith(psar, 'NPUMDIMG');
  const figures = { paramSfoBytes: offsets[1]! - 0x28, dataPsarOffset: offsets[7]! };
  if (npdrm)
    return locked({
      id: 'psp-pbp-npdrm',
      name: 'PSP executable package (EBOOT.PBP), NPDRM',
      confidence: 0.9,
      code: 'PSP_PBP_NPDRM',
      message:
        '"\\0PBP" header whose eight sections lie in order inside the file; DATA.PSAR is "NPUMDIMG": a PSN ' +
        "game's disc image, encrypted with a key from the title's license.",
      figures,
      scheme: 'playstation-npdrm',
      keyHint: NPDRM_LICENSE,
    });
  return plain('analysable', {
    id: 'psp-pbp',
    name: 'PSP executable package (EBOOT.PBP)',
    confidence: 0.88,
    code: 'PSP_PBP_HEADER',
    message:
      '"\\0PBP" header whose eight sections (PARAM.SFO, icons, DATA.PSP, DATA.PSAR) lie in order inside the ' +
      "file; a retail DATA.PSP's keys ship with PPSSPP, so nothing secret protects it." +
      (psar ? '' : " DATA.PSAR's start was not read."),
    figures,
  });
}

const SELF_TYPES: Record<number, string> = {
  1: 'LV0',
  2: 'LV1',
  3: 'LV2',
  4: 'application',
  5: 'isolated SPU module',
  6: 'secure loader',
  8: 'NPDRM application',
};

/**
 * A PS3 SELF ("SCE\0", version 2, big-endian): header type 1, the extended header's application info (program
 * type) and the ELF header, which lie in clear. A fake-signed SELF (key revision 0x8000) has its segments in clear;
 * retail segments are encrypted with firmware keys RPCS3 ships (published: not a secret); an NPDRM application's
 * also with the klicensee from the title's license.
 */
function ps3Self(probe: Probe): Detection | undefined {
  const h = probe.head;
  const keyRevision = u16be(h, 8);
  const headerLen = u64be(h, 0x10);
  const appInfoAt = u64be(h, 0x28);
  const elfAt = u64be(h, 0x30);
  if (u32be(h, 4) !== 2 || u16be(h, 10) !== 1 || keyRevision === undefined || headerLen === undefined) return;
  if (appInfoAt === undefined || elfAt === undefined || u64be(h, 0x20) !== 3 || headerLen > probe.size) return;
  if (appInfoAt + 0x20 > headerLen || elfAt + 0x40 > headerLen) return undefined;
  const type = u32be(h, appInfoAt + 12);
  const elf = probeBytes(probe, elfAt, 4);
  const typeName = SELF_TYPES[type ?? 0];
  if (!typeName || !elf || !startsWith(elf, '\x7fELF')) return undefined;
  const figures = { keyRevision, programType: typeName };
  if (type === 8 && keyRevision !== 0x8000)
    return locked({
      id: 'ps3-self-npdrm',
      name: 'PlayStation 3 signed executable (SELF), NPDRM',
      confidence: 0.9,
      code: 'PS3_SELF_NPDRM',
      message:
        `"SCE\\0" header (SELF, key revision ${keyRevision}) with an ELF header in clear and program type NPDRM ` +
        "application: its segments are encrypted with the klicensee from the title's license.",
      figures,
      scheme: 'playstation-npdrm',
      keyHint: NPDRM_LICENSE,
    });
  return plain('analysable', {
    id: 'ps3-self',
    name: 'PlayStation 3 signed executable (SELF)',
    confidence: 0.88,
    code: 'PS3_SELF_HEADER',
    message:
      `"SCE\\0" header (SELF, ${typeName}, key revision 0x${keyRevision.toString(16)}) with an ELF header in ` +
      'clear: ' +
      (keyRevision === 0x8000
        ? 'fake-signed, its segments in clear.'
        : 'its segments are encrypted with firmware keys that RPCS3 ships, so nothing secret protects them.'),
    figures,
  });
}

const CONTENT_ID = /^[A-Z]{2}\d{4}-[A-Z0-9]{9}_\d{2}-[A-Z0-9]{16}$/;

function ps3Pkg(probe: Probe): Detection | undefined {
  const h = probe.head;
  const revision = u32be(h, 4);
  const total = u64be(h, 0x18);
  const dataAt = u64be(h, 0x20);
  const dataSize = u64be(h, 0x28);
  const contentId = field(h, 0x30, 0x60);
  if (revision === undefined || total === undefined || dataAt === undefined || dataSize === undefined) return;
  const rev = revision >>> 16;
  const type = revision & 0xffff;
  if ((rev !== 0x8000 && rev !== 0) || (type !== 1 && type !== 2)) return undefined;
  if (total !== probe.size || dataAt < 0xc0 || dataAt + dataSize > total || !contentId || !CONTENT_ID.test(contentId))
    return undefined;
  const platform = type === 1 ? 'PS3' : 'PSP/PS Vita';
  const figures = { revision: rev, platform, contentId };
  if (rev === 0)
    return plain('opaque', {
      id: 'playstation-pkg-debug',
      name: 'PlayStation package (PKG), debug',
      confidence: 0.9,
      code: 'PS_PKG_DEBUG',
      message:
        `"\\x7fPKG" ${platform} debug package ${contentId} (revision 0x0000): its body's key is derived from the ` +
        "header's own digest, so nothing secret protects it; a niche format.",
      figures,
    });
  return locked({
    id: 'playstation-pkg',
    name: 'PlayStation package (PKG)',
    confidence: 0.9,
    code: 'PS_PKG_RETAIL',
    message:
      `"\\x7fPKG" ${platform} retail package ${contentId} (revision 0x8000) whose sizes fit the file: its content is ` +
      "NPDRM, encrypted with a klicensee that comes from the title's license, not from the file.",
    figures,
    scheme: 'playstation-npdrm',
    keyHint: NPDRM_LICENSE,
  });
}

function ps4Pkg(probe: Probe): Detection | undefined {
  const h = probe.head;
  const bodyAt = u64be(h, 0x20);
  const bodySize = u64be(h, 0x28);
  const contentAt = u64be(h, 0x30);
  const contentSize = u64be(h, 0x38);
  const contentId = field(h, 0x40, 0x70);
  if (bodyAt === undefined || bodySize === undefined || contentAt === undefined || contentSize === undefined) return;
  if (
    bodyAt + bodySize > probe.size ||
    contentAt + contentSize > probe.size ||
    !contentId ||
    !CONTENT_ID.test(contentId)
  )
    return undefined;
  return locked({
    id: 'playstation4-pkg',
    name: 'PlayStation 4 package (PKG)',
    confidence: 0.88,
    code: 'PS4_PKG_HEADER',
    message:
      `"\\x7fCNT" package ${contentId} whose body and content fit the file: its PFS image is encrypted with keys ` +
      "the console unwraps from the title's license.",
    figures: { contentId, contentBytes: contentSize },
    scheme: 'playstation4-pfs',
    keyHint: PS4_KEYS,
  });
}

/** A GameCube/Wii disc header at `at`: its system, game id and title. */
function discHeader(b: Uint8Array, at: number): { system: string; id: string; title: string } | undefined {
  const wii = u32be(b, at + 0x18) === 0x5d1c9ea3;
  const gc = u32be(b, at + 0x1c) === 0xc2339f3d;
  if (wii === gc) return undefined;
  const id = field(b, at, at + 6);
  const title = field(b, at + 0x20, at + 0x80);
  if (!id || !/^[A-Z0-9]{6}$/.test(id) || !title) return undefined;
  return { system: wii ? 'Wii' : 'GameCube', id, title };
}

function disc(probe: Probe): Detection | undefined {
  const d = discHeader(probe.head, 0);
  if (!d) return undefined;
  return plain('analysable', {
    id: d.system === 'Wii' ? 'nintendo-wii-disc' : 'nintendo-gamecube-disc',
    name: `Nintendo ${d.system} disc image`,
    confidence: 0.92,
    code: 'NINTENDO_DISC_HEADER',
    message:
      `${d.system} disc header: game ${d.id} "${d.title}" and the magic word at 0x${d.system === 'Wii' ? '18' : '1c'}` +
      (d.system === 'Wii'
        ? '; its partitions are encrypted with the Wii common key, which Dolphin ships and uses unasked: not a secret.'
        : '; the file system is in clear.'),
    figures: { gameId: d.id, title: d.title },
  });
}

function wbfs(probe: Probe): Detection | undefined {
  const h = probe.head;
  const sectors = u32be(h, 4) ?? 0;
  const hdShift = h[8] ?? 0;
  const wbfsShift = h[9] ?? 0;
  if (sectors === 0 || hdShift < 9 || hdShift > 12 || wbfsShift < hdShift || wbfsShift > 30) return undefined;
  const d = discHeader(h, 1 << hdShift);
  if (!d || d.system !== 'Wii') return undefined;
  return plain('analysable', {
    id: 'nintendo-wbfs',
    name: 'Wii Backup File System image (WBFS)',
    confidence: 0.9,
    code: 'WBFS_HEADER',
    message:
      `"WBFS" header (${1 << hdShift}-byte sectors, ${2 ** wbfsShift}-byte WBFS blocks) holding Wii disc ${d.id} ` +
      `"${d.title}"; its partitions use the published Wii common key.`,
    figures: { gameId: d.id, title: d.title },
  });
}

function wiaRvz(probe: Probe): Detection | undefined {
  const h = probe.head;
  const isoSize = u64be(h, 0x24);
  const fileSize = u64be(h, 0x2c);
  if (isoSize === undefined || fileSize !== probe.size || isoSize < 0x20000) return undefined;
  const kind = ascii(h, 0, 3);
  return plain('analysable', {
    id: 'dolphin-wia-rvz',
    name: 'Dolphin compressed disc image (WIA/RVZ)',
    confidence: 0.9,
    code: 'DOLPHIN_WIA_RVZ_HEADER',
    message:
      `"${kind}\\x01" header whose recorded file size (${fileSize}) is this file's, for a ${isoSize}-byte disc: ` +
      'compressed groups (Zstandard, LZMA, bzip2), not ciphertext.',
    figures: { isoBytes: isoSize, fileBytes: fileSize },
  });
}

export const gameConsolesDetector = defineDetector({
  meta: {
    id: 'game-consoles',
    version: '1.1.0',
    title: 'Game console dumps and packages: Switch NSP/XCI/NRO, 3DS NCCH/CCI, PlayStation PKG, GameCube/Wii images',
    formats: [
      {
        id: 'nintendo-switch-nsp',
        name: 'Nintendo Switch package (NSP)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['nsp'],
      },
      {
        id: 'nintendo-switch-pfs0',
        name: 'Nintendo Switch partition filesystem (PFS0)',
        status: 'analysable',
        how: 'structure',
        extensions: ['pfs0', 'nsp'],
      },
      {
        id: 'nintendo-switch-xci',
        name: 'Nintendo Switch gamecard image (XCI)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['xci'],
      },
      {
        id: 'nintendo-switch-nro',
        name: 'Nintendo Switch homebrew executable (NRO)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['nro'],
      },
      {
        id: 'nintendo-3ds-ncch',
        name: 'Nintendo 3DS content (NCCH/CXI/CFA)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['cxi', 'cfa', 'app', 'ncch'],
      },
      {
        id: 'nintendo-3ds-ncch-decrypted',
        name: 'Nintendo 3DS content (NCCH/CXI/CFA), decrypted',
        status: 'analysable',
        how: 'header-field',
        extensions: ['cxi', 'cfa', 'app', 'ncch'],
      },
      {
        id: 'nintendo-3ds-cci',
        name: 'Nintendo 3DS gamecard image (NCSD/CCI)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['3ds', 'cci'],
      },
      {
        id: 'nintendo-3ds-cci-decrypted',
        name: 'Nintendo 3DS gamecard image (NCSD/CCI), decrypted',
        status: 'analysable',
        how: 'header-field',
        extensions: ['3ds', 'cci'],
      },
      {
        id: 'nintendo-3ds-cia',
        name: 'Nintendo 3DS installable archive (CIA)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['cia'],
      },
      {
        id: 'nintendo-3ds-cia-decrypted',
        name: 'Nintendo 3DS installable archive (CIA), decrypted',
        status: 'analysable',
        how: 'structure',
        extensions: ['cia'],
      },
      {
        id: 'psp-pbp',
        name: 'PSP executable package (EBOOT.PBP)',
        status: 'analysable',
        how: 'structure',
        extensions: ['pbp'],
      },
      {
        id: 'psp-pbp-npdrm',
        name: 'PSP executable package (EBOOT.PBP), NPDRM',
        status: 'encrypted',
        how: 'structure',
        extensions: ['pbp'],
      },
      {
        id: 'ps3-self',
        name: 'PlayStation 3 signed executable (SELF)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['self', 'sprx', 'bin'],
      },
      {
        id: 'ps3-self-npdrm',
        name: 'PlayStation 3 signed executable (SELF), NPDRM',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['self', 'sprx', 'bin'],
      },
      {
        id: 'playstation-pkg',
        name: 'PlayStation package (PKG)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pkg'],
      },
      {
        id: 'playstation-pkg-debug',
        name: 'PlayStation package (PKG), debug',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pkg'],
      },
      {
        id: 'playstation4-pkg',
        name: 'PlayStation 4 package (PKG)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pkg'],
      },
      {
        id: 'nintendo-wii-disc',
        name: 'Nintendo Wii disc image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['iso', 'wbfs'],
      },
      {
        id: 'nintendo-gamecube-disc',
        name: 'Nintendo GameCube disc image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['iso', 'gcm'],
      },
      {
        id: 'nintendo-wbfs',
        name: 'Wii Backup File System image (WBFS)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['wbfs'],
      },
      {
        id: 'dolphin-wia-rvz',
        name: 'Dolphin compressed disc image (WIA/RVZ)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['rvz', 'wia'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'PFS0' },
    { offset: 0, hex: '20200000' },
    { offset: 0, hex: '00504250' },
    { offset: 0, hex: '53434500' },
    { offset: 0x100, ascii: 'HEAD' },
    { offset: 0x1100, ascii: 'HEAD' },
    { offset: 0x10, ascii: 'NRO0' },
    { offset: 0x100, ascii: 'NCCH' },
    { offset: 0x100, ascii: 'NCSD' },
    { offset: 0, hex: '7f504b47' },
    { offset: 0, hex: '7f434e54' },
    { offset: 0x18, hex: '5d1c9ea3' },
    { offset: 0x1c, hex: 'c2339f3d' },
    { offset: 0, ascii: 'WBFS' },
    { offset: 0, hex: '52565a01' },
    { offset: 0, hex: '57494101' },
  ],
  minSize: 0x20,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'PFS0')) return pfs0(probe);
    if (u32le(h, 0) === 0x2020) return cia(probe);
    if (startsWith(h, '\0PBP')) return pbp(probe);
    if (startsWith(h, 'SCE\0')) return ps3Self(probe);
    if (startsWith(h, '\x7fPKG')) return ps3Pkg(probe);
    if (startsWith(h, '\x7fCNT')) return ps4Pkg(probe);
    if (startsWith(h, 'WBFS')) return wbfs(probe);
    if (startsWith(h, 'RVZ\x01') || startsWith(h, 'WIA\x01')) return wiaRvz(probe);
    if (ascii(h, 0x10, 0x14) === 'NRO0') return nro(probe);
    const at100 = ascii(h, 0x100, 0x104);
    if (at100 === 'HEAD') return xci(probe, 0);
    if (ascii(h, 0x1100, 0x1104) === 'HEAD') return xci(probe, 0x1000);
    if (at100 === 'NCSD') return ncsd(probe);
    if (at100 === 'NCCH') {
      const n = ncchAt(probe, 0);
      return n
        ? ncchVerdict(
            n,
            {
              locked: 'nintendo-3ds-ncch',
              plain: 'nintendo-3ds-ncch-decrypted',
              name: 'Nintendo 3DS content (NCCH/CXI/CFA)',
            },
            'An',
          )
        : undefined;
    }
    return disc(probe);
  },
});
