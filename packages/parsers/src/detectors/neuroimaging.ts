/**
 * Neuroimaging formats that nibabel, FSL, SPM, FreeSurfer, TrackVis and
 * MRtrix read, and libmagic 5.44 does not know (it names NIfTI, which stays
 * libmagic's): Analyze 7.5 headers (`.hdr` of an `.hdr`/`.img` pair, SPM's
 * format), FreeSurfer MGH volumes (`.mgh`; `.mgz` is gzip), TrackVis
 * tractograms (`.trk`), MRtrix tracks and images (`.tck`, `.mif`) and
 * ECAT 7 PET images (`.v`). They
 * were opaque. Each check reads fields, not only a magic: Analyze has none
 * (a header size of 348, a dimension count and sizes, a datatype with its
 * matching bits per pixel); MGH's version word, dimensions, a type code, a
 * RAS block of positive voxel sizes and unit direction cosines, and a file
 * large enough for the voxels; TrackVis's "TRACK" and its
 * header size word of 1000; MRtrix's first line and its END line; ECAT's
 * "MATRIX7" magic with a software version and file type in range.
 * Reference: Mayo Clinic Analyze 7.5 header (dsr struct, 348 bytes);
 * FreeSurfer wiki "FsTutorial/MghFormat"; TrackVis "Trackvis file format"
 * (1000-byte header, hdr_size at 996); MRtrix 3 docs "Images and other data
 * files" and "Track file format (.tck)"; CTI ECAT 7 file format (main
 * header: magic_number, sw_version at 46, file_type at 50).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16be, u16le, u32be, u32le } from './util.js';
import { trimEndOf } from '../text-ends.js';

/** Analyze datatype codes with their bits per pixel. */
const ANALYZE_TYPES = new Map<number, number>([
  [1, 1],
  [2, 8],
  [4, 16],
  [8, 32],
  [16, 32],
  [32, 64],
  [64, 64],
  [128, 24],
]);
/** MGH type codes with their bytes per voxel. */
const MGH_TYPES = new Map<number, number>([
  [0, 1],
  [1, 4],
  [3, 4],
  [4, 2],
]);

interface Found {
  id: string;
  name: string;
  evidence: string;
}

function analyze(h: Uint8Array, size: number): Found | undefined {
  if (size !== 348 || h.length < 348) return undefined;
  const little = u32le(h, 0) === 348;
  if (!little && u32be(h, 0) !== 348) return undefined;
  const u16 = little ? u16le : u16be;
  // NIfTI-1 pair headers say "ni1" at 344: libmagic names those.
  if (ascii(h, 344, 347) === 'ni1' || ascii(h, 344, 347) === 'n+1') return undefined;
  const rank = u16(h, 40)!;
  if (rank < 1 || rank > 7) return undefined;
  const dims: number[] = [];
  for (let i = 1; i <= rank; i++) {
    const d = u16(h, 40 + 2 * i)!;
    if (d < 1 || d > 32767) return undefined;
    dims.push(d);
  }
  const bits = ANALYZE_TYPES.get(u16(h, 70)!);
  if (bits === undefined || u16(h, 72) !== bits) return undefined;
  return {
    id: 'analyze-header',
    name: 'Analyze 7.5 image header',
    evidence: `348-byte header (${little ? 'little' : 'big'}-endian), ${dims.join(' × ')} voxels of ${bits} bits; the voxels are in the .img beside it`,
  };
}

function mgh(h: Uint8Array, size: number): Found | undefined {
  if (u32be(h, 0) !== 1 || h.length < 90) return undefined;
  const dims = [u32be(h, 4)!, u32be(h, 8)!, u32be(h, 12)!, u32be(h, 16)!];
  const bytes = MGH_TYPES.get(u32be(h, 20)!);
  // Version 1 and small numbers are common; the RAS block is not: with goodRASflag 1, three positive voxel
  // sizes and three direction cosine columns of unit length follow.
  if (bytes === undefined || u16be(h, 28) !== 1 || dims.some((d) => d < 1 || d > 1 << 20)) return undefined;
  const view = new DataView(h.buffer, h.byteOffset, h.length);
  for (let i = 0; i < 3; i++) {
    const size = view.getFloat32(30 + 4 * i);
    if (!(size > 0 && size < 1000)) return undefined;
  }
  for (let c = 0; c < 3; c++) {
    let norm = 0;
    for (let r = 0; r < 3; r++) norm += view.getFloat32(42 + 12 * c + 4 * r) ** 2;
    if (Math.abs(norm - 1) > 1e-3) return undefined;
  }
  const voxels = dims.reduce((a, b) => a * b, 1) * bytes;
  if (284 + voxels > size) return undefined;
  return {
    id: 'freesurfer-mgh',
    name: 'FreeSurfer MGH volume',
    evidence: `version 1, a RAS block of voxel sizes and unit direction cosines, ${dims.slice(0, 3).join(' × ')} voxels in ${dims[3]} frame${dims[3] === 1 ? '' : 's'}, ${bytes} bytes each, all inside the file`,
  };
}

function trackvis(h: Uint8Array): Found | undefined {
  if (ascii(h, 0, 6) !== 'TRACK\0' || h.length < 1000) return undefined;
  if (u32le(h, 996) !== 1000 && u32be(h, 996) !== 1000) return undefined;
  return { id: 'trackvis', name: 'TrackVis tractogram', evidence: '"TRACK" and the header size word 1000 at byte 996' };
}

function mrtrix(h: Uint8Array): Found | undefined {
  const text = ascii(h, 0, Math.min(h.length, 4096));
  const m = /^mrtrix (tracks|image)\r?\n/.exec(text);
  if (!m || !/\ndatatype: \w+\r?\n/.test(text) || !/\nEND\r?\n/.test(text)) return undefined;
  const tracks = m[1] === 'tracks';
  return {
    id: tracks ? 'mrtrix-tracks' : 'mrtrix-image',
    name: tracks ? 'MRtrix tracks' : 'MRtrix image',
    evidence: `"mrtrix ${m[1]}" header with its datatype and END lines`,
  };
}

function ecat7(h: Uint8Array): Found | undefined {
  // The main header: a 14-byte magic "MATRIX7…", the file name, then the software version and file type.
  if (ascii(h, 0, 7) !== 'MATRIX7' || h.length < 52) return undefined;
  const version = u16be(h, 46)!;
  const fileType = u16be(h, 50)!;
  if (version < 60 || version > 99 || fileType > 14) return undefined;
  return {
    id: 'ecat7',
    name: 'ECAT 7 PET image',
    evidence: `"${trimEndOf(ascii(h, 0, 14), '\0')}" main header, software version ${version}, file type ${fileType}`,
  };
}

const FORMATS = [
  { id: 'analyze-header', name: 'Analyze 7.5 image header', extensions: ['hdr'] },
  { id: 'freesurfer-mgh', name: 'FreeSurfer MGH volume', extensions: ['mgh'] },
  { id: 'trackvis', name: 'TrackVis tractogram', extensions: ['trk'] },
  { id: 'mrtrix-tracks', name: 'MRtrix tracks', extensions: ['tck'] },
  { id: 'mrtrix-image', name: 'MRtrix image', extensions: ['mif'] },
  { id: 'ecat7', name: 'ECAT 7 PET image', extensions: ['v', 'i'] },
];

export const neuroimagingDetector = defineDetector({
  meta: {
    id: 'neuroimaging',
    version: '1.0.0',
    title: 'Neuroimaging files: Analyze 7.5 headers, FreeSurfer MGH, TrackVis and MRtrix (header fields checked)',
    formats: FORMATS.map((f) => ({ ...f, status: 'analysable' as const, how: 'header-field' as const })),
  },
  signatures: [
    { offset: 0, hex: '5c010000' },
    { offset: 0, hex: '0000015c' },
    { offset: 0, hex: '00000001' },
    { offset: 0, ascii: 'TRACK' },
    { offset: 0, ascii: 'mrtrix ' },
    { offset: 0, ascii: 'MATRIX7' },
  ],
  minSize: 30,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const found = analyze(h, probe.size) ?? mgh(h, probe.size) ?? trackvis(h) ?? mrtrix(h) ?? ecat7(h);
    if (!found) return undefined;
    return plain('analysable', {
      id: found.id,
      name: found.name,
      confidence: 0.9,
      code: 'NEUROIMAGING_HEADER',
      message: `${found.name}: ${found.evidence}; nibabel and the neuroimaging suites read it without a secret.`,
    });
  },
});
