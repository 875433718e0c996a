/**
 * Raster and elevation formats of GIS and remote-sensing software that GDAL
 * (and the programs that wrote them) read, and libmagic 5.44 does not know,
 * so they were opaque: Erdas Imagine (HFA) images, PCI Geomatics PCIDSK
 * databases, DTED elevation cells, Golden Software Surfer 7 grids, VTP
 * binary terrain (BT), Oracle/Safe SIGDEM elevation, USGS ISIS3 cubes and
 * CALS type 1 rasters. Each has a fixed header; each check below reads more
 * than its magic (a pointer, a digit field, a second record tag), so text
 * naming the magic is not taken for the format. All are data without a
 * secret: analysable.
 * References: GDAL 3.6 frmts/hfa/hfaopen.cpp (EHFA_HEADER_TAG, header
 * pointer), frmts/pcidsk/sdk (PCIDSK file header: 16-digit block count),
 * MIL-PRF-89020B §3.11 (DTED UHL, DSI and ACC records at 0, 80, 648),
 * Golden Software "Surfer 7 Grid File Format" (DSRB, GRID sections),
 * VTP BT format 1.3, GDAL frmts/sigdem, USGS ISIS3 "Cube Label", MIL-R-28002
 * (CALS raster header records).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16be, u32le } from './util.js';

interface Raster {
  id: string;
  name: string;
  extensions: string[];
  /** The evidence when the header checks out, for the reason message; undefined when it does not. */
  check(h: Uint8Array, size: number): string | undefined;
}

const RASTERS: readonly Raster[] = [
  {
    id: 'erdas-imagine',
    name: 'Erdas Imagine (HFA) image',
    extensions: ['img', 'ige'],
    check: (h, size) => {
      if (ascii(h, 0, 16) !== 'EHFA_HEADER_TAG\0') return undefined;
      const at = u32le(h, 16)!;
      // The header record the tag points to (version, free list, root node) lies after the tag.
      return at >= 20 && at < size ? `EHFA_HEADER_TAG pointing to its header record at ${at}` : undefined;
    },
  },
  {
    id: 'pcidsk',
    name: 'PCIDSK database file',
    extensions: ['pix'],
    check: (h) =>
      ascii(h, 0, 8) === 'PCIDSK  ' && /^ *\d+$/.test(ascii(h, 16, 32))
        ? `"PCIDSK" and its file size in 512-byte blocks (${ascii(h, 16, 32).trim()})`
        : undefined,
  },
  {
    id: 'dted',
    name: 'DTED elevation cell',
    extensions: ['dt0', 'dt1', 'dt2'],
    check: (h) =>
      ascii(h, 0, 4) === 'UHL1' && ascii(h, 80, 83) === 'DSI' && ascii(h, 728, 731) === 'ACC'
        ? 'UHL, DSI and ACC records at 0, 80 and 728'
        : undefined,
  },
  {
    id: 'surfer-grid-7',
    name: 'Surfer 7 binary grid',
    extensions: ['grd'],
    check: (h) =>
      ascii(h, 0, 4) === 'DSRB' && u32le(h, 4) === 4 && [1, 2].includes(u32le(h, 8)!) && ascii(h, 12, 16) === 'GRID'
        ? `DSRB header section (version ${u32le(h, 8)}) then the GRID section`
        : undefined,
  },
  {
    id: 'vtp-binary-terrain',
    name: 'VTP binary terrain (BT)',
    extensions: ['bt'],
    check: (h) => {
      if (!/^binterr1\.[0-3]$/.test(ascii(h, 0, 10))) return undefined;
      const columns = u32le(h, 10)!;
      const rows = u32le(h, 14)!;
      const dataSize = h[18]! | (h[19]! << 8);
      return columns > 0 && rows > 0 && [2, 4].includes(dataSize)
        ? `"${ascii(h, 0, 10)}", ${columns} × ${rows} samples of ${dataSize} bytes`
        : undefined;
    },
  },
  {
    id: 'sigdem',
    name: 'SIGDEM elevation grid',
    extensions: ['sigdem'],
    check: (h) => (ascii(h, 0, 6) === 'SIGDEM' && u16be(h, 6) === 1 ? '"SIGDEM" and version 1' : undefined),
  },
  {
    id: 'isis3-cube',
    name: 'ISIS3 cube',
    extensions: ['cub'],
    check: (h) =>
      /^Object = IsisCube\r?\n\s+Object = Core\r?\n/.test(ascii(h, 0, 64))
        ? 'IsisCube label with its Core object'
        : undefined,
  },
  {
    id: 'cals-raster',
    name: 'CALS raster',
    extensions: ['cal', 'cals', 'ct1'],
    check: (h) =>
      ascii(h, 0, 9) === 'srcdocid:' && /^rtype: *[12]\b/m.test(ascii(h, 0, 1408).replace(/ {2,}/g, '\n'))
        ? 'srcdocid and rtype header records'
        : undefined,
  },
];

export const gisRastersDetector = defineDetector({
  meta: {
    id: 'gis-rasters',
    version: '1.0.0',
    title: 'GIS raster and elevation formats GDAL reads (HFA, PCIDSK, DTED, Surfer 7, BT, SIGDEM, ISIS3, CALS)',
    formats: RASTERS.map((r) => ({
      id: r.id,
      name: r.name,
      status: 'analysable' as const,
      how: 'header-field' as const,
      extensions: r.extensions,
    })),
  },
  signatures: [
    { offset: 0, ascii: 'EHFA_HEADER_TAG' },
    { offset: 0, ascii: 'PCIDSK  ' },
    { offset: 0, ascii: 'UHL1' },
    { offset: 0, ascii: 'DSRB' },
    { offset: 0, ascii: 'binterr1.' },
    { offset: 0, ascii: 'SIGDEM' },
    { offset: 0, ascii: 'Object = IsisCube' },
    { offset: 0, ascii: 'srcdocid:' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    for (const r of RASTERS) {
      const evidence = r.check(probe.head, probe.size);
      if (evidence === undefined) continue;
      return plain('analysable', {
        id: r.id,
        name: r.name,
        confidence: 0.93,
        code: 'GIS_RASTER_HEADER',
        message: `${r.name}: ${evidence}; GDAL reads it without a secret.`,
      });
    }
    return undefined;
  },
});
