/**
 * netCDF classic-model files: CDF-1 (classic), CDF-2 (64-bit offset) and
 * CDF-5 (64-bit data, PnetCDF's format, `ncgen -k nc5`): climate, ocean and
 * model output. libmagic 5.44 names the first two; CDF-5 it does not, so
 * such a file was opaque. netCDF-4 files are HDF5 and named as such. The
 * four-byte magic "CDF" and a version is short, so the header after it is
 * checked: the record count (32-bit, 64-bit in CDF-5, or all ones while a
 * file is being streamed), then the dimension list, either ABSENT (zeros)
 * or the NC_DIMENSION tag with a count and a first name that is a plausible
 * identifier; an absent list must be followed by an attribute list tag.
 * Reference: NetCDF Users Guide, "The NetCDF File Format" (classic and
 * 64-bit offset); PnetCDF "CDF-5 file format specification".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const NC_DIMENSION = 0x0a;
const NC_ATTRIBUTE = 0x0c;
const VERSIONS = new Map<number, string>([
  [1, 'CDF-1 (classic)'],
  [2, 'CDF-2 (64-bit offset)'],
  [5, 'CDF-5 (64-bit data)'],
]);

/** A big-endian count of 4 bytes (CDF-1/2) or 8 bytes (CDF-5); undefined past 2^53 or the bytes. */
function count(h: Uint8Array, at: number, wide: boolean): number | undefined {
  if (!wide) return u32be(h, at);
  const hi = u32be(h, at);
  const lo = u32be(h, at + 4);
  if (hi === undefined || lo === undefined || hi > 0x1fffff) return undefined;
  return hi * 2 ** 32 + lo;
}

/** The first dimension's name: a length of 1-256 then that many printable bytes (netCDF names are UTF-8). */
function firstName(h: Uint8Array, at: number, wide: boolean): string | undefined {
  const n = count(h, at, wide);
  const start = at + (wide ? 8 : 4);
  if (n === undefined || n < 1 || n > 256 || start + n > h.length) return undefined;
  const bytes = h.subarray(start, start + n);
  if (bytes.some((b) => b < 0x20 || b === 0x7f)) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

function header(h: Uint8Array): { version: number; dims: number; name?: string } | undefined {
  if (h[0] !== 0x43 || h[1] !== 0x44 || h[2] !== 0x46) return undefined;
  const version = h[3]!;
  if (!VERSIONS.has(version)) return undefined;
  const wide = version === 5;
  // numrecs, then the dimension list's tag (always 32-bit) and its count.
  const tagAt = 4 + (wide ? 8 : 4);
  const tag = u32be(h, tagAt);
  const dims = count(h, tagAt + 4, wide);
  if (tag === undefined || dims === undefined) return undefined;
  if (tag === 0) {
    // ABSENT: the count is zero too; the global attribute list's tag comes next.
    const next = u32be(h, tagAt + 4 + (wide ? 8 : 4));
    if (dims !== 0 || (next !== 0 && next !== NC_ATTRIBUTE)) return undefined;
    return { version, dims: 0 };
  }
  if (tag !== NC_DIMENSION || dims < 1 || dims > 65536) return undefined;
  const name = firstName(h, tagAt + 4 + (wide ? 8 : 4), wide);
  return name === undefined ? undefined : { version, dims, name };
}

export const netcdfClassicDetector = defineDetector({
  meta: {
    id: 'netcdf-classic',
    version: '1.0.0',
    title: 'netCDF classic-model files: CDF-1, CDF-2 and CDF-5 (header checked)',
    formats: [
      {
        id: 'netcdf',
        name: 'netCDF data file',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-netcdf',
        extensions: ['nc', 'cdf', 'nc3'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '43444601' },
    { offset: 0, hex: '43444602' },
    { offset: 0, hex: '43444605' },
  ],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    const hd = header(probe.head);
    if (!hd) return undefined;
    const what = VERSIONS.get(hd.version)!;
    return plain('analysable', {
      id: 'netcdf',
      name: 'netCDF data file',
      mime: 'application/x-netcdf',
      confidence: 0.95,
      code: 'NETCDF_HEADER',
      message: `netCDF ${what} header: "CDF" and version ${hd.version}, then ${hd.dims === 0 ? 'no dimensions' : `${hd.dims} dimension${hd.dims === 1 ? '' : 's'}, the first named "${hd.name}"`}: readable by the netCDF library and its tools (ncdump).`,
      figures: { version: hd.version, dimensions: hd.dims },
      details: { cdfVersion: hd.version },
    });
  },
});
