/**
 * Esri File Geodatabase tables (`aNNNNNNNN.gdbtable` and their row offset
 * indexes `.gdbtablx`, inside a `.gdb` folder): ArcGIS's native vector and
 * attribute store, read by GDAL's OpenFileGDB driver and QGIS. libmagic 5.44
 * does not know them, so a geodatabase was a folder of opaque files. The
 * table header holds the file's own size, which is checked with its fixed
 * words; the offsets index has no magic beyond a version word, so its size
 * must be what its header's block count and offset width make it.
 * Reference: Even Rouault, "FileGDB specification" (GDAL's OpenFileGDB
 * driver documentation, dump_gdbtable.py): .gdbtable header (40 bytes),
 * .gdbtablx header (16 bytes) and trailer.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le, u64le } from './util.js';

const NAME = /^a[0-9a-f]{8}\.(gdbtable|gdbtablx)$/i;

function table(h: Uint8Array, size: number): string | undefined {
  if (u32le(h, 0) !== 3 || ![4, 5].includes(u32le(h, 12)!) || u32le(h, 16) !== 0 || u32le(h, 20) !== 0)
    return undefined;
  if (u64le(h, 24) !== size) return undefined;
  const rows = u32le(h, 4)!;
  return rows <= size ? `table header: version 3, ${rows} rows, its file size field equal to the file's` : undefined;
}

function offsets(h: Uint8Array, size: number): string | undefined {
  const blocks = u32le(h, 4)!;
  const rows = u32le(h, 8)!;
  const width = u32le(h, 12)!;
  if (u32le(h, 0) !== 3 || ![4, 5, 6].includes(width) || rows > blocks * 1024) return undefined;
  // Header, the blocks of row offsets, then a 16-byte trailer (and a block bitmap when blocks are sparse).
  const least = 16 + blocks * 1024 * width + 16;
  return size >= least && size <= least + blocks * 8 + 1024
    ? `row offsets index: version 3, ${blocks} block${blocks === 1 ? '' : 's'} of 1,024 ${width}-byte offsets for ${rows} rows, the file's size as they make it`
    : undefined;
}

/** The .gdbtable's own header ends here: no row starts before it. */
const TABLE_HEADER = 40;

/**
 * The row offsets in the first block, as far as read: a width-byte little-endian offset into the .gdbtable
 * per row (0 for a deleted row). Live rows' offsets rise past the table's header, and no slot after the
 * header's row count holds one. The count of live rows, or undefined.
 */
function rowOffsetsRise(h: Uint8Array, rows: number, width: number): number | undefined {
  const slots = Math.min(1024, Math.floor((h.length - 16) / width));
  let last = TABLE_HEADER - 1;
  let live = 0;
  for (let i = 0; i < slots; i++) {
    let offset = 0;
    for (let k = width - 1; k >= 0; k--) offset = offset * 256 + h[16 + i * width + k]!;
    if (offset === 0) continue;
    if (i >= rows || offset <= last) return undefined;
    last = offset;
    live++;
  }
  return live > 0 ? live : undefined;
}

export const fileGeodatabaseDetector = defineDetector({
  meta: {
    id: 'file-geodatabase',
    version: '1.0.0',
    title: 'Esri File Geodatabase tables and row offset indexes (header fields against the file size)',
    formats: [
      {
        id: 'esri-file-geodatabase',
        name: 'Esri File Geodatabase table',
        status: 'analysable',
        how: 'header-field',
        extensions: ['gdbtable', 'gdbtablx'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '03000000' }],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    // A table's header holds its own size: evidence under any name. The index's header is small numbers
    // only, so it counts under the name a geodatabase gives it.
    const isIndex = NAME.exec(probe.name)?.[1]?.toLowerCase() === 'gdbtablx';
    const evidence = isIndex ? offsets(probe.head, probe.size) : table(probe.head, probe.size);
    if (evidence === undefined) return isIndex ? undefined : indexByOffsets(probe.head, probe.size);
    return plain('analysable', {
      id: 'esri-file-geodatabase',
      name: 'Esri File Geodatabase table',
      confidence: 0.92,
      code: 'FILEGDB_HEADER',
      message: `Esri File Geodatabase ${evidence}${isIndex ? `, under the name a File Geodatabase gives it (${probe.name})` : ''}: GDAL's OpenFileGDB driver and ArcGIS read the .gdb folder without a secret.`,
      details: { part: isIndex ? 'row offsets index' : 'table' },
    });
  },
});

/** The offsets index under another name: its size as its header makes it, and row offsets that rise. */
function indexByOffsets(h: Uint8Array, size: number): Detection | undefined {
  const evidence = offsets(h, size);
  if (evidence === undefined) return undefined;
  const live = rowOffsetsRise(h, u32le(h, 8)!, u32le(h, 12)!);
  if (live === undefined) return undefined;
  return plain('analysable', {
    id: 'esri-file-geodatabase',
    name: 'Esri File Geodatabase table',
    confidence: 0.75,
    code: 'FILEGDB_INDEX_OFFSETS',
    message: `Esri File Geodatabase ${evidence}, not under a geodatabase's name (aNNNNNNNN.gdbtablx) but its ${live} live row offset${live === 1 ? '' : 's'} rising past the table's ${TABLE_HEADER}-byte header and none beyond its row count: GDAL's OpenFileGDB driver and ArcGIS read the .gdb folder without a secret.`,
    figures: { liveRows: live },
    details: { part: 'row offsets index' },
  });
}
