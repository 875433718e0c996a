/**
 * Bazaar (bzr) and Breezy (brz) repository files, known by the format line each starts with and
 * confirmed by what follows it: packs ("Bazaar pack format 1", then records "B<length>\n" with
 * their names and bytes, groupcompress blocks of zlib or LZMA inside), graph indexes
 * (`indices/*.rix|.iix|.tix|.six|.cix` and `pack-names`: "B+Tree Graph Index 2" with its
 * options, then zlib pages; the older "Bazaar Graph Index 1") and the working tree's dirstate
 * ("#bazaar dirstate flat format 3", a CRC and an entry count). A pack holding a binary file is
 * mostly compressed bytes: random-looking, not encrypted. Read by bzr/brz: analysable.
 *
 * Reference: breezy/bzr/pack.py (container format, records), breezy/bzr/btree_index.py and
 * index.py (index headers), breezy/bzr/dirstate.py (header lines).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith } from './util.js';

const PACK = 'Bazaar pack format 1 (introduced in 0.18)\n';
const BTREE = 'B+Tree Graph Index 2\n';
const GRAPH = 'Bazaar Graph Index 1\n';
const DIRSTATE = '#bazaar dirstate flat format 3\n';

/** A pack's first record: a bytes record ("B" and its length), or the end marker "E". */
const FIRST_RECORD = /^(B(\d{1,15})\n|E$)/;
const BTREE_OPTIONS = /^node_ref_lists=\d+\nkey_elements=\d+\nlen=\d+\nrow_lengths=[\d,]*\n/;
const GRAPH_OPTIONS = /^node_ref_lists=\d+\nkey_elements=\d+\nlen=\d+\n/;
const DIRSTATE_HEADER = /^crc32: -?\d+\nnum_entries: (\d+)\n/;

const F = {
  pack: { id: 'bazaar-pack', name: 'Bazaar/Breezy repository pack' },
  index: { id: 'bazaar-index', name: 'Bazaar/Breezy graph index' },
  dirstate: { id: 'bazaar-dirstate', name: 'Bazaar/Breezy dirstate' },
} as const;

export const bazaarDetector = defineDetector({
  meta: {
    id: 'bazaar',
    version: '1.0.0',
    title: "Bazaar/Breezy repositories' packs, graph indexes and dirstate (header lines checked)",
    formats: [
      { ...F.pack, status: 'analysable', how: 'header-field', extensions: ['pack'] },
      { ...F.index, status: 'analysable', how: 'header-field', extensions: ['rix', 'iix', 'tix', 'six', 'cix'] },
      { ...F.dirstate, status: 'analysable', how: 'header-field' },
    ],
  },
  signatures: [
    { offset: 0, ascii: PACK },
    { offset: 0, ascii: BTREE },
    { offset: 0, ascii: GRAPH },
    { offset: 0, ascii: DIRSTATE },
  ],
  minSize: 21,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, PACK)) {
      const m = FIRST_RECORD.exec(ascii(h.subarray(PACK.length, PACK.length + 20)));
      // A bytes record's length covers its name lines and content: it must fit in the file.
      if (!m || (m[2] !== undefined && PACK.length + m[1]!.length + Number(m[2]) > probe.size)) return undefined;
      return plain('analysable', {
        ...F.pack,
        confidence: 0.95,
        code: 'BAZAAR_PACK',
        message: `"${PACK.trim()}" and a first record that fits the file: a Bazaar/Breezy repository pack (bzr and brz read it). Its compressed blocks look random; that is compression, not encryption.`,
      });
    }
    const btree = startsWith(h, BTREE);
    if (btree || startsWith(h, GRAPH)) {
      const magic = btree ? BTREE : GRAPH;
      const options = ascii(h.subarray(magic.length, magic.length + 160));
      if (!(btree ? BTREE_OPTIONS : GRAPH_OPTIONS).test(options)) return undefined;
      return plain('analysable', {
        ...F.index,
        confidence: 0.95,
        code: 'BAZAAR_INDEX',
        message: `"${magic.trim()}" and its option lines (node_ref_lists, key_elements, len${btree ? ', row_lengths' : ''}): a Bazaar/Breezy graph index (bzr and brz read it).`,
      });
    }
    const m = DIRSTATE_HEADER.exec(ascii(h.subarray(DIRSTATE.length, DIRSTATE.length + 64)));
    if (!startsWith(h, DIRSTATE) || !m) return undefined;
    return plain('analysable', {
      ...F.dirstate,
      confidence: 0.95,
      code: 'BAZAAR_DIRSTATE',
      message: `"${DIRSTATE.trim()}", a CRC-32 line and ${m[1]} entries: a Bazaar/Breezy working tree's dirstate (bzr and brz read it).`,
      figures: { entries: Number(m[1]) },
    });
  },
});
