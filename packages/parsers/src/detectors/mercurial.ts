/**
 * Mercurial's repository files, confirmed by structure: revlog indexes (`.i`: the changelog,
 * manifest and one per tracked file, with their data inline when small), revlog data files
 * (`.d`, beside a large revlog's index under `.hg/store/`), the dirstate (v1 records), caches
 * under `.hg/cache/` and bundles (`hg bundle`: HG10 uncompressed/gzip/bzip2, HG20 with its parameters,
 * HGS1 stream clones). libmagic knows only two bundle kinds and takes revlog indexes for
 * Photoshop swatches or Atari images; a revlog data file of a binary file is as random as the
 * file, so statistics alone would call it encrypted.
 *
 * Status: read by Mercurial itself (`hg debugindex`, `hg debugdata`, `hg debugstate`,
 * `hg unbundle`, and hg's Rust and Python libraries): analysable. Mercurial does not encrypt.
 *
 * References: mercurial/helptext/internals/revlogs.txt (version header, 64-byte v1 entries,
 * inline data, chunk compression markers), internals/bundle2.txt and changegroups.txt,
 * mercurial/pure/parsers.py (dirstate v1 records).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u16be, u32be } from './util.js';

const F = {
  revlog: { id: 'mercurial-revlog', name: 'Mercurial revlog index (.i)' },
  data: { id: 'mercurial-revlog-data', name: 'Mercurial revlog data file (.d)' },
  dirstate: { id: 'mercurial-dirstate', name: 'Mercurial dirstate' },
  bundle: { id: 'mercurial-bundle', name: 'Mercurial bundle (hg bundle)' },
  cache: { id: 'mercurial-cache', name: 'Mercurial cache or transaction journal' },
} as const;

/** Where Mercurial keeps caches it rebuilds (branch, tag and manifest caches) and its transaction journals. */
const CACHE_PATH = /\/\.hg\/(cache\/|wcache\/|(store\/)?undo)/;
/**
 * The placeholder `.hg/00changelog.i` that stops pre-store Mercurial versions from using the repository:
 * Mercurial 6 writes version 0xffff, earlier versions wrote version 2 (go-getter's test repository).
 */
const DUMMY_CHANGELOGS = ['\0\0\xff\xff dummy changelog', '\0\0\0\x02 dummy changelog'];

const ENTRY = 64;
/** Revlog v1 header flags: inline data (bit 0), generaldelta (bit 1), has-side-data and others unused by v1. */
const V1_FLAGS = 0x3;
/** Entries walked at most. */
const MAX_ENTRIES = 64;
const NULL_REV = -1;
const i32 = (b: Uint8Array, at: number) => u32be(b, at)! | 0;

/**
 * Whether a chunk of revision data starts as Mercurial writes one: zlib ('x', and it inflates),
 * raw with a 'u' marker, raw text starting with NUL, or a zstd frame; an empty chunk too.
 */
function chunkStartOk(b: Uint8Array, at: number, length: number): boolean {
  if (length === 0) return true;
  const first = b[at];
  if (first === undefined) return true; // past the bytes in hand
  if (first === 0x75 || first === 0) return true; // 'u' (stored) or a NUL-led raw text
  if (first === 0x28)
    return b[at + 1] === undefined || (b[at + 1] === 0xb5 && b[at + 2] === 0x2f && b[at + 3] === 0xfd);
  if (first !== 0x78) return false;
  const end = Math.min(b.length, at + length);
  try {
    zlib.inflateSync(b.subarray(at, end), {
      finishFlush: at + length <= b.length ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 1 << 22,
    });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

interface RevlogWalk {
  inline: boolean;
  generalDelta: boolean;
  entries: number;
  /** Revisions in the file when it can be told (a non-inline index is entries of 64 bytes). */
  revisions?: number;
}

/** Walk a v1 revlog index from its first entry; undefined at the first field that cannot be. */
function walkRevlog(probe: Probe): RevlogWalk | undefined {
  const h = probe.head;
  const flags = u16be(h, 0)!;
  if (u16be(h, 2) !== 1 || flags & ~V1_FLAGS || probe.size < ENTRY) return undefined;
  const inline = (flags & 1) !== 0;
  if (!inline && probe.size % ENTRY !== 0) return undefined;
  let at = 0;
  let dataOffset = 0;
  let rev = 0;
  for (; rev < MAX_ENTRIES && at + ENTRY <= h.length && at < probe.size; rev++) {
    // The first entry's offset is 0; its top four bytes hold the header instead.
    const offset = rev === 0 ? u16be(h, 4)! : u32be(h, at)! * 65536 + u16be(h, at + 4)!;
    const compressed = u32be(h, at + 8)!;
    const base = i32(h, at + 16);
    const link = i32(h, at + 20);
    const p1 = i32(h, at + 24);
    const p2 = i32(h, at + 28);
    if (offset !== dataOffset || link < 0 || base < NULL_REV || base > rev) return undefined;
    if (p1 < NULL_REV || p1 >= rev || p2 < NULL_REV || p2 >= rev) return undefined;
    // The node id takes 20 of 32 bytes; the rest is zero padding.
    for (let i = at + 52; i < at + ENTRY; i++) if (h[i] !== 0) return undefined;
    at += ENTRY;
    if (inline) {
      if (at + compressed > probe.size || !chunkStartOk(h, at, compressed)) return undefined;
      at += compressed;
    }
    dataOffset += compressed;
  }
  if (inline && probe.complete && rev < MAX_ENTRIES && at !== probe.size) return undefined;
  return {
    inline,
    generalDelta: (flags & 2) !== 0,
    entries: rev,
    ...(inline ? {} : { revisions: probe.size / ENTRY }),
  };
}

function revlog(probe: Probe): Detection | undefined {
  const w = walkRevlog(probe);
  if (!w || w.entries === 0) return undefined;
  const kind = /^00changelog\./.test(probe.name)
    ? 'the changelog'
    : /^00manifest\./.test(probe.name)
      ? 'the manifest'
      : 'a revlog';
  return plain('analysable', {
    ...F.revlog,
    confidence: 0.95,
    code: 'HG_REVLOG_INDEX',
    message: `Revlog version 1 header (${w.inline ? 'inline data' : 'data in a .d file'}${w.generalDelta ? ', generaldelta' : ''}) and ${w.entries} well-formed 64-byte entries (offsets, parents before each revision, zero padding${w.inline ? ', chunk markers' : ''}): ${kind} of a Mercurial repository (hg debugindex / debugdata read it).`,
    figures: {
      inline: w.inline,
      generalDelta: w.generalDelta,
      entriesRead: w.entries,
      ...(w.revisions ? { revisions: w.revisions } : {}),
    },
  });
}

/** HG10 + compression, HG20 + parameters, HGS1 + compression. */
function bundle(probe: Probe): Detection | undefined {
  const h = probe.head;
  const magic = ascii(h.subarray(0, 4));
  let compression: string;
  let body: number;
  if (magic === 'HG10' || magic === 'HGS1') {
    compression = ascii(h.subarray(4, 6));
    body = 6;
  } else {
    const size = u32be(h, 4);
    if (size === undefined || size > 4096 || 8 + size > h.length) return undefined;
    const params = ascii(h.subarray(8, 8 + size));
    if (!/^[\x20-\x7e]*$/.test(params)) return undefined;
    compression = /(?:^| )Compression=([A-Z]{2})/.exec(params)?.[1] ?? 'UN';
    body = 8 + size;
  }
  if (!bodyOk(h, body, compression, magic)) return undefined;
  const kind = magic === 'HG10' ? 'changegroup v1' : magic === 'HGS1' ? 'stream clone v1' : 'bundle2';
  return plain('analysable', {
    ...F.bundle,
    confidence: 0.95,
    code: 'HG_BUNDLE',
    message: `"${magic}" (${kind}), compression ${compression}, and a body that starts as that compression does: a Mercurial bundle (hg unbundle / hg debugbundle read it).`,
    figures: { magic, compression },
  });
}

function bodyOk(h: Uint8Array, at: number, compression: string, magic: string): boolean {
  const rest = h.subarray(at);
  switch (compression) {
    case 'GZ':
      return chunkStartOk(h, at, Number.MAX_SAFE_INTEGER);
    case 'BZ':
      // HG10BZ drops bzip2's "BZ"; bundle2 keeps it.
      return /^(BZ)?h[1-9]1AY&SY/.test(ascii(rest.subarray(0, 12)));
    case 'ZS':
      return startsWith(rest, '\x28\xb5\x2f\xfd');
    case 'UN': {
      if (magic === 'HGS1') return rest.length >= 16;
      const length = u32be(h, at);
      // HG10UN: a changegroup chunk length (0 ends a group; else it counts itself); bundle2: a part header size.
      return length !== undefined && (magic === 'HG10' ? length === 0 || length >= 84 : length < 1 << 16);
    }
    default:
      return false;
  }
}

export const mercurialDetector = defineDetector({
  meta: {
    id: 'mercurial',
    version: '1.0.0',
    title: "Mercurial repositories' revlog indexes and bundles (structure checked)",
    formats: [
      { ...F.revlog, status: 'analysable', how: 'structure', extensions: ['i'] },
      { ...F.bundle, status: 'analysable', how: 'structure', extensions: ['hg', 'bundle'] },
    ],
  },
  signatures: [
    { offset: 2, hex: '0001' },
    { offset: 0, ascii: 'HG10' },
    { offset: 0, ascii: 'HG20' },
    { offset: 0, ascii: 'HGS1' },
    ...DUMMY_CHANGELOGS.map((ascii) => ({ offset: 0, ascii })),
  ],
  minSize: 12,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'HG10') || startsWith(h, 'HG20') || startsWith(h, 'HGS1')) return bundle(probe);
    if (DUMMY_CHANGELOGS.some((d) => startsWith(h, d))) {
      const version = u16be(h, 2) === 0xffff ? '0xffff' : '2';
      return plain('analysable', {
        ...F.revlog,
        confidence: 0.95,
        code: 'HG_DUMMY_CHANGELOG',
        message: `Revlog header with version ${version} and the text "dummy changelog to prevent using the old repo layout": the placeholder .hg/00changelog.i Mercurial writes in every repository (the real changelog is in .hg/store/).`,
        figures: { version },
      });
    }
    return revlog(probe);
  },
});

/** A dirstate v1 record: state, mode, size, mtime, name length, then the name (and "\0copy source"). */
function dirstateRecords(probe: Probe): number | undefined {
  const h = probe.head;
  let at = 40;
  let records = 0;
  while (at < h.length) {
    if (at + 17 > h.length) return probe.complete ? undefined : records;
    if (!'namr'.includes(String.fromCharCode(h[at]!))) return undefined;
    const length = u32be(h, at + 13)!;
    if (length === 0 || length > 4096 || at + 17 + length > probe.size) return undefined;
    at += 17 + length;
    records++;
  }
  return at === probe.size || !probe.complete ? records : undefined;
}

/**
 * Files Mercurial keeps without a magic number, known by where they live and confirmed by their
 * structure: the dirstate v1 (40 bytes of parents, then records) and revlog data files under
 * `.hg/store/` (chunks that start with a compression marker).
 */
export const mercurialStoreDetector = defineDetector({
  meta: {
    id: 'mercurial-store',
    version: '1.0.0',
    title: "Mercurial's dirstate (v1), revlog data files and caches, by location and structure",
    formats: [
      { ...F.data, status: 'analysable', how: 'path', extensions: ['d'] },
      { ...F.dirstate, status: 'analysable', how: 'path' },
      { ...F.cache, status: 'opaque', how: 'path' },
    ],
  },
  minSize: 1,
  priority: 40,
  detect(probe): Detection | undefined {
    const path = `/${probe.logicalPath}`;
    if (!path.includes('/.hg/')) return undefined;
    if (/dirstate$/.test(probe.name) && probe.size >= 40) {
      const records = dirstateRecords(probe);
      if (records === undefined) return undefined;
      return plain('analysable', {
        ...F.dirstate,
        confidence: 0.9,
        code: 'HG_DIRSTATE',
        message: `Named ${probe.name} under .hg/, with two 20-byte parents and ${records} well-formed records (state n/a/r/m, mode, size, time, name): Mercurial's dirstate v1 (hg debugstate reads it).`,
        figures: { records },
      });
    }
    if (CACHE_PATH.test(path)) {
      // Binary caches of node-id prefixes look random; they are neither readable records nor ciphertext.
      return {
        ...plain('opaque', {
          ...F.cache,
          confidence: 0.8,
          code: 'HG_CACHE',
          message: `.hg/${path.slice(path.lastIndexOf('/.hg/') + 5)}: a cache Mercurial rebuilds from the repository or a journal of its last transaction; an internal file only hg reads (opaque, not encrypted).`,
        }),
        basis: 'path',
      };
    }
    if (probe.extension !== 'd' || !path.includes('/.hg/store/')) return undefined;
    const h = probe.head;
    if (!chunkStartOk(h, 0, probe.size)) return undefined;
    const marker = h[0] === 0x78 ? 'zlib' : h[0] === 0x75 ? "'u' (stored)" : h[0] === 0x28 ? 'zstd' : 'NUL (raw)';
    const zlibChunk = h[0] === 0x78;
    return {
      ...plain('analysable', {
        ...F.data,
        confidence: zlibChunk ? 0.93 : 0.85,
        code: 'HG_REVLOG_DATA',
        message: `A .d file under .hg/store/ whose first chunk starts with the ${marker} marker: revision data of a Mercurial revlog (hg debugdata reads it with its .i). Its bytes are the tracked file's content, stored or compressed; their randomness says nothing of encryption.`,
        figures: { marker },
      }),
      // A zlib chunk that inflates is structure; a stored chunk is known by where it lies.
      basis: zlibChunk ? 'structure' : 'path',
    };
  },
});
