/**
 * Camera, dictation and audiobook formats that exiftool reads and libmagic
 * does not name ("data"): Canon DPP recipe sidecars (VRD, DR4), FLIR public
 * thermal images (FPF), Olympus/Philips dictation audio (DSS, DS2), RED
 * camera raw video (R3D), Audible audiobooks (AA), Sony DSC-F1 pictures
 * (PMP), Kyocera Contax N raw images and JVC/Panasonic camcorder clip
 * indexes (MOI, which libmagic misreads as a "ps database" and prints its
 * date bytes as the kernel's name). Each is a documented, readable format
 * (analysable), so none may fall through to "opaque binary".
 * Each check is the format's magic plus a field that ties it to the file
 * (a declared length, a trailer, a model string, an embedded JPEG).
 * References: exiftool's format table and its CanonVRD, FLIR, Olympus, Red,
 * Audible, Sony, KyoceraRaw and MOI modules (Phil Harvey, "ExifTool Tag Names");
 * Canon's VRD footer ("CANON OPTIONAL DATA" also closes the file).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, notingZeroPadding, plain, startsWith, u16be, u32be, u32le } from './util.js';
import { trimEndOf } from '../text-ends.js';

interface Format {
  id: string;
  name: string;
  extensions: string[];
  mime?: string;
}

const VRD: Format = { id: 'canon-vrd', name: 'Canon DPP recipe data (VRD)', extensions: ['vrd'] };
const DR4: Format = { id: 'canon-dr4', name: 'Canon DPP version 4 recipe (DR4)', extensions: ['dr4'] };
const FPF: Format = {
  id: 'flir-fpf',
  name: 'FLIR public image format (FPF)',
  extensions: ['fpf'],
  mime: 'image/x-flir-fpf',
};
const DSS: Format = {
  id: 'dss',
  name: 'Digital Speech Standard dictation audio (DSS, DS2)',
  extensions: ['dss', 'ds2'],
  mime: 'audio/x-dss',
};
const R3D: Format = { id: 'red-r3d', name: 'RED camera raw video (R3D)', extensions: ['r3d'] };
const AA: Format = { id: 'audible-aa', name: 'Audible audiobook (AA)', extensions: ['aa'], mime: 'audio/audible' };
const PMP: Format = { id: 'sony-pmp', name: 'Sony DSC-F1 picture (PMP)', extensions: ['pmp'] };
const KYOCERA: Format = { id: 'kyocera-raw', name: 'Kyocera Contax N raw image', extensions: ['raw'] };
const MOI: Format = { id: 'moi', name: 'JVC/Panasonic camcorder clip index (MOI)', extensions: ['moi'] };

/** The MOI header up to and including the recording date (version, size, date): no index is shorter. */
const MOI_MIN_BYTES = 14;

const printable = (s: string) => /^[\x20-\x7e]*\0*$/.test(s);

function found(f: Format, code: string, message: string, figures: Record<string, number | string> = {}): Detection {
  return plain('analysable', {
    id: f.id,
    name: f.name,
    ...(f.mime ? { mime: f.mime } : {}),
    confidence: 0.9,
    code,
    message,
    figures,
  });
}

export const cameraMediaFormatsDetector = defineDetector({
  meta: {
    id: 'camera-media-formats',
    version: '1.1.0',
    title: 'Camera sidecars, dictation audio, raw video and audiobooks that libmagic does not name',
    formats: [VRD, DR4, FPF, DSS, R3D, AA, PMP, KYOCERA, MOI].map((f) => ({
      id: f.id,
      name: f.name,
      status: 'analysable' as const,
      how: 'header-field' as const,
      extensions: f.extensions,
      ...(f.mime ? { mime: f.mime } : {}),
    })),
  },
  signatures: [
    { offset: 0, ascii: 'CANON OPTIONAL DATA' },
    { offset: 0, hex: '4949494904000400' },
    { offset: 0, ascii: 'FPF Public Image Format' },
    { offset: 0, hex: '02647373' },
    { offset: 0, hex: '03647332' },
    { offset: 4, ascii: 'RED' },
    { offset: 4, hex: '57907536' },
    { offset: 124, hex: 'ffd8ffdb' },
    { offset: 25, ascii: 'ARECOYK' },
    { offset: 0, ascii: 'V6' },
  ],
  minSize: 32,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'CANON OPTIONAL DATA\0')) {
      // A 28-byte header, the recipe blocks (their length at 24), a 64-byte footer with the same words.
      const blocks = u32be(h, 24) ?? 0;
      const footer = probe.size - 64;
      const tail = probe.complete ? h.subarray(footer) : probe.tail.subarray(probe.tail.length - 64);
      if (28 + blocks + 64 !== probe.size || !startsWith(tail, 'CANON OPTIONAL DATA\0')) return undefined;
      return found(
        VRD,
        'CANON_VRD_HEADER',
        `"CANON OPTIONAL DATA" header declaring ${blocks} bytes of recipe blocks, and the same words in the 64-byte footer that ends the file: Canon Digital Photo Professional edit recipe (read by exiftool).`,
        { blockBytes: blocks },
      );
    }
    if (startsWith(h, 'IIII\x04\x00\x04\x00')) {
      const entries = u32le(h, 8) ?? 0;
      if (entries < 1 || entries > 4096) return undefined;
      return found(
        DR4,
        'CANON_DR4_HEADER',
        `"IIII" DR4 header, version 4, ${entries} recipe entries: Canon Digital Photo Professional 4 recipe (read by exiftool).`,
        { entries },
      );
    }
    if (startsWith(h, 'FPF Public Image Format\0')) {
      return found(
        FPF,
        'FLIR_FPF_HEADER',
        '"FPF Public Image Format" header: a FLIR thermal camera image in its documented public format (read by exiftool and FLIR tools).',
      );
    }
    if (startsWith(h, '\x02dss') || startsWith(h, '\x03ds2')) {
      // The recorder's model name follows the header fields (16 bytes of ASCII at offset 12).
      const model = ascii(h, 12, 28);
      if (!printable(model) || !/^[A-Za-z0-9]/.test(model)) return undefined;
      const kind = h[0] === 2 ? 'DSS' : 'DS2';
      return found(
        DSS,
        'DSS_HEADER',
        `"${kind === 'DSS' ? '\\x02dss' : '\\x03ds2'}" header and recorder model "${trimEndOf(model, '\0 ')}": ${kind} dictation audio (Olympus/Philips recorders; read by exiftool and dictation software).`,
        { kind, model: trimEndOf(model, '\0 ') },
      );
    }
    const atom = u32be(h, 0) ?? 0;
    const redVersion = ascii(h, 4, 8);
    if ((redVersion === 'RED1' || redVersion === 'RED2') && atom >= 8 && atom <= probe.size) {
      return found(
        R3D,
        'R3D_HEADER',
        `"${redVersion}" header atom of ${atom} bytes: RED camera raw video (read by REDCINE-X and exiftool).`,
        { headerAtom: atom },
      );
    }
    if (atom === probe.size && u32be(h, 4) === 0x57907536) {
      return found(
        AA,
        'AUDIBLE_AA_HEADER',
        `Audible header: the file size (${atom}) then the magic 57 90 75 36: an Audible audiobook; its tags (title, author, chapters) are readable, its audio is DRM-protected by the account's activation bytes.`,
        { fileSize: atom },
      );
    }
    if (h[8] === 0 && h[9] === 0 && h[10] === 0 && h[11] === 0x7c && u32be(h, 124) === 0xffd8ffdb) {
      return found(
        PMP,
        'SONY_PMP_HEADER',
        'Sony PMP header (zero bytes and 0x7c at offset 8) with a JPEG starting at offset 124: a Sony DSC-F1 picture (read by exiftool).',
      );
    }
    const moiSize = startsWith(h, 'V6') ? (u32be(h, 2) ?? 0) : 0;
    // The declared size closes the index; bytes after it (a line feed, appended data) are set aside.
    if (moiSize >= MOI_MIN_BYTES && moiSize <= probe.size) {
      // The recording's date follows the size: year (u16), month, day, hour, minute, milliseconds (u16).
      const [year, month, day, hour, minute, ms] = [u16be(h, 6)!, h[8]!, h[9]!, h[10]!, h[11]!, u16be(h, 12)!];
      if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59)
        return undefined;
      if (ms >= 60_000) return undefined;
      const at = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      return notingZeroPadding(
        found(
          MOI,
          'MOI_HEADER',
          `"V6" version, the index's own size (${moiSize} bytes${moiSize === probe.size ? '' : ` of the file's ${probe.size}`}) and a recording date (${at}): a JVC/Panasonic camcorder clip index (.MOI, beside its .MOD video; read by exiftool).`,
          { recorded: at },
        ),
        afterStructureEnd(probe, moiSize),
        'the index before them',
      );
    }
    if (ascii(h, 25, 32) === 'ARECOYK' && printable(ascii(h, 1, 25).replace(/\0/g, ' '))) {
      return found(
        KYOCERA,
        'KYOCERA_RAW_HEADER',
        '"ARECOYK" ("KYOCERA" byte-swapped) at offset 25 behind the header\'s text fields: a Kyocera Contax N Digital raw image (read by exiftool).',
      );
    }
    return undefined;
  },
});
