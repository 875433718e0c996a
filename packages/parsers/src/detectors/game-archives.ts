/**
 * Game engines' resource archives, as phones (`Android/obb/<pkg>/`, app
 * bundles) and computers (a game's install folder) keep them. Each is named
 * by fields that must agree with the file, not by a magic alone:
 *
 * - Unreal Engine `.pak`: a footer at the end (magic 0x5A6F12E1, version,
 *   index offset and size); the index must end where the footer starts. Its
 *   bEncryptedIndex byte says the index is AES-256 encrypted with the game's
 *   key: the key is compiled into the game's executable (in the extraction
 *   when the app is), not in the file, so such a pak is encrypted (partial).
 * - Godot `.pck`: "GDPC", pack format, engine version; format 2+ has pack
 *   flags whose bit 0 says the directory is encrypted (AES-256 with the key
 *   set at export and compiled into the exported app): encrypted. Otherwise
 *   the directory's `res://` paths and ranges must fit the file.
 * - Ren'Py `.rpa`: "RPA-3.0 <index offset> <key>"; the index is a zlib'd
 *   pickle whose offsets are XORed with the key in the header: not encrypted.
 * - RPG Maker XP/VX/VX Ace `.rgssad`/`.rgss2a`/`.rgss3a`: names and sizes
 *   XORed with a key stream from a fixed seed (v1) or from the header (v3);
 *   the first entry decodes to a printable name and a size that fits.
 * - RPG Maker MV/MZ `.rpgmvp`/`.png_`/`.rpgmvo`/`.ogg_`/`.rpgmvm`/`.m4a_`: a
 *   fixed 16-byte "RPGMV" header, then the asset with its first 16 bytes
 *   XORed with the key in the game's `data/System.json` (for a PNG the key
 *   follows from the file alone, as those 16 bytes are fixed): not encrypted.
 * - GameMaker `data.win`/`game.droid`/`game.ios`/`game.unx`: IFF "FORM" whose
 *   first chunk is GEN8 and whose chunk sizes chain to the FORM's end (libmagic
 *   and file-type call any FORM an AIFF or IFF picture).
 *
 * - Unreal Engine IoStore `.utoc` (UE 4.26+ and UE5, the usual packaging on
 *   phones, beside a `.ucas` of compressed chunks): "-==--==--==--==-", a
 *   version, a 144-byte header whose entry sizes are the fixed ones (12-byte
 *   compressed block entries, 32-byte method names) and counts whose tables
 *   fit the file; container flag 2 says the container is AES-256 encrypted
 *   (the game's key again): encrypted, partial (chunk ids stay clear).
 * - FMOD sound banks (`.fsb`, Unity's `.resource` audio streams, which hold
 *   one bank after another): "FSB5", version, sample count and the sizes of
 *   the sample headers, name table and data, which add up to the bank; the
 *   banks must chain to the end of the file (or past the bytes read).
 *
 * The readable ones are opaque: only modding tools (unrpa, UnrealPak,
 * GDRE Tools, UndertaleModTool) read them. References: UnrealPak's
 * FPakInfo (PakFile.h), Godot core/io/file_access_pack.cpp and
 * pck_packer.cpp, Ren'Py launcher/game/archiver.rpy and renpy/loader.py,
 * RPG Maker Decrypter (uuksu) RGSSAD notes, RPG Maker MV rpg_core.js
 * (Decrypter), UndertaleModTool UndertaleChunks.cs.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { indexOf, locked, plain, u32be, u32le, u64le } from './util.js';
import { trialInflate } from './trial-decode.js';
import { trimEndOf } from '../text-ends.js';

const PAK = { id: 'unreal-pak', name: 'Unreal Engine pak archive' } as const;
const PCK = { id: 'godot-pck', name: 'Godot resource pack' } as const;
const PAK_LOCKED = { id: 'unreal-pak-encrypted', name: 'Unreal Engine pak archive (encrypted index)' } as const;
const PCK_LOCKED = { id: 'godot-pck-encrypted', name: 'Godot resource pack (encrypted)' } as const;
const RPA = { id: 'renpy-rpa', name: "Ren'Py archive" } as const;
const RGSS = { id: 'rpg-maker-rgss-archive', name: 'RPG Maker RGSS archive' } as const;
const RPGMV = { id: 'rpg-maker-mv-asset', name: 'RPG Maker MV/MZ obfuscated asset' } as const;
const GAMEMAKER = { id: 'gamemaker-data', name: 'GameMaker data file' } as const;
const FSB5 = { id: 'fmod-fsb5', name: 'FMOD sound bank (FSB5)' } as const;
const UTOC = { id: 'unreal-iostore-toc', name: 'Unreal Engine IoStore table of contents (.utoc)' } as const;
const UTOC_LOCKED = {
  id: 'unreal-iostore-toc-encrypted',
  name: 'Unreal Engine IoStore table of contents (encrypted container)',
} as const;

/** The last bytes of the file: the whole head when it holds the file. */
function endBytes(probe: Probe): Uint8Array {
  return probe.complete ? probe.head : probe.tail;
}

// ---- Unreal Engine pak ----

/** Footer lengths after the magic's start, by layout: v1–v7 (45 with the GUID for v7), v8a, v8b/v10+, v9. */
const PAK_AFTER_MAGIC = [40, 168, 200, 201] as const;

function readPak(probe: Probe): Detection | undefined {
  const end = endBytes(probe);
  const base = probe.size - end.length;
  for (const after of PAK_AFTER_MAGIC) {
    const p = end.length - after - 4;
    if (p < 1 || u32le(end, p) !== 0x5a6f12e1) continue;
    const version = u32le(end, p + 4)!;
    const indexOffset = u64le(end, p + 8);
    const indexSize = u64le(end, p + 16);
    if (version < 1 || version > 15 || indexOffset === undefined || indexSize === undefined || indexSize === 0)
      continue;
    const encryptedFlag = version >= 4 ? end[p - 1] : 0;
    if (encryptedFlag !== 0 && encryptedFlag !== 1) continue;
    // The footer starts with the encryption key GUID (v7+) and the flag byte (v4+).
    const footerStart = base + p - (version >= 7 ? 17 : version >= 4 ? 1 : 0);
    const indexEnd = indexOffset + indexSize;
    if (indexEnd > footerStart || footerStart - indexEnd > 4096) continue;
    const figures = { version, indexOffset, indexBytes: indexSize, encryptedIndex: encryptedFlag === 1 };
    const head = `Unreal Engine pak archive (version ${version}): the footer's magic 0x5A6F12E1 and a ${indexSize}-byte index at byte ${indexOffset} that ends where the footer starts`;
    if (encryptedFlag === 1)
      return locked({
        ...PAK_LOCKED,
        confidence: 0.93,
        code: 'UNREAL_PAK_ENCRYPTED_INDEX',
        message: `${head}; bEncryptedIndex is set: the index (file names and ranges) is AES-256 encrypted, and entries may be too.`,
        figures,
        scheme: 'unreal-pak-aes256',
        scope: 'partial',
        keyHint: {
          description:
            "The game's 32-byte AES key, compiled into its executable (libUE4.so / libUnreal.so in the app's lib folder, or the Windows .exe): tools such as AESDumpster find it there.",
          kind: 'key-file',
          present: 'unknown',
          lookFor: ['**/libUE4.so', '**/libUnreal.so', '**/*-Shipping.exe'],
        },
      });
    // An unencrypted index starts with the mount point, a length-prefixed string ("../../../").
    const at = indexOffset - base;
    let mount = '';
    if (at >= 0 && at + 8 <= end.length) {
      const n = u32le(end, at)!;
      if (n < 1 || n > 1024 || (at + 4 + n <= end.length && end[at + 3 + n] !== 0)) continue;
      mount = Buffer.from(end.subarray(at + 4, Math.min(end.length, at + 3 + n))).toString('latin1');
    }
    return plain('opaque', {
      ...PAK,
      confidence: mount ? 0.95 : 0.9,
      code: 'UNREAL_PAK_FOOTER',
      message: `${head}${mount ? `, mounted at "${mount}"` : ''}; the index is not encrypted. Game content (often zlib/Oodle-compressed), read by UnrealPak or FModel.`,
      figures,
    });
  }
  return undefined;
}

// ---- Godot pck ----

function readPck(probe: Probe): Detection | undefined {
  const h = probe.head;
  const format = u32le(h, 4);
  const major = u32le(h, 8);
  const minor = u32le(h, 12);
  const patch = u32le(h, 16);
  if (format === undefined || major === undefined || minor === undefined || patch === undefined) return undefined;
  if (format < 1 || format > 3 || major < 1 || major > 5 || minor > 30 || patch > 30) return undefined;
  let flags = 0;
  let at = 20;
  let filesBase = 0;
  if (format >= 2) {
    flags = u32le(h, 20)!;
    filesBase = u64le(h, 24) ?? Infinity;
    if (flags > 0xff || filesBase > probe.size) return undefined;
    at = 32;
    // Format 3 (Godot 4.4) puts the directory where this offset says.
    if (format >= 3) {
      const dir = u64le(h, 32);
      if (dir === undefined || dir > probe.size) return undefined;
      at = 40;
    }
  }
  // Sixteen reserved words, all zero.
  for (let i = 0; i < 16; i++) if (u32le(h, at + i * 4) !== 0) return undefined;
  at += 64;
  const engine = `Godot ${major}.${minor}.${patch}`;
  if (format >= 2 && (flags & 1) !== 0) {
    return locked({
      ...PCK_LOCKED,
      confidence: 0.9,
      code: 'GODOT_PCK_ENCRYPTED_DIRECTORY',
      message: `Godot resource pack (pack format ${format}, ${engine}) whose flags say the directory is encrypted: the file list and (with it) the resources are AES-256-CFB encrypted with the key set at export.`,
      figures: { format, flags, filesBase },
      scheme: 'godot-pck-aes256',
      keyHint: {
        description:
          "The 256-bit script encryption key set at export, compiled into the exported game (libgodot_android.so in the APK, or the game's executable); GDRE Tools recovers it from there.",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/libgodot_android.so', '**/*.exe'],
      },
    });
  }
  if (format >= 3) return undefined;
  const count = u32le(h, at);
  if (count === undefined || count === 0 || count > 1_000_000) return undefined;
  at += 4;
  let walked = 0;
  let encryptedFiles = 0;
  const paths: string[] = [];
  while (walked < count && at + 4 <= h.length) {
    const n = u32le(h, at)!;
    if (n === 0 || n > 4096) return undefined;
    if (at + 4 + n + 32 + (format >= 2 ? 4 : 0) > h.length) break;
    const path = trimEndOf(Buffer.from(h.subarray(at + 4, at + 4 + n)).toString('latin1'), '\0');
    if (!/^(res:\/\/)?[\x20-\x7e]+$/.test(path)) return undefined;
    at += 4 + n;
    const offset = u64le(h, at)!;
    const size = u64le(h, at + 8)!;
    if (filesBase + offset + size > probe.size) return undefined;
    at += 32;
    if (format >= 2) {
      if ((u32le(h, at)! & 1) !== 0) encryptedFiles++;
      at += 4;
    }
    if (paths.length < 16) paths.push(path);
    walked++;
  }
  if (walked === 0) return undefined;
  const figures = { format, files: count, walked, encryptedFiles };
  if (encryptedFiles > 0)
    return locked({
      ...PCK_LOCKED,
      confidence: 0.9,
      code: 'GODOT_PCK_ENCRYPTED_FILES',
      message: `Godot resource pack (pack format ${format}, ${engine}) of ${count} files; ${encryptedFiles} of the ${walked} entries read are marked encrypted (AES-256-CFB with the key set at export).`,
      figures,
      scheme: 'godot-pck-aes256',
      scope: 'partial',
      keyHint: {
        description:
          'The 256-bit key set at export, compiled into the exported game (libgodot_android.so or the executable).',
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/libgodot_android.so', '**/*.exe'],
      },
    });
  return plain('opaque', {
    ...PCK,
    confidence: 0.95,
    code: 'GODOT_PCK_DIRECTORY',
    message: `Godot resource pack (pack format ${format}, ${engine}): a directory of ${count} files whose first ${walked} paths (${paths.slice(0, 3).join(', ')}) and ranges fit the file; none encrypted. Read by Godot or GDRE Tools.`,
    figures,
    details: { paths },
  });
}

// ---- Ren'Py rpa ----

function readRpa(probe: Probe): Detection | undefined {
  const line = Buffer.from(probe.head.subarray(0, 64)).toString('latin1').split('\n')[0]!;
  const m = /^RPA-(3\.0|3\.2|2\.0) ([0-9a-f]{16})(?: ([0-9a-f]{8}))?(?: .*)?$/.exec(line);
  if (!m) return undefined;
  const offset = parseInt(m[2]!, 16);
  if (offset <= line.length || offset >= probe.size) return undefined;
  if (m[1] !== '2.0' && m[3] === undefined) return undefined;
  // The index is a zlib stream: check its start where it is in the bytes read.
  const end = endBytes(probe);
  const at = offset - (probe.size - end.length);
  let inflated = false;
  if (at >= 0 && at < end.length) {
    if (!trialInflate(end.subarray(at), 'zlib', true).ok) return undefined;
    inflated = true;
  }
  return plain('opaque', {
    ...RPA,
    confidence: inflated ? 0.96 : 0.9,
    code: 'RENPY_RPA_HEADER',
    message: `Ren'Py archive (RPA-${m[1]}): the header line gives the index at byte ${offset}${m[3] ? ` and the XOR key 0x${m[3]}` : ''}${inflated ? '; the index there inflates' : ''}. The stored game files are plain and the offsets are only XORed with the key in the header: not encrypted; read by unrpa or rpatool.`,
    figures: { indexOffset: offset, indexInflates: inflated },
  });
}

// ---- RPG Maker RGSS archives ----

const step7 = (k: number): number => (Math.imul(k, 7) + 3) >>> 0;

function printableName(bytes: number[]): string | undefined {
  const s = String.fromCharCode(...bytes);
  return /^[\x20-\x7e]+$/.test(s) && /[\\/.]/.test(s) ? s : undefined;
}

function readRgss(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = h[7];
  let name: string | undefined;
  let size: number | undefined;
  if (version === 1) {
    let key = 0xdeadcafe;
    const n = (u32le(h, 8)! ^ key) >>> 0;
    key = step7(key);
    if (n < 1 || n > 512 || 12 + n + 4 > h.length) return undefined;
    const chars: number[] = [];
    for (let i = 0; i < n; i++) {
      chars.push(h[12 + i]! ^ (key & 0xff));
      key = step7(key);
    }
    name = printableName(chars);
    size = (u32le(h, 12 + n)! ^ key) >>> 0;
    if (!name || 16 + n + size > probe.size) return undefined;
  } else if (version === 3) {
    const key = (Math.imul(u32le(h, 8)!, 9) + 3) >>> 0;
    const offset = (u32le(h, 12)! ^ key) >>> 0;
    size = (u32le(h, 16)! ^ key) >>> 0;
    const n = (u32le(h, 24)! ^ key) >>> 0;
    if (n < 1 || n > 512 || 28 + n > h.length || offset < 28 + n || offset + size > probe.size) return undefined;
    const chars: number[] = [];
    for (let i = 0; i < n; i++) chars.push(h[28 + i]! ^ ((key >>> (8 * (i % 4))) & 0xff));
    name = printableName(chars);
    if (!name) return undefined;
  } else return undefined;
  return plain('opaque', {
    ...RGSS,
    confidence: 0.95,
    code: 'RGSS_ARCHIVE_ENTRY',
    message: `RPG Maker RGSS archive (version ${version}): the first entry, XOR-decoded with the ${version === 1 ? 'fixed key stream from 0xDEADCAFE' : "header's key"}, is "${name}" (${size} bytes, inside the file). Obfuscated with a key derived from the file, not encrypted; read by RPG Maker Decrypter.`,
    figures: { version, firstEntryBytes: size },
  });
}

// ---- RPG Maker MV/MZ assets ----

const RPGMV_HEADER = '5250474d560000000003010000000000';

function readRpgmv(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (Buffer.from(h.subarray(0, 16)).toString('hex') !== RPGMV_HEADER) return undefined;
  // What follows the 16 garbled bytes: a PNG's IHDR fields, an Ogg stream's next page, an MP4's next box.
  let inner: string | undefined;
  const width = u32be(h, 32);
  const height = u32be(h, 36);
  if (
    width &&
    height &&
    width < 1 << 16 &&
    height < 1 << 16 &&
    [1, 2, 4, 8, 16].includes(h[40]!) &&
    [0, 2, 3, 4, 6].includes(h[41]!)
  )
    inner = `PNG ${width}×${height}`;
  else if (indexOf(h.subarray(32, 8192), 'OggS') >= 0 || indexOf(h.subarray(32, 256), 'vorbis') >= 0)
    inner = 'Ogg Vorbis';
  else if (['moov', 'mdat', 'free', 'wide'].some((box) => indexOf(h.subarray(32, 4096), box) >= 0)) inner = 'M4A';
  if (!inner) return undefined;
  return plain('opaque', {
    ...RPGMV,
    confidence: 0.95,
    code: 'RPGMV_HEADER',
    message: `RPG Maker MV/MZ asset: the fixed "RPGMV" header, then a ${inner} whose first 16 bytes are XORed with the game's key (encryptionKey in data/System.json${inner.startsWith('PNG') ? '; for a PNG it also follows from the file, as those bytes are fixed' : ''}). Obfuscated, not encrypted.`,
    figures: { inner },
  });
}

// ---- GameMaker ----

function readGameMaker(probe: Probe): Detection | undefined {
  const h = probe.head;
  const formSize = u32le(h, 4);
  if (formSize === undefined || formSize + 8 !== probe.size) return undefined;
  let at = 8;
  const chunks: string[] = [];
  while (at + 8 <= h.length && at < probe.size) {
    const tag = Buffer.from(h.subarray(at, at + 4)).toString('latin1');
    if (!/^[A-Z0-9]{4}$/.test(tag)) return undefined;
    const size = u32le(h, at + 4)!;
    if (at + 8 + size > probe.size) return undefined;
    if (chunks.length < 32) chunks.push(tag);
    at += 8 + size;
  }
  if (chunks[0] !== 'GEN8' || chunks.length < 2 || (probe.complete && at !== probe.size)) return undefined;
  return plain('opaque', {
    ...GAMEMAKER,
    confidence: 0.95,
    code: 'GAMEMAKER_FORM_CHUNKS',
    message: `GameMaker data file: an IFF FORM the size of the file whose chunks (${chunks.slice(0, 8).join(', ')}${chunks.length > 8 ? ', …' : ''}) start with GEN8 and chain by their sizes${probe.complete ? ' to its end' : ''}. Game code and resources, not encrypted; read by UndertaleModTool.`,
    figures: { chunks: chunks.length },
  });
}

// ---- Unreal IoStore .utoc ----

const UTOC_MAGIC = '-==--==--==--==-';

function readUtoc(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = h[16]!;
  const headerSize = u32le(h, 20);
  const entries = u32le(h, 24);
  const blocks = u32le(h, 28);
  const blockEntrySize = u32le(h, 32);
  const methods = u32le(h, 36);
  const methodLength = u32le(h, 40);
  const blockSize = u32le(h, 44);
  const directoryIndex = u32le(h, 48);
  if (headerSize !== 144 || blockEntrySize !== 12 || methodLength !== 32 || version < 1 || version > 16)
    return undefined;
  if (entries === undefined || blocks === undefined || methods === undefined || blockSize === undefined)
    return undefined;
  if (directoryIndex === undefined || methods > 16 || blockSize === 0 || (blockSize & (blockSize - 1)) !== 0)
    return undefined;
  // Chunk ids (12 bytes), offsets and lengths (10), compression blocks (12) and method names follow the header.
  const tables = 144 + entries * 22 + blocks * 12 + methods * 32 + directoryIndex;
  if (tables > probe.size) return undefined;
  const flags = h[80]!;
  const figures = {
    version,
    entries,
    compressionBlocks: blocks,
    compressionBlockSize: blockSize,
    containerFlags: flags,
  };
  const head = `Unreal Engine IoStore table of contents (version ${version}): the 16-byte magic and a 144-byte header whose ${entries} chunk entries and ${blocks} compression blocks fit the file`;
  if ((flags & 2) !== 0)
    return locked({
      ...UTOC_LOCKED,
      confidence: 0.92,
      code: 'UTOC_ENCRYPTED_CONTAINER',
      message: `${head}; the container flags say encrypted: the chunks in the .ucas beside it (and the directory index here) are AES-256 encrypted with the game's key.`,
      figures,
      scheme: 'unreal-iostore-aes256',
      scope: 'partial',
      keyHint: {
        description:
          "The game's 32-byte AES key, compiled into its executable (libUnreal.so / libUE4.so in the app's lib folder, or the Windows .exe).",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/libUE4.so', '**/libUnreal.so', '**/*-Shipping.exe'],
      },
    });
  return plain('opaque', {
    ...UTOC,
    confidence: 0.95,
    code: 'UTOC_HEADER',
    message: `${head}; not encrypted (container flags ${flags}). It indexes the compressed chunks of the .ucas beside it; read by FModel or ZenTools.`,
    figures,
  });
}

// ---- FMOD FSB5 ----

const FSB5_CODECS = [
  'none',
  'PCM8',
  'PCM16',
  'PCM24',
  'PCM32',
  'PCMFLOAT',
  'GCADPCM',
  'IMAADPCM',
  'VAG',
  'HEVAG',
  'XMA',
  'MPEG',
  'CELT',
  'AT9',
  'XWMA',
  'Vorbis',
  'FADPCM',
  'Opus',
];

/** One bank's length from its header at `at`, or undefined when the header is not FSB5's. */
function fsb5Bank(h: Uint8Array, at: number): { length: number; samples: number; codec: number } | undefined {
  if (indexOf(h.subarray(at, at + 4), 'FSB5') !== 0) return undefined;
  const version = u32le(h, at + 4);
  const samples = u32le(h, at + 8);
  const sampleHeaders = u32le(h, at + 12);
  const names = u32le(h, at + 16);
  const data = u32le(h, at + 20);
  const codec = u32le(h, at + 24);
  if (version === undefined || samples === undefined || sampleHeaders === undefined || names === undefined)
    return undefined;
  if (data === undefined || codec === undefined || version > 1 || codec >= FSB5_CODECS.length) return undefined;
  if (samples === 0 || samples > 1_000_000 || sampleHeaders < samples * 8) return undefined;
  return { length: (version === 0 ? 64 : 60) + sampleHeaders + names + data, samples, codec };
}

function readFsb5(probe: Probe): Detection | undefined {
  const h = probe.head;
  let at = 0;
  let banks = 0;
  let samples = 0;
  let first: number | undefined;
  while (at < probe.size && at + 28 <= h.length) {
    const bank = fsb5Bank(h, at);
    if (!bank) {
      // Unity aligns the banks it appends to one another.
      const next = at + ((16 - (at % 16)) % 16);
      if (next !== at && next < probe.size && fsb5Bank(h, next)) {
        at = next;
        continue;
      }
      return undefined;
    }
    first ??= bank.codec;
    banks++;
    samples += bank.samples;
    at += bank.length;
  }
  if (banks === 0 || at > probe.size) return undefined;
  const codec = FSB5_CODECS[first!]!;
  return plain('opaque', {
    ...FSB5,
    confidence: at === probe.size ? 0.96 : 0.9,
    code: 'FSB5_BANKS',
    message: `FMOD sound bank: ${banks} FSB5 bank(s) of ${samples} ${codec} sample(s) whose header sizes chain ${at === probe.size ? 'to the end of the file' : 'past the bytes read'}. Game audio, not encrypted; read by vgmstream or FMOD's tools.`,
    figures: { banks, samples, codec },
  });
}

export const gameArchivesDetector = defineDetector({
  meta: {
    id: 'game-archives',
    version: '1.0.0',
    title: "Game engines' resource archives (Unreal, Godot, Ren'Py, RPG Maker, GameMaker)",
    formats: [
      { ...PAK, status: 'opaque', how: 'structure', extensions: ['pak'] },
      { ...PAK_LOCKED, status: 'encrypted', how: 'header-field', extensions: ['pak'] },
      { ...PCK, status: 'opaque', how: 'structure', extensions: ['pck'] },
      { ...PCK_LOCKED, status: 'encrypted', how: 'header-field', extensions: ['pck'] },
      { ...RPA, status: 'opaque', how: 'header-field', extensions: ['rpa'] },
      { ...RGSS, status: 'opaque', how: 'structure', extensions: ['rgssad', 'rgss2a', 'rgss3a'] },
      {
        ...RPGMV,
        status: 'opaque',
        how: 'structure',
        extensions: ['rpgmvp', 'rpgmvo', 'rpgmvm', 'png_', 'ogg_', 'm4a_'],
      },
      { ...GAMEMAKER, status: 'opaque', how: 'structure', extensions: ['win', 'droid', 'ios', 'unx'] },
      { ...FSB5, status: 'opaque', how: 'structure', extensions: ['fsb', 'resource', 'bank'] },
      { ...UTOC, status: 'opaque', how: 'header-field', extensions: ['utoc'] },
      { ...UTOC_LOCKED, status: 'encrypted', how: 'header-field', extensions: ['utoc'] },
    ],
  },
  signatures: [
    { offset: 40, fromEnd: true, hex: 'e1126f5a', within: 161 },
    { offset: 0, ascii: 'GDPC' },
    { offset: 0, ascii: 'RPA-' },
    { offset: 0, ascii: 'RGSSAD\0' },
    { offset: 0, ascii: 'RPGMV\0' },
    { offset: 0, ascii: 'FORM' },
    { offset: 0, ascii: 'FSB5' },
    { offset: 0, ascii: UTOC_MAGIC },
  ],
  minSize: 32,
  priority: 30,
  detect(probe) {
    const h = probe.head;
    const start = Buffer.from(h.subarray(0, 8)).toString('latin1');
    if (start.startsWith('GDPC')) return readPck(probe);
    if (start.startsWith('RPA-')) return readRpa(probe);
    if (start.startsWith('RGSSAD\0')) return readRgss(probe);
    if (start.startsWith('RPGMV\0')) return readRpgmv(probe);
    if (start.startsWith('FSB5')) return readFsb5(probe);
    if (indexOf(h.subarray(0, 16), UTOC_MAGIC) === 0) return readUtoc(probe);
    if (start.startsWith('FORM') && start.length >= 8 && indexOf(h.subarray(8, 12), 'GEN8') === 0) {
      const found = readGameMaker(probe);
      if (found) return found;
    }
    return readPak(probe);
  },
});
