/**
 * Bytecode of two script engines that apps ship instead of source:
 * - LuaJIT (`luajit -b`, games and OpenResty apps; often named `.lua`,
 *   `.luac` or `.raw`): "\x1bLJ", a format version (1 for LuaJIT 2.0, 2 for
 *   2.1), flags (big-endian, stripped, FFI, two-slot frames) and, unless
 *   stripped, the chunk name. `luajit -bl` lists it: analysable. libmagic has
 *   no rule, so it was left to the statistics as unknown binary.
 * - Hermes (React Native's `index.android.bundle` / `main.jsbundle` since
 *   RN 0.64): an 8-byte magic, the bytecode version, a SHA-1 of the source
 *   and the file's own length. Each Hermes release reads only its own
 *   version and no distribution ships a disassembler (`hbcdump` is built
 *   from the Hermes tree), so it is opaque and named, as V8's code cache is.
 * - Ruby's YARV instruction sequences (`RubyVM::InstructionSequence#to_binary`,
 *   and Bootsnap's compile cache `tmp/cache/bootsnap/compile-cache-iseq/`,
 *   the same bytes after a 64-byte cache key): "YARB", the Ruby major and
 *   minor version, the total size, and the platform string ("x86_64-linux").
 *   Only the same Ruby version and platform loads it: opaque and named.
 * - CPython's `.pyc`: a magic word of a released CPython (or PyPy's, CPython's
 *   plus 7) and "\r\n", the header of that version (8, 12 or 16 bytes, with
 *   the PEP 552 flags), then a marshalled code object. libmagic names most,
 *   but answers for a few with a text rule their strings hit ("unified diff
 *   output text"); the header decides first. `python -m dis` and decompilers
 *   read it: analysable.
 * References: LuaJIT 2.1 src/lj_bcdump.h (BCDUMP_HEAD1..3, BCDUMP_F_*);
 * Hermes include/hermes/BCGen/HBC/BytecodeFileFormat.h (MAGIC, BytecodeFileHeader);
 * Ruby 3.1 compile.c (struct ibf_header); Bootsnap ext/bootsnap/bootsnap.c (struct bs_cache_key).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { pythonForMagic } from './pyinstaller-pyz.js';
import { ascii, plain, startsWith, u16le, u32le } from './util.js';

const LJ_FLAGS = 0x0f; // BE | STRIP | FFI | FR2
const HERMES_MAGIC = Uint8Array.of(0xc6, 0x1f, 0xbc, 0x03, 0xc1, 0x03, 0x19, 0x1f);
const HERMES_HEADER = 128;

/** An unsigned LEB128 number at `at` (at most 4 bytes here), with the offset after it. */
function uleb(b: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 4 && at + i < b.length; i++) {
    const byte = b[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

function luajit(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (!startsWith(h, '\x1bLJ') || (h[3] !== 1 && h[3] !== 2)) return undefined;
  const flags = uleb(h, 4);
  if (!flags || flags.value & ~LJ_FLAGS) return undefined;
  let chunk = '';
  let next = flags.next;
  if (!(flags.value & 2)) {
    // Not stripped: the chunk name ("@file.lua" or "=stdin") follows, printable.
    const len = uleb(h, flags.next);
    if (!len || len.value === 0 || len.value > 1024) return undefined;
    chunk = ascii(h, len.next, len.next + len.value);
    if (chunk.length < Math.min(len.value, h.length - len.next) || !/^[\x20-\x7e]+$/.test(chunk)) return undefined;
    next = len.next + len.value;
  }
  // Then the first prototype's length, never 0 (the dump ends with a single 0 byte).
  const first = uleb(h, next);
  if (first && (first.value === 0 || first.value > probe.size)) return undefined;
  const traits = [
    flags.value & 1 ? 'big-endian' : 'little-endian',
    flags.value & 2 ? 'stripped' : `chunk "${chunk}"`,
    ...(flags.value & 4 ? ['uses the FFI'] : []),
  ];
  return plain('analysable', {
    id: 'luajit-bytecode',
    name: 'LuaJIT bytecode',
    confidence: 0.93,
    code: 'LUAJIT_BYTECODE_HEADER',
    message: `LuaJIT bytecode dump ("\\x1bLJ", format ${h[3]} for LuaJIT ${h[3] === 1 ? '2.0' : '2.1'}, ${traits.join(', ')}): \`luajit -bl\` lists it.`,
    figures: { version: h[3], flags: flags.value },
  });
}

function hermes(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (!startsWith(h, HERMES_MAGIC) || h.length < 36) return undefined;
  const version = u32le(h, 8)!;
  const length = u32le(h, 32)!;
  // Versions 59 (2019) to 99 (hermesc 2026) so far; the header is 128 bytes and the length counts it.
  if (version < 40 || version > 400 || length < HERMES_HEADER) return undefined;
  const exact = length === probe.size;
  return plain('opaque', {
    id: 'hermes-bytecode',
    name: 'Hermes JavaScript bytecode',
    confidence: exact ? 0.96 : 0.85,
    code: 'HERMES_BYTECODE_HEADER',
    message: `Hermes bytecode header (magic, version ${version}, source SHA-1, a file length of ${length} bytes${exact ? ', the file’s size' : `, but the file holds ${probe.size}: cut or padded`}): React Native's compiled bundle, read only by the Hermes release of that version. Compiled code, not encrypted.`,
    figures: { version, fileLength: length, lengthMatches: exact },
  });
}

/** Bootsnap's cache key before the iseq: version, platform, option and revision words, then 64-bit sizes. */
const BOOTSNAP_KEY = 64;
/** struct ibf_header: magic, major, minor, size, extra size, two list sizes, two offsets; the platform after it. */
const IBF_HEADER = 36;

function yarv(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  const at = startsWith(h, 'YARB') ? 0 : startsWith(h, 'YARB', BOOTSNAP_KEY) ? BOOTSNAP_KEY : -1;
  if (at < 0) return undefined;
  const major = u32le(h, at + 4);
  const minor = u32le(h, at + 8);
  const size = u32le(h, at + 12);
  if (major === undefined || minor === undefined || size === undefined) return undefined;
  if (major < 2 || major > 9 || minor > 9 || size < IBF_HEADER || size > probe.size - at) return undefined;
  // The platform string (RUBY_PLATFORM) ends the header: "x86_64-linux", "arm64-darwin23", "x64-mingw-ucrt";
  // Ruby 3.x's header is 36 bytes, later ones add endian and word-size bytes and padding.
  let platform = '';
  for (let off = at + IBF_HEADER; off < at + IBF_HEADER + 16 && !platform; off++) {
    const end = h.indexOf(0, off);
    const text = end > off ? ascii(h, off, end) : '';
    if (/^[a-z][a-z0-9_]*-[a-z0-9_.-]+$/.test(text)) platform = text;
  }
  if (!platform) return undefined;
  // In Bootsnap's file the key's data size (offset 32) is what follows the key.
  if (at === BOOTSNAP_KEY && u32le(h, 32) !== probe.size - BOOTSNAP_KEY) return undefined;
  const where = at ? "after Bootsnap's 64-byte cache key" : 'at the start';
  return plain('opaque', {
    id: 'ruby-yarv-binary',
    name: 'Ruby YARV instruction sequence (compiled Ruby)',
    confidence: size === probe.size - at ? 0.95 : 0.85,
    code: 'RUBY_YARV_HEADER',
    message: `"YARB" ${where}, format ${major}.${minor}, ${size} bytes, platform "${platform}": Ruby code compiled by RubyVM::InstructionSequence, loaded only by the Ruby version and platform that wrote it. Compiled code, not encrypted.`,
    figures: { major, minor, size, platform, bootsnap: at === BOOTSNAP_KEY },
  });
}

/** Marshal's code-object type, with and without FLAG_REF. */
const MARSHAL_CODE = new Set([0x63, 0xe3]);

function pyc(probe: { head: Uint8Array }): Detection | undefined {
  const h = probe.head;
  if (h[2] !== 0x0d || h[3] !== 0x0a) return undefined;
  const magic = u16le(h, 0)!;
  const python = pythonForMagic(magic);
  if (!python) return undefined;
  // PEP 552 (3.7): magic, flags, then mtime and size or a 64-bit hash; 3.3-3.6: magic, mtime, size; before: magic, mtime.
  const flags = magic >= 3390 && magic < 62000 ? u32le(h, 4) : undefined;
  if (flags !== undefined && flags > 3) return undefined;
  const header = flags !== undefined ? 16 : magic >= 3190 && magic < 62000 ? 12 : 8;
  const code = h[header];
  if (code === undefined || !MARSHAL_CODE.has(code)) return undefined;
  const kind =
    flags === undefined || flags === 0 ? 'timestamp-based' : flags & 2 ? 'hash-based, checked' : 'hash-based';
  return plain('analysable', {
    id: 'bytecode.python',
    name: 'Python byte code (CPython)',
    confidence: 0.95,
    code: 'PYTHON_BYTECODE_HEADER',
    message: `CPython ${python} bytecode (magic ${magic} and "\\r\\n", ${kind}, a ${header}-byte header, then a marshalled code object): \`python -m dis\` and decompilers read it.`,
    figures: { magic, python, headerBytes: header },
  });
}

export const scriptBytecodeDetector = defineDetector({
  meta: {
    id: 'script-bytecode',
    version: '1.0.0',
    title: 'LuaJIT, Hermes, Ruby YARV and CPython bytecode',
    formats: [
      {
        id: 'luajit-bytecode',
        name: 'LuaJIT bytecode',
        status: 'analysable',
        how: 'header-field',
        extensions: ['luac', 'lua', 'raw', 'ljbc'],
      },
      {
        id: 'hermes-bytecode',
        name: 'Hermes JavaScript bytecode',
        status: 'opaque',
        how: 'header-field',
        extensions: ['bundle', 'jsbundle', 'hbc'],
      },
      {
        id: 'ruby-yarv-binary',
        name: 'Ruby YARV instruction sequence (compiled Ruby)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['yarb', 'rbc'],
      },
      {
        id: 'bytecode.python',
        name: 'Python byte code (CPython)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['pyc', 'pyo'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'YARB' },
    { offset: 2, hex: '0d0a' },
    { offset: 64, ascii: 'YARB' },
    { offset: 0, ascii: '\x1bLJ' },
    { offset: 0, hex: 'c61fbc03c103191f' },
  ],
  minSize: 6,
  priority: 30,
  detect(probe): Detection | undefined {
    return luajit(probe) ?? hermes(probe) ?? yarv(probe) ?? pyc(probe);
  },
});
