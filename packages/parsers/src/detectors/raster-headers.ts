/**
 * Raster pictures whose header gives the dimensions and the sample size, so that the raster's length is known.
 * A match is checked by the file's size, not by a magic number alone (two of these formats have none):
 * - PFM, the Portable FloatMap (netpbm's pfmtopam, HDR tools, ImageMagick): "PF" (colour) or "Pf" (grey),
 *   width, height and a non-zero scale (negative: little-endian) as decimal text, one whitespace byte, then
 *   width × height × channels × 4 bytes (netpbm's "PFM" document).
 * - PGX, the JPEG 2000 conformance raster (OpenJPEG, ImageMagick): "PG ML" or "PG LM", an optional sign, the
 *   depth (1–32 bits), width, height and a newline, then one sample of 1, 2 or 4 bytes a pixel.
 * - MTV, the MTV ray tracer's output (netpbm's mtvtoppm, ImageMagick): "width height" and a newline, then 3 bytes a
 *   pixel.
 * - Khoros VIFF (Khoros/Cantata, ImageMagick): 0xAB 0x01, release 1, version 3, a 1,024-byte header (width at
 *   520, height at 524, images at 556, bands at 560, storage type at 564, encoding at 568, the map's scheme,
 *   storage type and size at 572–584) in the byte order its machine-dependency byte names; maps and raster follow.
 * - VIPS, libvips' native format: magic 08 F2 A6 B6 (big-endian fields) or B6 A6 F2 08 (little-endian), a
 *   64-byte header (width, height, bands, band format, coding), the raster, then optional XML metadata
 *   (libvips "The VIPS file format").
 * libmagic (5.44) names none of them; ImageMagick, netpbm, OpenJPEG and libvips read them, so analysable.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u32be, u32le } from './util.js';

interface Raster {
  id: string;
  name: string;
  code: string;
  message: string;
  figures: Record<string, number>;
}

const FORMATS = {
  pfm: { id: 'pfm', name: 'Portable FloatMap picture (PFM)', extensions: ['pfm'] },
  pgx: { id: 'pgx', name: 'JPEG 2000 conformance raster (PGX)', extensions: ['pgx'] },
  mtv: { id: 'mtv', name: 'MTV ray-tracer picture', extensions: ['mtv', 'pic'] },
  viff: { id: 'viff', name: 'Khoros VIFF picture', extensions: ['viff', 'xv'] },
  vips: { id: 'vips', name: 'VIPS picture (libvips native format)', extensions: ['v', 'vips'] },
} as const;

/** Larger dimensions than any picture these formats hold: products stay exact in doubles. */
const MAX_SIDE = 1 << 20;

/** Decimal text fields separated by single spaces or newlines at `at`: their values and where they end. */
function fields(
  h: Uint8Array,
  at: number,
  count: number,
  pattern: RegExp,
): { values: string[]; end: number } | undefined {
  const text = ascii(h, at, Math.min(h.length, at + 96));
  const m = pattern.exec(text);
  if (!m || m.length < count + 1) return undefined;
  return { values: m.slice(1, count + 1), end: at + m[0].length };
}

/** A width or height (a number, or its decimal text), or 0 when out of range. */
const side = (v: string | number) => {
  const n = Number(v);
  return n >= 1 && n <= MAX_SIDE ? n : 0;
};

function pfm(h: Uint8Array, size: number): Raster | undefined {
  if (h[0] !== 0x50 || (h[1] !== 0x46 && h[1] !== 0x66)) return undefined;
  const f = fields(
    h,
    2,
    3,
    /^[ \t\r\n](\d{1,7})[ \t\r\n](\d{1,7})[ \t\r\n](-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)[ \t\r\n]/,
  );
  if (!f) return undefined;
  const [width, height, scale] = [side(f.values[0]!), side(f.values[1]!), Number(f.values[2])];
  const channels = h[1] === 0x46 ? 3 : 1;
  if (!width || !height || !scale || size !== f.end + width * height * channels * 4) return undefined;
  return {
    ...FORMATS.pfm,
    code: 'PFM_HEADER_SIZE',
    message: `"P${channels === 3 ? 'F' : 'f'}" header of a ${width} × ${height} ${channels === 3 ? 'colour' : 'grey'} Portable FloatMap (${scale < 0 ? 'little' : 'big'}-endian floats), and the raster of 4-byte samples fills the file exactly.`,
    figures: { width, height, channels, headerBytes: f.end },
  };
}

function pgx(h: Uint8Array, size: number): Raster | undefined {
  if (ascii(h, 0, 2) !== 'PG') return undefined;
  const f = fields(h, 2, 4, /^ (ML|LM) ?[+-]? ?(\d{1,2}) (\d{1,7}) (\d{1,7})\r?\n/);
  if (!f) return undefined;
  const [depth, width, height] = [Number(f.values[1]), side(f.values[2]!), side(f.values[3]!)];
  if (depth < 1 || depth > 32 || !width || !height) return undefined;
  const bytes = depth <= 8 ? 1 : depth <= 16 ? 2 : 4;
  if (size !== f.end + width * height * bytes) return undefined;
  return {
    ...FORMATS.pgx,
    code: 'PGX_HEADER_SIZE',
    message: `"PG ${f.values[0]}" header of a ${width} × ${height} ${depth}-bit JPEG 2000 conformance raster, and its ${bytes}-byte samples fill the file exactly.`,
    figures: { width, height, depth, headerBytes: f.end },
  };
}

function mtv(h: Uint8Array, size: number): Raster | undefined {
  if (h[0] === undefined || h[0] < 0x31 || h[0] > 0x39) return undefined;
  const f = fields(h, 0, 2, /^(\d{1,5}) (\d{1,5})\n/);
  if (!f) return undefined;
  const [width, height] = [side(f.values[0]!), side(f.values[1]!)];
  if (!width || !height || size !== f.end + width * height * 3) return undefined;
  return {
    ...FORMATS.mtv,
    code: 'MTV_HEADER_SIZE',
    message: `"${width} ${height}" header line of an MTV ray-tracer picture, and its 3-byte pixels fill the file exactly.`,
    figures: { width, height, headerBytes: f.end },
  };
}

/** Bytes a sample takes in VIFF's storage types (bit, byte, short, int, float, complex, double, double complex). */
const VIFF_STORAGE: Record<number, number> = { 1: 1, 2: 2, 4: 4, 5: 4, 6: 8, 9: 8, 10: 16 };
const VIFF_HEADER = 1024;

function viff(h: Uint8Array, size: number): Raster | undefined {
  if (h[0] !== 0xab || h[1] !== 0x01 || h[2] !== 1 || h[3] !== 3 || h.length < 592) return undefined;
  const machine = h[4]!;
  if (machine !== 0x2 && machine !== 0x4 && machine !== 0x8) return undefined;
  const u32 = (o: number) => (machine === 0x2 ? u32be(h, o) : u32le(h, o)) ?? 0;
  const [width, height, images, bands, storage, encoding] = [
    u32(520),
    u32(524),
    u32(556),
    u32(560),
    u32(564),
    u32(568),
  ];
  if (!side(width) || !side(height) || images < 1 || images > 4096 || bands < 1 || bands > 4096) return undefined;
  // Compressed rasters (encoding other than 0) have no length to check.
  if (encoding !== 0) return undefined;
  const rowBytes = storage === 0 ? Math.ceil(width / 8) : width * (VIFF_STORAGE[storage] ?? 0);
  if (rowBytes === 0) return undefined;
  const [mapScheme, mapStorage, mapRows, mapCols] = [u32(572), u32(576), u32(580), u32(584)];
  const mapBytes = mapScheme === 0 ? 0 : mapRows * mapCols * (VIFF_STORAGE[mapStorage] ?? 0);
  if (mapScheme !== 0 && mapBytes === 0) return undefined;
  if (size !== VIFF_HEADER + mapBytes + rowBytes * height * bands * images) return undefined;
  return {
    ...FORMATS.viff,
    code: 'VIFF_HEADER_SIZE',
    message: `Khoros VIFF header (0xAB 0x01, release 1, version 3) of ${images} ${width} × ${height} picture${images > 1 ? 's' : ''} with ${bands} band${bands > 1 ? 's' : ''} of storage type ${storage}${mapBytes > 0 ? ` and a ${mapBytes}-byte map` : ''}, and the raster fills the file exactly.`,
    figures: { width, height, bands, images, storage, mapBytes },
  };
}

/** Bytes a sample takes in VIPS's band formats (uchar … dpcomplex). */
const VIPS_FORMAT = [1, 1, 2, 2, 4, 4, 4, 8, 8, 16];
const VIPS_HEADER = 64;

function vips(h: Uint8Array, size: number): Raster | undefined {
  const magic = u32be(h, 0);
  if ((magic !== 0x08f2a6b6 && magic !== 0xb6a6f208) || h.length < VIPS_HEADER) return undefined;
  const u32 = (o: number) => (magic === 0x08f2a6b6 ? u32be(h, o) : u32le(h, o)) ?? 0;
  const [width, height, bands, format, coding] = [u32(4), u32(8), u32(12), u32(20), u32(24)];
  const sample = VIPS_FORMAT[format];
  if (!side(width) || !side(height) || bands < 1 || bands > 4096 || sample === undefined) return undefined;
  // Coded pictures (LABQ, RAD) store 4 bytes a pixel whatever the bands; none (0) stores every sample.
  const pixel = coding === 0 ? bands * sample : coding === 2 || coding === 6 ? 4 : 0;
  const raster = width * height * pixel;
  // The XML metadata that may follow the raster is text, so a file shorter than the raster is not VIPS.
  if (pixel === 0 || size < VIPS_HEADER + raster) return undefined;
  return {
    ...FORMATS.vips,
    code: 'VIPS_HEADER_SIZE',
    message: `VIPS header (${magic === 0x08f2a6b6 ? 'big' : 'little'}-endian) of a ${width} × ${height} picture with ${bands} band${bands > 1 ? 's' : ''} of format ${format}, coding ${coding}: the raster fits the file${size > VIPS_HEADER + raster ? `, and ${size - VIPS_HEADER - raster} bytes of metadata follow it` : ' exactly'}.`,
    figures: { width, height, bands, format, coding, extensionBytes: size - VIPS_HEADER - raster },
  };
}

function rasterOf(probe: Probe): Raster | undefined {
  const h = probe.head;
  return pfm(h, probe.size) ?? pgx(h, probe.size) ?? mtv(h, probe.size) ?? viff(h, probe.size) ?? vips(h, probe.size);
}

export const rasterHeadersDetector = defineDetector({
  meta: {
    id: 'raster-headers',
    version: '1.0.0',
    title: 'Raster pictures whose dimension header accounts for the file: PFM, PGX, MTV, Khoros VIFF, VIPS',
    formats: Object.values(FORMATS).map((f) => ({ ...f, status: 'analysable' as const, how: 'structure' as const })),
  },
  minSize: 8,
  priority: 45,
  detect(probe): Detection | undefined {
    const r = rasterOf(probe);
    if (!r) return undefined;
    return plain('analysable', {
      id: r.id,
      name: r.name,
      confidence: 0.9,
      code: r.code,
      message: r.message,
      figures: r.figures,
    });
  },
});
