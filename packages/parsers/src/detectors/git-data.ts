/**
 * Git's repository files, each confirmed by its structure rather than its magic alone: packs
 * (objects walked and inflated, git-pack.ts), pack indexes, reverse indexes, reachability
 * bitmaps, cruft-pack mtimes, the commit-graph, the multi-pack-index, the index (staging
 * area) and bundles (loose objects: git-loose-objects.ts). A developer's computer holds many repositories; packs of
 * binary files are random after their header and must not be taken for damaged or encrypted.
 *
 * Status: git's formats are read by git itself, libgit2, JGit and dulwich (`git verify-pack`,
 * `git show-index`, `git cat-file`, `git ls-files --debug`, `git commit-graph verify`,
 * `git bundle verify`): analysable. The reverse index, bitmaps and mtimes are caches git
 * derives from a pack (a permutation of positions, reachability bit sets, times of unreachable
 * objects) that no general reader opens: opaque, named. Git does not encrypt.
 *
 * References: git Documentation/gitformat-pack.txt (pack, idx v2, rev, mtimes, multi-pack-index),
 * gitformat-commit-graph.txt, gitformat-index.txt, gitformat-bundle.txt, technical/bitmap-format.txt.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, indexOf, plain, startsWith, u16be, u32be } from './util.js';
import { walkPack, type PackWalk } from './git-pack.js';

const HASH_BYTES = { 1: 20, 2: 32 } as Record<number, number>;
const CHUNK_ID = /^[A-Z0-9]{4}$/;
/** Index entry modes git writes: regular file, executable, symlink, gitlink (submodule); and 100664, which old gits wrote. */
const INDEX_MODES = new Set([0o100644, 0o100755, 0o100664, 0o120000, 0o160000]);

const F = {
  pack: { id: 'git-pack', name: 'Git packfile' },
  idx: { id: 'git-pack-index', name: 'Git pack index (v2)' },
  rev: { id: 'git-pack-reverse-index', name: 'Git pack reverse index (.rev)' },
  bitmap: { id: 'git-bitmap', name: 'Git reachability bitmap index (.bitmap)' },
  mtimes: { id: 'git-pack-mtimes', name: 'Git cruft pack mtimes (.mtimes)' },
  graph: { id: 'git-commit-graph', name: 'Git commit-graph' },
  midx: { id: 'git-multi-pack-index', name: 'Git multi-pack-index' },
  index: { id: 'git-index', name: 'Git index (staging area, DIRC)' },
  bundle: { id: 'git-bundle', name: 'Git bundle' },
} as const;

export const gitDataDetector = defineDetector({
  meta: {
    id: 'git-data',
    version: '1.0.0',
    title: "Git repositories' packs, indexes, commit-graph and bundles (structure checked)",
    formats: [
      { ...F.pack, status: 'analysable', how: 'structure', mime: 'application/x-git', extensions: ['pack'] },
      { ...F.idx, status: 'analysable', how: 'structure', extensions: ['idx'] },
      { ...F.rev, status: 'opaque', how: 'structure', extensions: ['rev'] },
      { ...F.bitmap, status: 'opaque', how: 'structure', extensions: ['bitmap'] },
      { ...F.mtimes, status: 'opaque', how: 'structure', extensions: ['mtimes'] },
      { ...F.graph, status: 'analysable', how: 'structure', extensions: ['graph'] },
      { ...F.midx, status: 'analysable', how: 'structure' },
      { ...F.index, status: 'analysable', how: 'structure' },
      { ...F.bundle, status: 'analysable', how: 'structure', extensions: ['bundle', 'pack'] },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'PACK' },
    { offset: 0, hex: 'ff744f63' },
    { offset: 0, ascii: 'RIDX' },
    { offset: 0, ascii: 'BITM' },
    { offset: 0, ascii: 'MTME' },
    { offset: 0, ascii: 'CGPH' },
    { offset: 0, ascii: 'MIDX' },
    { offset: 0, ascii: 'DIRC' },
    { offset: 0, ascii: '# v2 git bundle\n' },
    { offset: 0, ascii: '# v3 git bundle\n' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    switch (ascii(h.subarray(0, 4))) {
      case 'PACK':
        return pack(probe);
      case '\xfftOc':
        return packIndex(probe);
      case 'RIDX':
      case 'MTME':
        return positionTable(probe);
      case 'BITM':
        return bitmap(probe);
      case 'CGPH':
      case 'MIDX':
        return chunked(probe);
      case 'DIRC':
        return index(probe);
      case '# v2':
      case '# v3':
        return bundle(probe);
    }
    return undefined;
  },
});

function describeWalk(w: PackWalk): string {
  const types = Object.entries(w.types)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  const read = w.checksum
    ? `all ${w.objects} objects inflate to their stated sizes and the trailing ${w.checksum.toUpperCase()} matches`
    : `the first ${w.verified} of ${w.objects} objects inflate to their stated sizes${w.partial ? ` and the start of object ${w.verified + 1} inflates cleanly` : ''}`;
  return `${read} (types read: ${types || 'none'})`;
}

function walkFigures(w: PackWalk): Record<string, number | string> {
  return {
    version: w.version,
    objects: w.objects,
    verifiedObjects: w.verified,
    ...(w.checksum ? { checksum: w.checksum } : {}),
  };
}

function pack(probe: Probe): Detection | undefined {
  const w = walkPack(probe.head, 0, probe.size, probe.complete);
  // Something must have been read: a whole object, or the start of the first.
  if (!w || (w.verified === 0 && !w.partial && w.objects > 0)) return undefined;
  return plain('analysable', {
    ...F.pack,
    mime: 'application/x-git',
    confidence: 0.97,
    code: 'GIT_PACK_OBJECTS',
    message: `"PACK" version ${w.version}; ${describeWalk(w)}: a Git packfile (git verify-pack, libgit2 and dulwich read it). Its deflated objects look random; that is compression, not encryption.`,
    figures: walkFigures(w),
  });
}

/** Index v2: magic, version 2, a 256-entry fan-out of cumulative counts, then ids, CRCs, offsets, two checksums. */
function packIndex(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (u32be(h, 4) !== 2 || h.length < 8 + 1024) return undefined;
  let previous = 0;
  for (let i = 0; i < 256; i++) {
    const count = u32be(h, 8 + i * 4)!;
    if (count < previous) return undefined;
    previous = count;
  }
  const objects = previous;
  // Per object: id, CRC-32 and 4-byte offset; then 8-byte large offsets; then the pack's and the index's checksums.
  const hash = [20, 32].find((n) => {
    const rest = probe.size - 8 - 1024 - objects * (n + 8) - 2 * n;
    return rest >= 0 && rest % 8 === 0 && rest / 8 <= objects;
  });
  if (hash === undefined) return undefined;
  // The ids in hand are sorted and agree with the fan-out (each id's first byte).
  const ids = 8 + 1024;
  for (let i = 0; i < objects && ids + (i + 1) * hash <= h.length; i++) {
    const at = ids + i * hash;
    if (i > 0 && Buffer.compare(h.subarray(at - hash, at), h.subarray(at, at + hash)) >= 0) return undefined;
    const first = h[at]!;
    const before = first === 0 ? 0 : u32be(h, 8 + (first - 1) * 4)!;
    if (i < before || i >= u32be(h, 8 + first * 4)!) return undefined;
  }
  return plain('analysable', {
    ...F.idx,
    confidence: 0.97,
    code: 'GIT_PACK_INDEX',
    message: `"\\377tOc" version 2, a monotonic fan-out table of ${objects} objects whose ids are sorted, and a size that fits ${hash === 20 ? 'SHA-1' : 'SHA-256'} ids: a Git pack index (git show-index reads it). The object ids look random; they are hashes, not ciphertext.`,
    figures: { objects, hashBytes: hash },
  });
}

/** .rev and .mtimes: magic, version 1, hash id (1 SHA-1, 2 SHA-256), one u32 per object, two checksums. */
function positionTable(probe: Probe): Detection | undefined {
  const h = probe.head;
  const rev = startsWith(h, 'RIDX');
  const hash = HASH_BYTES[u32be(h, 8) ?? 0];
  if (u32be(h, 4) !== 1 || hash === undefined) return undefined;
  const body = probe.size - 12 - 2 * hash;
  if (body < 0 || body % 4 !== 0) return undefined;
  const objects = body / 4;
  if (rev) {
    // A permutation of 0..objects-1: every position in hand in range and none twice.
    const seen = new Set<number>();
    for (let i = 0; i < objects && 12 + (i + 1) * 4 <= h.length; i++) {
      const position = u32be(h, 12 + i * 4)!;
      if (position >= objects || seen.has(position)) return undefined;
      seen.add(position);
    }
  }
  const format = rev ? F.rev : F.mtimes;
  return plain('opaque', {
    ...format,
    confidence: 0.95,
    code: rev ? 'GIT_REVERSE_INDEX' : 'GIT_PACK_MTIMES',
    message: rev
      ? `"RIDX" version 1 and a permutation of ${objects} pack positions: a Git pack reverse index, a cache git derives from its pack and no other reader opens (opaque, not encrypted).`
      : `"MTME" version 1 and ${objects} object times: the mtimes of a Git cruft pack's unreachable objects, a file only git's garbage collection reads (opaque, not encrypted).`,
    figures: { objects, hashBytes: hash },
  });
}

/** .bitmap: "BITM", version 1, option flags, entry count, the pack's checksum, then four EWAH bitmaps. */
function bitmap(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u16be(h, 4);
  const options = u16be(h, 6);
  const entries = u32be(h, 8);
  if (version !== 1 || options === undefined || entries === undefined || options & ~0x3f || !(options & 1))
    return undefined;
  // The first EWAH bitmap (commits) after the 20- or 32-byte pack checksum: bit count, word count, words, RLW position.
  const fits = [20, 32].some((hash) => {
    const words = u32be(h, 12 + hash + 4);
    const bits = u32be(h, 12 + hash);
    if (words === undefined || bits === undefined) return false;
    const rlw = u32be(h, 12 + hash + 8 + words * 8);
    return (
      bits <= words * 64 && 12 + hash + 12 + words * 8 <= probe.size && (rlw === undefined || rlw < Math.max(words, 1))
    );
  });
  if (!fits) return undefined;
  return plain('opaque', {
    ...F.bitmap,
    confidence: 0.95,
    code: 'GIT_BITMAP',
    message: `"BITM" version 1, options 0x${options.toString(16)}, ${entries} bitmapped commits and a well-formed first EWAH bitmap: Git's reachability bitmaps, a cache derived from a pack that only git reads (opaque, not encrypted).`,
    figures: { entries, options },
  });
}

/** Chunk-based files: a header, then a table of (4-character id, u64 offset) ending in a zero id at the checksum. */
function chunked(probe: Probe): Detection | undefined {
  const h = probe.head;
  const graph = startsWith(h, 'CGPH');
  const hash = HASH_BYTES[h[5] ?? 0];
  const chunks = h[6]!;
  if (h[4] !== 1 || hash === undefined || chunks === 0) return undefined;
  // The commit-graph's header is 8 bytes; the multi-pack-index's 12 (a pack count follows).
  const table = graph ? 8 : 12;
  const ids: string[] = [];
  let previous = 0;
  for (let i = 0; i <= chunks; i++) {
    const at = table + i * 12;
    if (at + 12 > h.length) return undefined;
    const id = ascii(h.subarray(at, at + 4));
    const offset = u32be(h, at + 4)! * 2 ** 32 + u32be(h, at + 8)!;
    if (offset < previous || offset > probe.size) return undefined;
    previous = offset;
    if (i === chunks) {
      if (u32be(h, at) !== 0 || offset !== probe.size - hash) return undefined;
    } else {
      if (!CHUNK_ID.test(id) || (i === 0 && offset !== table + (chunks + 1) * 12)) return undefined;
      ids.push(id);
    }
  }
  if (!ids.includes('OIDF') || !ids.includes('OIDL')) return undefined;
  const format = graph ? F.graph : F.midx;
  const packs = graph ? undefined : u32be(h, 8)!;
  return plain('analysable', {
    ...format,
    confidence: 0.97,
    code: graph ? 'GIT_COMMIT_GRAPH' : 'GIT_MULTI_PACK_INDEX',
    message: graph
      ? `"CGPH" version 1 with a chunk table of ${chunks} chunks (${ids.join(', ')}) whose offsets rise to the trailing checksum: a Git commit-graph (git commit-graph verify; libgit2 and JGit read it).`
      : `"MIDX" version 1 over ${packs} packs with a chunk table of ${chunks} chunks (${ids.join(', ')}) whose offsets rise to the trailing checksum: a Git multi-pack-index (git multi-pack-index verify; libgit2 reads it).`,
    figures: { chunks, hashBytes: hash, ...(packs === undefined ? {} : { packs }) },
  });
}

/** The index: "DIRC", version 2-4, entry count; entries of stat data, id, flags and a path, sorted by path. */
function index(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32be(h, 4);
  const entries = u32be(h, 8);
  if (version === undefined || version < 2 || version > 4 || entries === undefined) return undefined;
  // 62 bytes of fixed fields and at least a one-byte path per entry, then a checksum.
  if (12 + entries * 63 + 20 > probe.size) return undefined;
  const read = indexEntries(h, version, entries);
  if (read === undefined || (entries > 0 && read === 0)) return undefined;
  return plain('analysable', {
    ...F.index,
    confidence: 0.97,
    code: 'GIT_INDEX',
    message: `"DIRC" version ${version}, ${entries} entries, the first ${read} with a valid mode, a terminated path and sorted paths: a Git index (git ls-files --debug, libgit2 and dulwich read it).`,
    figures: { version, entries, entriesRead: read },
  });
}

/** Entries read and checked while they lie in `h` (at most 32); undefined at the first bad one. */
function indexEntries(h: Uint8Array, version: number, entries: number): number | undefined {
  let at = 12;
  let previous = '';
  let read = 0;
  for (; read < entries && read < 32; read++) {
    if (at + 62 > h.length) break;
    const mode = u32be(h, at + 24)!;
    const flags = u16be(h, at + 60)!;
    if (!INDEX_MODES.has(mode)) return undefined;
    // Version 2 has no extended flags; version 3+ adds two bytes after the flags when the bit is set.
    const extended = (flags & 0x4000) !== 0;
    if (extended && version === 2) return undefined;
    let name = at + 62 + (extended ? 2 : 0);
    let path: string;
    if (version === 4) {
      // The path is the previous path less N trailing bytes (N a varint) plus a NUL-terminated suffix.
      let strip = 0;
      let byte: number | undefined;
      do {
        byte = h[name++];
        if (byte === undefined) return read;
        strip = strip * 128 + (byte & 0x7f) + (byte & 0x80 ? 1 : 0);
      } while (byte & 0x80);
      const end = indexOf(h, '\0', name);
      if (end < 0) return read;
      if (strip > previous.length) return undefined;
      path = previous.slice(0, previous.length - strip) + ascii(h.subarray(name, end));
      at = end + 1;
    } else {
      const end = indexOf(h, '\0', name);
      if (end < 0) return read;
      path = ascii(h.subarray(name, end));
      // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
      const length = end - (at - 0);
      at += Math.ceil((length + 1) / 8) * 8;
      for (let i = end; i < at && i < h.length; i++) if (h[i] !== 0) return undefined;
    }
    if (path.length === 0 || (read > 0 && path < previous)) return undefined;
    previous = path;
  }
  return read;
}

/** A bundle: "# v2|v3 git bundle", prerequisite and reference lines (v3 capabilities), a blank line, then a pack. */
function bundle(probe: Probe): Detection | undefined {
  const h = probe.head;
  const blank = indexOf(h, '\n\n');
  if (blank < 0) return undefined;
  const lines = ascii(h.subarray(16, blank)).split('\n');
  const ref = /^-?([0-9a-f]{40}|[0-9a-f]{64})( .*)?$/;
  const refs = lines.filter((l) => ref.test(l) && !l.startsWith('-')).length;
  if (!lines.every((l) => ref.test(l) || l.startsWith('@'))) return undefined;
  const start = blank + 2;
  const w = walkPack(h, start, probe.size - start, probe.complete);
  if (!w || (w.verified === 0 && !w.partial && w.objects > 0)) return undefined;
  return plain('analysable', {
    ...F.bundle,
    confidence: 0.97,
    code: 'GIT_BUNDLE',
    message: `"${ascii(h.subarray(0, 15))}" header with ${refs} reference(s), then a pack: ${describeWalk(w)}. A Git bundle (git bundle verify / git clone read it).`,
    figures: { references: refs, ...walkFigures(w) },
  });
}
