/**
 * bup backup repositories' own files. A bup repository is a git repository (packs and pack
 * indexes, which libmagic names) plus files of bup's own that nothing else names: the
 * file index `bupindex` that `bup index` keeps of the saved tree, the Bloom filter
 * `objects/pack/bup.bloom` and the midx files `objects/pack/midx-*.midx` that merge pack
 * indexes. None is encrypted (bup has no encryption); they are readable structure.
 * Layouts (bup lib/bup/index.py, bloom.py, midx.py; big-endian): "BUPI" and the index
 * version (u32); "BLOM", version (u32, 2), table bits (u16), hash count k (u16), entries
 * (u32), the table of 2^bits bytes… then the pack index names; "MIDX", version (u32, 4),
 * fan-out bits (u32), a fan-out table of 2^bits u32, the object ids, the pack names.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u16be, u32be } from './util.js';

const MAX_INDEX_VERSION = 16;
const BLOOM_VERSIONS = new Set([1, 2]);
/** bup's Bloom filters use 4 or 5 hashes; a little room either side. */
const MAX_BLOOM_K = 8;
const MAX_BLOOM_BITS = 40;
const MIDX_VERSIONS = new Set([2, 3, 4]);
/** bup caps the midx fan-out at 2^22 entries. */
const MAX_MIDX_BITS = 22;

export const bupDetector = defineDetector({
  meta: {
    id: 'bup',
    version: '1.0.0',
    title: "bup backup repositories' index, Bloom filter and midx files",
    formats: [
      { id: 'bup-index', name: 'bup file index (bupindex)', status: 'analysable', how: 'header-field' },
      { id: 'bup-bloom', name: 'bup Bloom filter of pack objects', status: 'analysable', how: 'header-field' },
      {
        id: 'bup-midx',
        name: 'bup multi-pack index (midx)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['midx'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'BUPI' },
    { offset: 0, ascii: 'BLOM' },
    { offset: 0, ascii: 'MIDX' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = u32be(h, 4);
    if (version === undefined) return undefined;
    if (startsWith(h, 'BUPI')) {
      if (version < 1 || version > MAX_INDEX_VERSION) return undefined;
      return plain('analysable', {
        id: 'bup-index',
        name: 'bup file index (bupindex)',
        confidence: 0.9,
        code: 'BUP_INDEX',
        message: `"BUPI" header, index version ${version}: bup's index of the files a backup saves (paths, sizes, times, modes); readable, bup does not encrypt.`,
        figures: { version },
      });
    }
    if (startsWith(h, 'BLOM')) {
      const bits = u16be(h, 8);
      const k = u16be(h, 10);
      const entries = u32be(h, 12);
      if (bits === undefined || k === undefined || entries === undefined) return undefined;
      if (!BLOOM_VERSIONS.has(version) || k < 1 || k > MAX_BLOOM_K || bits < 1 || bits > MAX_BLOOM_BITS)
        return undefined;
      return plain('analysable', {
        id: 'bup-bloom',
        name: 'bup Bloom filter of pack objects',
        confidence: 0.9,
        code: 'BUP_BLOOM',
        message: `"BLOM" header, version ${version}, ${bits} table bits, k = ${k}, ${entries} entries: bup's Bloom filter over the repository's pack objects; readable, bup does not encrypt.`,
        figures: { version, bits, k, entries },
      });
    }
    const bits = u32be(h, 8);
    if (!startsWith(h, 'MIDX') || bits === undefined) return undefined;
    // The fan-out table alone takes 4 * 2^bits bytes after the 12-byte header.
    if (!MIDX_VERSIONS.has(version) || bits > MAX_MIDX_BITS || probe.size < 12 + 4 * 2 ** bits) return undefined;
    return plain('analysable', {
      id: 'bup-midx',
      name: 'bup multi-pack index (midx)',
      confidence: 0.9,
      code: 'BUP_MIDX',
      message: `"MIDX" header, version ${version}, ${bits} fan-out bits: bup's merged index of several git pack indexes; readable, bup does not encrypt.`,
      figures: { version, bits },
    });
  },
});
