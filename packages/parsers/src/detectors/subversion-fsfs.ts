/**
 * Subversion FSFS repository revision files (`db/revs/<shard>/<rev>` and packed shards
 * `db/revs/<shard>.pack/pack`): representations ("PLAIN" text, or "DELTA" and svndiff data,
 * zlib- or LZ4-compressed in svndiff1/2), node-revisions and changed paths, then a trailer that
 * locates the root node and the changes (formats 1-6: "<root offset> <changes offset>\n" as
 * the last line) or, with logical addressing (format 7+), the log-to-phys and phys-to-log
 * indexes ("<l2p offset> <md5> <p2l offset> <md5>" and a final byte giving that footer's length).
 * A revision that adds a binary file is mostly its compressed or stored bytes: random-looking,
 * but not encrypted. Read by `svnadmin dump`, `svnfsfs` and every Subversion server: analysable.
 *
 * Reference: subversion/libsvn_fs_fs/structure (revision file layout, representation headers),
 * libsvn_fs_fs/rev_file.c and index.c (format 7 footer), notes/svndiff (SVN\0-\2).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith } from './util.js';

/** Format 7+ footer: offsets of the two indexes and their MD5 digests (SHA-1 is allowed too). */
const FOOTER = /^(\d{1,15}) ([0-9a-f]{32}|[0-9a-f]{40}) (\d{1,15}) ([0-9a-f]{32}|[0-9a-f]{40})$/;
/** Formats 1-6: the last line holds the offsets of the root node-revision and the changed-paths list. */
const TRAILER = /\n(\d{1,15}) (\d{1,15})\n$/;
/** A representation header: stored text, a delta against the empty stream, or against another representation. */
const REP_HEADER = /^(PLAIN\n|DELTA\n|DELTA \d+ \d+ \d+\n)/;

export const subversionFsfsDetector = defineDetector({
  meta: {
    id: 'subversion-fsfs',
    version: '1.0.0',
    title: 'Subversion FSFS repository revision files (representations and trailer checked)',
    formats: [
      { id: 'svn-fsfs-revision', name: 'Subversion FSFS revision file', status: 'analysable', how: 'structure' },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'PLAIN\n' },
    { offset: 0, ascii: 'DELTA' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const rep = REP_HEADER.exec(ascii(h.subarray(0, 40)));
    if (!rep) return undefined;
    // A delta's data is svndiff: "SVN" and its version (0 plain, 1 zlib, 2 LZ4).
    if (rep[1]!.startsWith('DELTA')) {
      const at = rep[1]!.length;
      if (!startsWith(h.subarray(at), 'SVN') || (h[at + 3] ?? 9) > 2) return undefined;
    }
    const end = probe.tail.length > 0 ? probe.tail : h;
    const trailer = footer(end, probe.size);
    if (!trailer) return undefined;
    return plain('analysable', {
      id: 'svn-fsfs-revision',
      name: 'Subversion FSFS revision file',
      confidence: 0.95,
      code: 'SVN_FSFS_REVISION',
      message: `Starts with a "${rep[1]!.trim()}" representation header${rep[1]!.startsWith('DELTA') ? ' and svndiff data' : ''}, and ends with ${trailer}: a Subversion FSFS revision file (svnadmin dump and svnfsfs read it). A stored binary file's compressed bytes look random; they are not ciphertext.`,
      figures: { representation: rep[1]!.trim() },
    });
  },
});

/** A packed shard's path: `db/revs/<shard>.pack/pack` of an FSFS repository. */
const PACK_PATH = /(^|\/)db\/revs\/\d+\.pack\/pack$/;
/** A format 7+ changed-paths line: node id, action, three modification flags (the third from 1.9), path. */
const CHANGE_LINE =
  /^[-_.a-z0-9/]+ (add|delete|replace|modify|reset)-(file|dir|unknown) (true|false) (true|false)( (true|false))? \//;

/**
 * Packed shards (`svnadmin pack`) in the logical-addressing formats put each revision's changed
 * paths first, so they start with a changes line, not a representation; only their place in the
 * repository says to look, and the footer decides. Older packs (formats 5-6) start with a
 * representation and are taken by the detector above.
 */
export const subversionFsfsPackDetector = defineDetector({
  meta: {
    id: 'subversion-fsfs-pack',
    version: '1.0.0',
    title: 'Subversion FSFS packed revision shards (db/revs/<n>.pack/pack), footer checked',
    formats: [
      { id: 'svn-fsfs-pack', name: 'Subversion FSFS packed revision shard', status: 'analysable', how: 'structure' },
    ],
  },
  minSize: 16,
  priority: 40,
  detect(probe): Detection | undefined {
    if (!PACK_PATH.test(probe.logicalPath)) return undefined;
    const h = probe.head;
    const first = ascii(h.subarray(0, 200));
    if (!REP_HEADER.test(first) && !CHANGE_LINE.test(first)) return undefined;
    const trailer = footer(probe.tail.length > 0 ? probe.tail : h, probe.size);
    if (!trailer?.startsWith('a logical')) return undefined;
    return plain('analysable', {
      id: 'svn-fsfs-pack',
      name: 'Subversion FSFS packed revision shard',
      confidence: 0.95,
      code: 'SVN_FSFS_PACK',
      message: `At db/revs/<shard>.pack/pack, starting with a changed-paths line or a representation, and ending with ${trailer}: a shard of Subversion revisions packed by svnadmin pack (svnadmin dump reads it). Stored binary files' compressed bytes look random; they are not ciphertext.`,
    });
  },
});

/** What the file's end says: a format 7 footer or a formats 1-6 trailer whose offsets lie inside the file. */
function footer(end: Uint8Array, size: number): string | undefined {
  const length = end[end.length - 1];
  if (length !== undefined && length > 0 && length < end.length) {
    const m = FOOTER.exec(ascii(end.subarray(end.length - 1 - length, end.length - 1)));
    if (m && Number(m[1]) < Number(m[3]) && Number(m[3]) < size)
      return `a logical-addressing footer (L2P index at ${m[1]}, P2L index at ${m[3]}, with their digests)`;
  }
  const t = TRAILER.exec(ascii(end.subarray(Math.max(0, end.length - 40))));
  if (t && Number(t[1]) < size && Number(t[2]) < size) return `the root and changes offsets (${t[1]}, ${t[2]})`;
  return undefined;
}
