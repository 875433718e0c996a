/**
 * Offline map data that phones, navigators and GIS tools keep, for the
 * formats libmagic 5.44 does not know:
 * - OpenStreetMap o5m/o5c (osmconvert, osmium): a reset byte, then a header
 *   dataset of four bytes, "o5m2" or "o5c2". Analysable.
 * - Mapbox vector tiles (`z/x/y.mvt` or `.pbf`, in tile caches and inside
 *   MBTiles/PMTiles): a protobuf Tile holding only `layers` (field 3), each
 *   with a name (1), a version (15) of 1 or 2 and no fields outside the
 *   spec's. Read by GDAL's MVT driver, QGIS and every vector map renderer.
 *   Analysable.
 * - Mapsforge maps (`.map`, offline maps of c:geo, Locus, OruxMaps, Cruiser):
 *   "mapsforge binary OSM", then a header whose file size field must be the
 *   file's. The format is published and several apps render it. Analysable.
 * - Garmin IMG maps (`gmapsupp.img` on a navigator's card, Garmin Express
 *   downloads): a FAT-like container, every byte XORed with the byte at
 *   offset 0. A fixed XOR byte is no key (it is in the file), so a scrambled
 *   map is not encrypted; only Garmin's own software and reverse-engineered
 *   tools read the map subfiles: opaque. (Maps Garmin sells are further
 *   locked by a product key; that lives in the subfiles, not here.)
 * - PMTiles v3 archives (`.pmtiles`, Protomaps' single-file tile sets that
 *   offline map apps and web maps use): "PMTiles", version 3, a root
 *   directory in the first 16 KiB and every section the header points to
 *   inside the file. Read by the pmtiles tools, GDAL 3.8+ and MapLibre.
 *   Analysable.
 * - MapInfo TAB geometry files (`.map` beside `.tab`, `.dat`, `.id`): the
 *   header block's magic cookie 42424242 at 0x100, a version and a block
 *   size. GDAL's MITAB driver and QGIS read them. Analysable.
 * References: protomaps/PMTiles spec/v3/spec.md (127-byte header);
 * wiki.openstreetmap.org "O5m"; mapbox/vector-tile-spec 2.1
 * (vector_tile.proto); mapsforge docs "Specification-Binary-Map-File"
 * (version 3-5 header); "Garmin IMG format" by John Mechalas (header at 0:
 * XOR byte, "DSKIMG" at 0x10, "GARMIN" at 0x41, 0x55AA at 0x1FE); GDAL
 * ogr/ogrsf_frmts/mitab (mitab_mapheaderblock.cpp: HDR_MAGIC_COOKIE).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, protoFields } from './util.js';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const at = (b: Uint8Array, offset: number, bytes: readonly number[], xor = 0) =>
  bytes.every((c, i) => (b[offset + i]! ^ xor) === c);

function o5m(probe: { head: Uint8Array }): Detection | undefined {
  const h = probe.head;
  if (!at(h, 0, [0xff, 0xe0, 0x04])) return undefined;
  const kind = at(h, 3, ascii('o5m2')) ? 'o5m' : at(h, 3, ascii('o5c2')) ? 'o5c' : undefined;
  if (!kind) return undefined;
  return plain('analysable', {
    id: 'osm-o5m',
    name: 'OpenStreetMap o5m/o5c data',
    confidence: 0.92,
    code: 'O5M_HEADER',
    message: `A reset byte and an o5m header dataset "${kind}2": OpenStreetMap ${kind === 'o5m' ? 'data' : 'change'} file, read by osmconvert and osmium without a secret.`,
    details: { kind },
  });
}

const LAYER_FIELDS = new Set([1, 2, 3, 4, 5, 15]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The layer names of a vector tile, or undefined unless every layer is one. */
function tileLayers(b: Uint8Array): string[] | undefined {
  const layers = protoFields(b, 0, b.length, 1024);
  if (!layers || layers.length === 0) return undefined;
  const names: string[] = [];
  for (const l of layers) {
    if (l.field !== 3 || l.wire !== 2 || !l.bytes) return undefined;
    const fields = protoFields(l.bytes, 0, l.bytes.length, 1 << 20);
    if (!fields) return undefined;
    const version = fields.find((f) => f.field === 15);
    const name = fields.find((f) => f.field === 1);
    if (!version || version.wire !== 0 || (version.value !== 1 && version.value !== 2)) return undefined;
    if (!name?.bytes || name.wire !== 2 || name.bytes.length === 0) return undefined;
    if (fields.some((f) => !LAYER_FIELDS.has(f.field) || (f.wire !== 0 && f.wire !== 2))) return undefined;
    try {
      names.push(utf8.decode(name.bytes));
    } catch {
      return undefined;
    }
  }
  return names;
}

function vectorTile(probe: { head: Uint8Array; complete: boolean }): Detection | undefined {
  // The whole tile must parse to its last byte (tiles are small; a longer file is no tile).
  if (probe.head[0] !== 0x1a || !probe.complete) return undefined;
  const names = tileLayers(probe.head);
  if (!names) return undefined;
  const shown = names.slice(0, 5).map((n) => JSON.stringify(n.slice(0, 40)));
  return plain('analysable', {
    id: 'mvt',
    name: 'Mapbox vector tile',
    confidence: 0.9,
    code: 'MVT_LAYERS',
    message: `A protobuf Tile of ${names.length} layer${names.length === 1 ? '' : 's'} (${shown.join(', ')}${names.length > 5 ? ', …' : ''}), each with a name, version 1 or 2 and only the spec's fields: a Mapbox vector tile, read by GDAL's MVT driver and map renderers without a secret.`,
    details: { layers: names.length },
  });
}

function mapsforge(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (!at(h, 0, ascii('mapsforge binary OSM'))) return undefined;
  const be32 = (o: number) => ((h[o]! << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!) >>> 0;
  const version = be32(24);
  const size = be32(28) * 2 ** 32 + be32(32);
  if (version < 3 || version > 5 || size !== probe.size) return undefined;
  return plain('analysable', {
    id: 'mapsforge-map',
    name: 'Mapsforge offline map',
    confidence: 0.93,
    code: 'MAPSFORGE_HEADER',
    message: `"mapsforge binary OSM", file version ${version}, and a file size field equal to the file's: a Mapsforge offline map (its published format is rendered by the Mapsforge library, c:geo, Locus and OruxMaps) without a secret.`,
    details: { version },
  });
}

const PMTILES_TYPES = ['unknown', 'MVT', 'PNG', 'JPEG', 'WebP', 'AVIF'];

function pmtiles(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (!at(h, 0, [...ascii('PMTiles'), 3]) || h.length < 127) return undefined;
  const u64 = (o: number) =>
    (h[o]! | (h[o + 1]! << 8) | (h[o + 2]! << 16)) +
    h[o + 3]! * 2 ** 24 +
    (h[o + 4]! | (h[o + 5]! << 8) | (h[o + 6]! << 16)) * 2 ** 32 +
    h[o + 7]! * 2 ** 56;
  const rootAt = u64(8);
  const rootLength = u64(16);
  if (rootAt < 127 || rootLength === 0 || rootAt + rootLength > 16384) return undefined;
  // Root directory, metadata, leaf directories, tile data: each inside the file.
  for (const o of [8, 24, 40, 56]) if (u64(o) + u64(o + 8) > probe.size) return undefined;
  const [internal, tileCompression, type, minZoom, maxZoom] = [h[97]!, h[98]!, h[99]!, h[100]!, h[101]!];
  if (internal > 4 || tileCompression > 4 || type >= PMTILES_TYPES.length || minZoom > maxZoom || maxZoom > 32)
    return undefined;
  return plain('analysable', {
    id: 'pmtiles',
    name: 'PMTiles tile archive',
    confidence: 0.93,
    code: 'PMTILES_HEADER',
    message: `"PMTiles" version 3, a root directory at ${rootAt} within the first 16 KiB and every section inside the file; ${PMTILES_TYPES[type]} tiles, zoom ${minZoom}–${maxZoom}: a PMTiles archive, read by the pmtiles tools, GDAL and MapLibre without a secret.`,
    details: { tileType: PMTILES_TYPES[type]!, minZoom, maxZoom },
  });
}

/** MITAB's header magic cookie, little-endian at 0x100. */
const MITAB_COOKIE = 42424242;

function mapinfo(probe: { head: Uint8Array }): Detection | undefined {
  const h = probe.head;
  const u16 = (o: number) => h[o]! | (h[o + 1]! << 8);
  if ((h[0x100]! | (h[0x101]! << 8) | (h[0x102]! << 16)) + h[0x103]! * 0x1000000 !== MITAB_COOKIE) return undefined;
  const version = u16(0x104);
  const block = u16(0x106);
  // Versions 100 to 1000 (MapInfo 3 to 15), blocks of 512 bytes to 16 KiB in steps of 512.
  if (version < 100 || version > 1000 || block < 512 || block > 16384 || block % 512) return undefined;
  return plain('analysable', {
    id: 'mapinfo-map',
    name: 'MapInfo TAB geometry file',
    confidence: 0.92,
    code: 'MAPINFO_HEADER',
    message: `MapInfo header block: magic cookie 42424242 at 0x100, version ${version}, ${block}-byte blocks: the geometry of a MapInfo TAB dataset, read by GDAL's MITAB driver and QGIS without a secret.`,
    details: { version, block },
  });
}

function garminImg(probe: { head: Uint8Array }): Detection | undefined {
  const h = probe.head;
  const x = h[0]!;
  if (!at(h, 0x10, [...ascii('DSKIMG'), 0], x) || !at(h, 0x41, [...ascii('GARMIN'), 0], x)) return undefined;
  // The partition table's 0x55AA is reported, not required: the two marks are 14 bytes no other file holds there.
  const mark = at(h, 0x1fe, [0x55, 0xaa], x);
  const label = String.fromCharCode(...h.subarray(0x49, 0x49 + 20).map((c) => c ^ x))
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
  return plain('opaque', {
    id: 'garmin-img',
    name: 'Garmin IMG map',
    confidence: 0.93,
    code: 'GARMIN_IMG_HEADER',
    message: `"DSKIMG" at 0x10, "GARMIN" at 0x41${mark ? ' and the 0x55AA mark' : ''}${x ? `, every byte XORed with 0x${x.toString(16).padStart(2, '0')} (the byte at offset 0: a fixed scramble, not a key)` : ''}${label ? `, map "${label}"` : ''}: a Garmin map container that only Garmin's software and reverse-engineered tools read.`,
    details: { xor: x },
  });
}

export const mapDataDetector = defineDetector({
  meta: {
    id: 'map-data',
    version: '1.0.0',
    title:
      'Offline map data: OpenStreetMap o5m/o5c, Mapbox vector tiles, PMTiles, Mapsforge maps, Garmin IMG maps, MapInfo TAB',
    formats: [
      {
        id: 'osm-o5m',
        name: 'OpenStreetMap o5m/o5c data',
        status: 'analysable',
        how: 'signature',
        extensions: ['o5m', 'o5c'],
      },
      { id: 'mvt', name: 'Mapbox vector tile', status: 'analysable', how: 'structure', extensions: ['mvt', 'pbf'] },
      {
        id: 'mapsforge-map',
        name: 'Mapsforge offline map',
        status: 'analysable',
        how: 'header-field',
        extensions: ['map'],
      },
      { id: 'garmin-img', name: 'Garmin IMG map', status: 'opaque', how: 'signature', extensions: ['img'] },
      {
        id: 'pmtiles',
        name: 'PMTiles tile archive',
        status: 'analysable',
        how: 'header-field',
        extensions: ['pmtiles'],
      },
      {
        id: 'mapinfo-map',
        name: 'MapInfo TAB geometry file',
        status: 'analysable',
        how: 'header-field',
        extensions: ['map'],
      },
    ],
  },
  minSize: 7,
  priority: 40,
  detect(probe): Detection | undefined {
    const found = o5m(probe) ?? vectorTile(probe) ?? mapsforge(probe) ?? pmtiles(probe);
    // The Garmin and MapInfo headers reach past 0x100.
    return found ?? (probe.head.length >= 0x200 ? (garminImg(probe) ?? mapinfo(probe)) : undefined);
  },
});
