/**
 * Compiler and runtime caches developers' machines and CI images hold by the
 * thousand: binary, tool-private, often compressed (so the statistics see
 * "compressed, unknown" or, worse, ciphertext), and named by a hash. Each is
 * opaque (only the tool that wrote it reads it back; JFR recordings aside) and
 * named here from a header that is checked field by field, not from a magic alone:
 *
 * - ccache entries (`~/.cache/ccache/<x>/<y>/<hash>R` results, `…M`
 *   manifests). ccache 4.6 on: magic 0xCCAC, format version, entry type
 *   (0 result, 1 manifest), compression type (0 none, 1 zstd), level,
 *   self-contained flag, creation time (u64), the ccache version and the
 *   namespace as length-prefixed strings, the uncompressed size (u64), then
 *   the payload, a zstd frame when compressed. ccache 4.0–4.5: "cCrS"/"cCmF",
 *   version, compression type, level, content size (u64), payload.
 * - V8 code caches (VS Code's and Electron apps' `CachedData/*.code`, Node's
 *   `v8.Script#createCachedData` output): SerializedCodeData, whose u32 magic
 *   is 0xC0DE0000 XOR the size of V8's external reference table, then version,
 *   source and flag hashes and the payload length, which with the header makes
 *   the file's size.
 * - Java class-data-sharing archives (`lib/server/classes*.jsa`, `-XX:ArchiveClassesAtExit`):
 *   magic 0xF00BABA2 (static) or 0xF00BABA8 (dynamic), CRC, archive version.
 * - Java's time-zone database (`lib/tzdb.dat`): version byte 1, "TZDB" as a
 *   modified-UTF-8 string, the count of rule versions, then the first
 *   version's name ("2025a").
 * - rustc crate metadata (`.rmeta`, inside `.rlib`): "rust\0\0\0", the
 *   metadata version, then "rustc <version>" length-prefixed.
 * - rustc incremental-compilation caches (`dep-graph.bin`, `query-cache.bin`,
 *   `work-products.bin`): "RSIC", a u16 format version, then the rustc
 *   version, length-prefixed.
 * - GCC precompiled headers (`.gch`): "gpch", the language (C, + for C++, o/O
 *   for Objective-C/C++), three version digits, then the compiler's checksum.
 * - Clang AST files: precompiled headers (`.pch`) and modules (`.pcm`, Xcode's
 *   `DerivedData/ModuleCache.noindex`): "CPCH", then an LLVM bitstream whose
 *   first entry opens a block (abbreviation id 1 in 2 bits), block id 0 (the
 *   BLOCKINFO block) or one of clang's AST blocks, and a 32-bit length in
 *   words at offset 8 that fits the file.
 * - Clang's serialized diagnostics (`--serialize-diagnostics`, Xcode's `.dia`
 *   beside every object file): "DIAG" and the same first-block check.
 * - Go's module index in the build cache (`~/.cache/go-build/<xx>/<hash>-d`,
 *   Go 1.19 on): "go index v<n>\n", the string table's offset (u32), and that
 *   table: an empty string (0x00) first, uvarint-length strings, 0xFF last.
 * - aapt2's compiled resources (`.flat`, Android builds'
 *   `build/intermediates/…`): "AAPT", version 1, an entry count, then entries
 *   (type 0 a protobuf resource table, 1 a resource file with its own header
 *   and data sizes; a u64 length each, padded to 4) that chain to the file's end.
 * - Java Flight Recorder recordings (`.jfr`, from `-XX:StartFlightRecording`
 *   or `jcmd JFR.dump`): chunks of "FLR\0", version 1.x or 2.x, the chunk's
 *   size (u64 BE) and the constant-pool and metadata offsets inside it. The
 *   one readable format here: the JDK's `jfr print` (and JDK Mission
 *   Control) decode it, so analysable.
 * - libsolv's repository caches (`.solv`: dnf's `/var/cache/dnf/*.solv`,
 *   zypper's `solv` files, conda-libmamba's `pkgs/cache/*.solv`): "SOLV",
 *   version 6–9, then counts (ids, relations, dirs, solvables, keys,
 *   schemata), flags and the string data's size, each bounded by the file.
 * - Ninja's dependency log (`.ninja_deps`): "# ninjadeps\n", version 3 or 4,
 *   then records; the first is a path record (high bit clear, size a multiple
 *   of 4) whose last four bytes are the one's complement of its id, 0.
 * References: ccache src/core/CacheEntry.hpp (4.6+) and src/Result.cpp of
 * 4.0–4.5; V8 src/snapshot/code-serializer.h (SerializedCodeData kMagicNumber,
 * kHeaderSize and the field offsets); HotSpot src/hotspot/share/cds
 * (CDS_ARCHIVE_MAGIC, CDS_DYNAMIC_ARCHIVE_MAGIC, GenericCDSFileMapHeader);
 * OpenJDK TzdbZoneRulesCompiler (the tzdb.dat writer); rustc
 * compiler/rustc_metadata/src/rmeta/mod.rs (METADATA_HEADER) and
 * compiler/rustc_incremental/src/persist/file_format.rs (FILE_MAGIC, header);
 * LLVM's bitstream format (docs/BitCodeFormat.rst: ENTER_SUBBLOCK) and clang
 * include/clang/Serialization/ASTBitCodes.h (the block ids); GCC gcc/c-family/c-pch.cc (pch_ident, "gpch" and the language letter);
 * Go src/cmd/go/internal/modindex (write.go: the header and string table);
 * aapt2 format/Container.cpp (kContainerFormatMagic, the entry types and padding);
 * OpenJDK jdk.jfr ChunkHeader.java (the chunk header's fields);
 * libsolv src/repo_write.c and repo_solv.c (SOLV_VERSION_8 and the header's counts);
 * Ninja src/deps_log.cc (kFileSignature, kCurrentVersion, RecordPath).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u16be, u32be, u32le, u64be, u64le } from './util.js';

const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const PRINTABLE = /^[\x20-\x7e]*$/;

/** The length-prefixed (u8) printable string at `at`, or undefined. */
function shortString(h: Uint8Array, at: number, max: number): string | undefined {
  const n = h[at];
  if (n === undefined || n > max || at + 1 + n > h.length) return undefined;
  const s = ascii(h.subarray(at + 1, at + 1 + n));
  return PRINTABLE.test(s) ? s : undefined;
}

function isZstdAt(h: Uint8Array, at: number): boolean {
  return ZSTD.every((b, i) => h[at + i] === b);
}

const CCACHE_ENTRY = 'ccache cache entry';

function ccacheEntry(h: Uint8Array): Detection | undefined {
  if (h[0] === 0xcc && h[1] === 0xac) {
    const [version, type, compression, , selfContained] = [h[2]!, h[3]!, h[4]!, h[5]!, h[6]!];
    if (version < 1 || version > 9 || type > 1 || compression > 1 || selfContained > 1) return undefined;
    // Seconds since 1970: a value past 2242 is not a creation time.
    const created = u64be(h, 7) ?? Infinity;
    if (created > 2 ** 33) return undefined;
    const ccache = shortString(h, 15, 40);
    if (!ccache || !/^\d+\.\d+/.test(ccache)) return undefined;
    const namespaceAt = 16 + ccache.length;
    const namespace = shortString(h, namespaceAt, 255);
    if (namespace === undefined) return undefined;
    const payloadAt = namespaceAt + 1 + namespace.length + 8;
    const size = u64be(h, payloadAt - 8);
    if (size === undefined || (compression === 1 && !isZstdAt(h, payloadAt))) return undefined;
    const kind = type === 0 ? 'result' : 'manifest';
    return plain('opaque', {
      id: 'ccache-entry',
      name: CCACHE_ENTRY,
      confidence: 0.95,
      code: 'CCACHE_ENTRY_HEADER',
      message: `ccache ${kind} entry written by ccache ${ccache}${created ? ` at ${new Date(created * 1000).toISOString()}` : ''}: magic 0xCCAC, format version ${version}, ${compression === 1 ? 'a zstd frame' : 'an uncompressed payload'} of ${size} bytes after the header. A compiler cache only ccache reads back; compressed, not ciphertext.`,
      figures: { entryType: kind, ccacheVersion: ccache, formatVersion: version, compressed: compression === 1, size },
    });
  }
  const magic = ascii(h.subarray(0, 4));
  if (magic !== 'cCrS' && magic !== 'cCmF') return undefined;
  const [version, compression] = [h[4] ?? 0, h[5] ?? 9];
  if (version < 1 || version > 9 || compression > 1 || h.length < 15) return undefined;
  if (compression === 1 && !isZstdAt(h, 15)) return undefined;
  const kind = magic === 'cCrS' ? 'result' : 'manifest';
  return plain('opaque', {
    id: 'ccache-entry',
    name: CCACHE_ENTRY,
    confidence: 0.92,
    code: 'CCACHE_ENTRY_HEADER',
    message: `ccache ${kind} entry in the ccache 4.0–4.5 layout: magic "${magic}", version ${version}, ${compression === 1 ? 'a zstd frame' : 'an uncompressed payload'} after the 15-byte header. A compiler cache only ccache reads back; compressed, not ciphertext.`,
    figures: { entryType: kind, formatVersion: version, compressed: compression === 1 },
  });
}

/** Offsets the payload length has had in SerializedCodeData's header (the header ends 8 bytes later). */
const V8_LENGTH_OFFSETS = [16, 20, 24];

function v8CodeCache(h: Uint8Array, fileSize: number): Detection | undefined {
  const magic = u32le(h, 0);
  if (magic === undefined || magic >>> 16 !== 0xc0de) return undefined;
  const references = magic & 0xffff;
  if (references < 0x100 || references > 0x4000) return undefined;
  for (const at of V8_LENGTH_OFFSETS) {
    const payload = u32le(h, at);
    const header = at + 8;
    // The payload fills the file after the header, give or take pointer-size padding.
    if (payload === undefined || payload === 0 || header + payload > fileSize || fileSize - header - payload > 8)
      continue;
    const source = u32le(h, 8)!;
    return plain('opaque', {
      id: 'v8-code-cache',
      name: 'V8 code cache',
      confidence: 0.93,
      code: 'V8_CODE_CACHE_HEADER',
      message: `V8 code cache (SerializedCodeData): magic 0xC0DE0000 with an external-reference table of ${references} bytes, a ${header}-byte header whose payload length (${payload} bytes) fills the file, compiled from a ${source}-byte source. Bytecode only the V8 build that wrote it loads.`,
      figures: { externalReferenceBytes: references, payloadBytes: payload, sourceBytes: source },
    });
  }
  return undefined;
}

function javaCdsArchive(h: Uint8Array): Detection | undefined {
  const magic = u32le(h, 0);
  if (magic !== 0xf00baba2 && magic !== 0xf00baba8) return undefined;
  const version = u32le(h, 8) ?? 0;
  if (version < 1 || version > 64) return undefined;
  const dynamic = magic === 0xf00baba8;
  return plain('opaque', {
    id: 'java-cds-archive',
    name: 'Java class-data-sharing archive',
    confidence: 0.9,
    code: 'JAVA_CDS_HEADER',
    message: `HotSpot ${dynamic ? 'dynamic' : 'static'} class-data-sharing archive: magic 0x${magic.toString(16).toUpperCase()}, archive version ${version}. Pre-parsed classes mapped by the JVM build that dumped them; no general reader.`,
    figures: { dynamic, archiveVersion: version },
  });
}

function javaTzdb(h: Uint8Array): Detection | undefined {
  if (!startsWith(h, '\x01\x00\x04TZDB')) return undefined;
  const versions = u16be(h, 7) ?? 0;
  const length = u16be(h, 9) ?? 0;
  const first = ascii(h.subarray(11, 11 + length));
  if (versions < 1 || versions > 64 || length > 16 || !/^\d{4}[a-z]{1,2}$/.test(first)) return undefined;
  return plain('opaque', {
    id: 'java-tzdb',
    name: 'Java time-zone database (tzdb.dat)',
    confidence: 0.9,
    code: 'JAVA_TZDB_HEADER',
    message: `Java time-zone rules (tzdb.dat): version 1, group "TZDB", ${versions} rule version(s), the first ${first}. The JDK's compiled form of the IANA database, read by java.time only.`,
    figures: { ruleVersions: versions, tzdbVersion: first },
  });
}

const RUSTC_VERSION = /^rustc \d+\.\d+\.\d+/;

function rustMetadata(h: Uint8Array): Detection | undefined {
  if (!startsWith(h, 'rust\0\0\0')) return undefined;
  const version = h[7] ?? 0;
  if (version < 1 || version > 64) return undefined;
  // The root position is 4 bytes (older rustc) or 8 (later); the version string follows it.
  for (const at of [12, 16]) {
    const rustc = shortString(h, at, 120);
    if (rustc && RUSTC_VERSION.test(rustc)) {
      return plain('opaque', {
        id: 'rust-metadata',
        name: 'Rust crate metadata (rmeta)',
        confidence: 0.95,
        code: 'RUST_METADATA_HEADER',
        message: `rustc crate metadata: "rust\\0\\0\\0", metadata version ${version}, written by ${rustc}. Read only by the same rustc.`,
        figures: { metadataVersion: version, rustc },
      });
    }
  }
  return undefined;
}

function rustIncremental(h: Uint8Array): Detection | undefined {
  if (ascii(h.subarray(0, 4)) !== 'RSIC') return undefined;
  const format = u16be(h, 4) ?? 0;
  const rustc = shortString(h, 6, 120);
  if (format > 64 || !rustc || !/^\d+\.\d+\.\d+/.test(rustc)) return undefined;
  return plain('opaque', {
    id: 'rust-incremental-cache',
    name: 'rustc incremental-compilation cache',
    confidence: 0.95,
    code: 'RUST_INCREMENTAL_HEADER',
    message: `rustc incremental-compilation file (dependency graph, query cache or work products): "RSIC", format ${format}, rustc ${rustc}. Read only by the rustc that wrote it.`,
    figures: { fileFormat: format, rustc },
  });
}

const PCH_LANGUAGES: Record<string, string> = { C: 'C', '+': 'C++', o: 'Objective-C', O: 'Objective-C++' };

function gccPch(h: Uint8Array): Detection | undefined {
  const ident = ascii(h.subarray(0, 8));
  const language = PCH_LANGUAGES[ident[4] ?? ''];
  if (!ident.startsWith('gpch') || !language || !/^\d{3}$/.test(ident.slice(5))) return undefined;
  return plain('opaque', {
    id: 'gcc-pch',
    name: 'GCC precompiled header',
    confidence: 0.93,
    code: 'GCC_PCH_HEADER',
    message: `GCC precompiled header for ${language}: "gpch", language '${ident[4]}', PCH version ${ident.slice(5)}. A memory image of the compiler's state, loaded only by the GCC build that wrote it.`,
    figures: { language, pchVersion: ident.slice(5) },
  });
}

/** Clang's AST block ids (ASTBitCodes.h): from LLVM's first application block id, 8 (AST_BLOCK_ID), about a dozen on. */
const CLANG_BLOCKS = { first: 8, last: 40 };

/** The first block of an LLVM bitstream after a 4-byte magic: its id and length, when it opens one that fits. */
function firstBitstreamBlock(h: Uint8Array, fileSize: number): { block: number; bytes: number } | undefined {
  if (h.length < 12) return undefined;
  // ENTER_SUBBLOCK: abbreviation id 1 in the first 2 bits, then the block id as an 8-bit VBR chunk.
  const bits = h[4]! | (h[5]! << 8);
  const block = (bits >> 2) & 0xff;
  if ((bits & 3) !== 1 || block & 0x80 || (block !== 0 && (block < CLANG_BLOCKS.first || block > CLANG_BLOCKS.last)))
    return undefined;
  const words = u32le(h, 8)!;
  return words === 0 || 12 + 4 * words > fileSize ? undefined : { block, bytes: 4 * words };
}

const CLANG_BITSTREAMS: Record<string, { id: string; name: string; code: string; what: string }> = {
  CPCH: {
    id: 'clang-ast-file',
    name: 'Clang precompiled header or module (AST file)',
    code: 'CLANG_AST_HEADER',
    what: 'Clang AST file (precompiled header or module): serialized compiler state that only the clang build that wrote it loads',
  },
  DIAG: {
    id: 'clang-serialized-diagnostics',
    name: 'Clang serialized diagnostics',
    code: 'CLANG_DIAGNOSTICS_HEADER',
    what: "Clang serialized diagnostics (--serialize-diagnostics; Xcode's .dia files): warnings and errors as bitstream records, read through libclang",
  },
};

function clangBitstream(h: Uint8Array, fileSize: number): Detection | undefined {
  const magic = ascii(h.subarray(0, 4));
  const kind = Object.hasOwn(CLANG_BITSTREAMS, magic) ? CLANG_BITSTREAMS[magic] : undefined;
  const first = kind && firstBitstreamBlock(h, fileSize);
  if (!kind || !first) return undefined;
  return plain('opaque', {
    id: kind.id,
    name: kind.name,
    confidence: 0.93,
    code: kind.code,
    message: `${kind.what}. "${magic}", then an LLVM bitstream opening block ${first.block}${first.block === 0 ? ' (BLOCKINFO)' : ''} of ${first.bytes} bytes inside the file; llvm-bcanalyzer lists raw records, not content.`,
    figures: { firstBlock: first.block, firstBlockBytes: first.bytes },
  });
}

const GO_INDEX = /^go index v(\d)\n$/;

function goModuleIndex(h: Uint8Array, fileSize: number): Detection | undefined {
  const version = GO_INDEX.exec(ascii(h.subarray(0, 12)))?.[1];
  const strings = u32le(h, 12);
  if (version === undefined || strings === undefined || strings < 16 || strings >= fileSize) return undefined;
  // With the table in the head, its first string is empty and the file ends with 0xFF.
  if (strings < h.length && h[strings] !== 0) return undefined;
  if (h.length === fileSize && h[fileSize - 1] !== 0xff) return undefined;
  return plain('opaque', {
    id: 'go-module-index',
    name: 'Go module index (build cache)',
    confidence: 0.93,
    code: 'GO_MODULE_INDEX_HEADER',
    message: `Go module index, version ${version}: "go index v${version}", a string table at offset ${strings} that starts with the empty string${h.length === fileSize ? ' and ends with 0xFF at the end of the file' : ''}. The go command's cache of a package's parsed sources; only the go command that wrote it reads it.`,
    figures: { indexVersion: Number(version), stringTableOffset: strings },
  });
}

const AAPT2_MAX_ENTRIES = 4096;

function aapt2Container(h: Uint8Array, fileSize: number): Detection | undefined {
  if (ascii(h.subarray(0, 4)) !== 'AAPT' || u32le(h, 4) !== 1) return undefined;
  const entries = u32le(h, 8) ?? 0;
  if (entries < 1 || entries > AAPT2_MAX_ENTRIES) return undefined;
  // Walk the entries the head holds; each must fit, the last (when reached) end at the file's end.
  let at = 12;
  let walked = 0;
  const types = new Set<number>();
  while (walked < entries && at + 12 <= h.length) {
    const type = u32le(h, at)!;
    const length = u64le(h, at + 4)!;
    if (type > 1 || length === 0 || at + 12 + length > fileSize) return undefined;
    if (type === 1) {
      const header = u32le(h, at + 12);
      const data = u64le(h, at + 16);
      if (header !== undefined && data !== undefined && 12 + header + data > length) return undefined;
    }
    types.add(type);
    at += 12 + length + ((4 - (length % 4)) % 4);
    walked++;
  }
  if (walked === 0 || (walked === entries && at !== fileSize)) return undefined;
  const kinds = [...types].map((t) => (t === 0 ? 'resource table' : 'resource file')).join(' and ');
  return plain('opaque', {
    id: 'aapt2-container',
    name: 'aapt2 compiled resource container (.flat)',
    confidence: 0.93,
    code: 'AAPT2_CONTAINER_HEADER',
    message: `aapt2 compiled resources: "AAPT", version 1, ${entries} entr${entries === 1 ? 'y' : 'ies'} (${kinds}) whose lengths ${walked === entries ? 'chain to the end of the file' : `fit the file over the first ${walked}`}. Protobuf-encoded build intermediates that aapt2 links into an APK; no general reader.`,
    figures: { entries, walked },
  });
}

function javaFlightRecording(h: Uint8Array, fileSize: number): Detection | undefined {
  if (!startsWith(h, 'FLR\0') || h.length < 36) return undefined;
  const major = u16be(h, 4)!;
  const minor = u16be(h, 6)!;
  const chunk = u64be(h, 8)!;
  const constants = u64be(h, 16)!;
  const metadata = u64be(h, 24)!;
  if (major < 1 || major > 2 || minor > 9 || chunk < 68 || chunk > fileSize) return undefined;
  if (constants === 0 || constants >= chunk || metadata === 0 || metadata >= chunk) return undefined;
  return plain('analysable', {
    id: 'java-flight-recording',
    name: 'Java Flight Recorder recording',
    confidence: 0.93,
    code: 'JFR_CHUNK_HEADER',
    message: `Java Flight Recorder recording: "FLR\\0", format ${major}.${minor}, a first chunk of ${chunk} bytes${chunk === fileSize ? ' (the whole file)' : ''} with its constant pool and metadata inside it. Read by the JDK's jfr tool and JDK Mission Control.`,
    figures: { formatVersion: `${major}.${minor}`, firstChunkBytes: chunk },
  });
}

function libsolvCache(h: Uint8Array, fileSize: number): Detection | undefined {
  if (ascii(h.subarray(0, 4)) !== 'SOLV' || h.length < 40) return undefined;
  const version = u32be(h, 4)!;
  // The header's counts in the order repo_write.c writes them, after the version.
  const at = (n: number) => u32be(h, 8 + 4 * n)!;
  const ids = at(0);
  const [relations, dirs, solvables, keys, schemata, flags, stringBytes] = [
    at(1),
    at(2),
    at(3),
    at(4),
    at(5),
    at(6),
    at(7),
  ];
  if (version < 6 || version > 9 || ids === 0 || keys === 0 || keys > 4096 || schemata === 0 || flags > 0xffff)
    return undefined;
  // Every id, relation, dir and solvable takes at least a byte, as do the strings.
  if ([relations, dirs, solvables, stringBytes].some((n) => n >= fileSize) || ids > fileSize) return undefined;
  return plain('opaque', {
    id: 'libsolv-cache',
    name: 'libsolv repository cache (.solv)',
    confidence: 0.92,
    code: 'LIBSOLV_HEADER',
    message: `libsolv repository cache: "SOLV", version ${version}, ${solvables} package(s), ${keys} keys in ${schemata} schemata, ${stringBytes} bytes of strings: the package index dnf, zypper or libmamba keep in libsolv's binary form, read back by libsolv (dumpsolv) only.`,
    figures: { version, solvables, keys },
  });
}

const NINJA_DEPS = '# ninjadeps\n';

function ninjaDeps(h: Uint8Array): Detection | undefined {
  if (!startsWith(h, NINJA_DEPS)) return undefined;
  const version = u32le(h, 12);
  if (version !== 3 && version !== 4) return undefined;
  // An empty log stops after the version; otherwise the first record names a path, id 0.
  const first = u32le(h, 16);
  if (first !== undefined) {
    const end = 20 + first;
    if (first & 0x80000000 || first < 8 || first % 4 !== 0 || first > 4096) return undefined;
    const path = ascii(h.subarray(20, end - 4)).replace(/\0{1,3}$/, '');
    if (end <= h.length && (u32le(h, end - 4) !== 0xffffffff || !/^[\x20-\x7e]+$/.test(path))) return undefined;
  }
  return plain('opaque', {
    id: 'ninja-deps',
    name: 'Ninja dependency log',
    confidence: 0.95,
    code: 'NINJA_DEPS_HEADER',
    message: `Ninja's dependency log (.ninja_deps): "# ninjadeps", version ${version}${first === undefined ? ', no records' : ', then a path record whose checksum is the complement of id 0'}. Binary records only ninja reads (ninja -t deps prints them).`,
    figures: { version },
  });
}

export function readBuildArtifact(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  return (
    ccacheEntry(h) ??
    v8CodeCache(h, probe.size) ??
    javaCdsArchive(h) ??
    javaTzdb(h) ??
    rustMetadata(h) ??
    rustIncremental(h) ??
    gccPch(h) ??
    clangBitstream(h, probe.size) ??
    ninjaDeps(h) ??
    goModuleIndex(h, probe.size) ??
    aapt2Container(h, probe.size) ??
    javaFlightRecording(h, probe.size) ??
    libsolvCache(h, probe.size)
  );
}

export const buildArtifactsDetector = defineDetector({
  meta: {
    id: 'build-artifacts',
    version: '1.0.0',
    title:
      'Compiler and runtime caches (ccache, V8 code cache, Java CDS and tzdb, rustc metadata and incremental, GCC and Clang PCH, Clang diagnostics, Ninja deps, Go module index, aapt2 .flat, libsolv caches; Java Flight Recorder recordings)',
    formats: [
      { id: 'ccache-entry', name: CCACHE_ENTRY, status: 'opaque', how: 'header-field' },
      { id: 'v8-code-cache', name: 'V8 code cache', status: 'opaque', how: 'header-field', extensions: ['code'] },
      {
        id: 'java-cds-archive',
        name: 'Java class-data-sharing archive',
        status: 'opaque',
        how: 'header-field',
        extensions: ['jsa'],
      },
      {
        id: 'java-tzdb',
        name: 'Java time-zone database (tzdb.dat)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['dat'],
      },
      {
        id: 'rust-metadata',
        name: 'Rust crate metadata (rmeta)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['rmeta'],
      },
      {
        id: 'rust-incremental-cache',
        name: 'rustc incremental-compilation cache',
        status: 'opaque',
        how: 'header-field',
        extensions: ['bin'],
      },
      { id: 'gcc-pch', name: 'GCC precompiled header', status: 'opaque', how: 'header-field', extensions: ['gch'] },
      {
        id: 'clang-ast-file',
        name: 'Clang precompiled header or module (AST file)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pch', 'pcm'],
      },
      {
        id: 'clang-serialized-diagnostics',
        name: 'Clang serialized diagnostics',
        status: 'opaque',
        how: 'header-field',
        extensions: ['dia'],
      },
      { id: 'go-module-index', name: 'Go module index (build cache)', status: 'opaque', how: 'header-field' },
      {
        id: 'aapt2-container',
        name: 'aapt2 compiled resource container (.flat)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['flat'],
      },
      {
        id: 'java-flight-recording',
        name: 'Java Flight Recorder recording',
        status: 'analysable',
        how: 'header-field',
        extensions: ['jfr'],
      },
      {
        id: 'libsolv-cache',
        name: 'libsolv repository cache (.solv)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['solv'],
      },
      { id: 'ninja-deps', name: 'Ninja dependency log', status: 'opaque', how: 'header-field' },
    ],
  },
  signatures: [
    { offset: 0, hex: 'ccac' },
    { offset: 0, ascii: 'cCrS' },
    { offset: 0, ascii: 'cCmF' },
    { offset: 2, hex: 'dec0' },
    { offset: 0, hex: 'a2ab0bf0' },
    { offset: 0, hex: 'a8ab0bf0' },
    { offset: 0, hex: '010004545a4442' },
    { offset: 0, hex: '72757374000000' },
    { offset: 0, ascii: 'RSIC' },
    { offset: 0, ascii: 'gpch' },
    { offset: 0, ascii: 'CPCH' },
    { offset: 0, ascii: 'DIAG' },
    { offset: 0, ascii: NINJA_DEPS },
    { offset: 0, ascii: 'go index v' },
    { offset: 0, ascii: 'AAPT' },
    { offset: 0, hex: '464c5200' },
    { offset: 0, ascii: 'SOLV' },
  ],
  minSize: 12,
  priority: 30,
  detect: readBuildArtifact,
});
