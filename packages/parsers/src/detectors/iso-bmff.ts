/**
 * ISO base media files (MP4, MOV, 3GP, fMP4) by their box structure, for two
 * things file-type does not say:
 *
 * - **Media segments** of DASH, CMAF and HLS fMP4 streams (`.m4s`, and what
 *   ExoPlayer and browsers keep in their media caches): boxes such as `styp`,
 *   `sidx`, `moof` and `mdat`, but no `ftyp`. Their samples are compressed
 *   video and audio, so without this the statistics call them ciphertext.
 * - **Protected media** (DRM): a sample entry of a protected kind (`encv`,
 *   `enca`, `enct`, `encs` from Common Encryption, ISO/IEC 23001-7; `drms`,
 *   `drmi` from Apple's FairPlay), or a `senc` box of per-sample encryption
 *   data in a movie fragment. The boxes stay in the clear; the samples are
 *   encrypted with a content key that a DRM licence server hands to the
 *   device's decryption module. The `schm` box names the scheme (cenc, cens,
 *   cbc1, cbcs), `tenc` the key id, `pssh` the DRM systems. Smooth Streaming
 *   (PIFF 1.1, PlayReady's `.ismv`/`.isma` and their fragments) puts the same
 *   three in `uuid` boxes: sample encryption A2394F52-5A9B-4F14-A244-
 *   6C427C648DF4 in a `traf` (like `senc`), track encryption 8974DBCE-7BE7-
 *   4C51-84F9-7148F9882554 (like `tenc`), protection system header D08A4F18-
 *   10F3-4A82-B6C8-32D8ABA183D3 (like `pssh`).
 * - **OMA DRM 2 content** (DCF, `.odf`/`.dcf`/`.o4a`/`.o4v`, major brand `odcf`):
 *   an `odrm` box holding `odhe` (content type, then `ohdr`: the encryption
 *   method, 0 none, 1 AES-128-CBC, 2 AES-128-CTR; content id; rights issuer
 *   URL) and `odda` (the data). The key comes in a Rights Object from the
 *   rights issuer, bound to the phone. Method 0 is plain content.
 *   Reference: OMA-TS-DRM-DCF-V2_0 §5.
 * - **Audible audiobooks** (AAX, AAXC: major brand `aax ` / `aaxc`): the AAC
 *   sample entry is `aavd` and every sample's whole 16-byte blocks are
 *   AES-CBC encrypted. An AAX carries an `adrm` box in that entry (a 56-byte
 *   blob holding the file key, encrypted under a key derived from the
 *   account's 4 activation bytes, then at body offset 68 a 20-byte checksum
 *   of that derived key); an AAXC has none: its key and IV come from the
 *   voucher Audible's app keeps beside it. References: FFmpeg's
 *   libavformat/mov.c (`mov_read_adrm`, `aax_filter`, `mov_aaxc_crypto`).
 *
 * The box tree is walked over the bytes the probe holds (head and tail: a
 * `moov` written last is in the tail), each box's size fitting its parent.
 * A plain MP4 with `ftyp` is left to file-type.
 * References: ISO/IEC 14496-12:2022 §4.2 (box header), §8.5.2 (sample
 * entries), §8.8 (movie fragments), §8.12 (protected sample entries, `sinf`,
 * `schm`); ISO/IEC 23001-7:2023 §8 (`pssh`, `tenc`, `senc`, scheme types);
 * ISO/IEC 23009-1 §6.3.4 (DASH media segments: `styp`, `sidx`, `moof`);
 * Microsoft's Protected Interoperable File Format 1.1 §5.3 (its uuid boxes).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, hexOf, locked, plain, probeBytes, u32be } from './util.js';

/** Box types a file of boxes may begin with (ftyp and the older QuickTime layouts included). */
const FIRST = ['ftyp', 'styp', 'sidx', 'moof', 'moov', 'mdat', 'free', 'skip', 'wide', 'emsg', 'prft', 'pdin'];
/** Boxes whose body is a sequence of boxes. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'moof', 'traf', 'mvex', 'sinf', 'schi', 'edts']);
/** Where the child boxes of a sample entry begin (its fixed fields first): visual 78 + 8, audio v0 20 + 8. */
const SAMPLE_ENTRY_CHILDREN: Record<string, number> = { encv: 86, drmi: 86, enca: 36, drms: 36, aavd: 36 };
/** Protected sample entries: what each says about the track. */
const PROTECTED: Record<string, string> = {
  encv: 'video (Common Encryption)',
  enca: 'audio (Common Encryption)',
  enct: 'text (Common Encryption)',
  encs: 'system stream (Common Encryption)',
  drmi: 'video (Apple FairPlay)',
  drms: 'audio (Apple FairPlay)',
  aavd: 'audio (Audible, AES-CBC)',
};
/** The adrm body: 8 bytes, the 56-byte key blob, 4 bytes, the 20-byte activation checksum. */
const ADRM_CHECKSUM_AT = 68;
const ADRM_MIN_BODY = ADRM_CHECKSUM_AT + 20;
/** DRM systems by `pssh` SystemID (dashif.org/identifiers/content_protection). */
const SYSTEMS: Record<string, string> = {
  edef8ba979d64acea3c827dcd51d21ed: 'Widevine',
  '9a04f07998404286ab92e65be0885f95': 'PlayReady',
  '94ce86fb07ff4f43adb893d2fa968ca2': 'FairPlay',
  '1077efecc0b24d02ace33c1e52e2fb4b': 'W3C Common (ClearKey)',
  '5e629af538da4063897797ffbd9902d4': 'Marlin',
};
// PIFF 1.1's extended box types (hex of the 16-byte uuid).
const PIFF_SAMPLE_ENCRYPTION = 'a2394f525a9b4f14a2446c427c648df4';
const PIFF_TRACK_ENCRYPTION = '8974dbce7be74c5184f97148f9882554';
const PIFF_PROTECTION_HEADER = 'd08a4f1810f34a82b6c832d8aba183d3';
const MAX_BOXES = 512;
// moov trak mdia minf stbl stsd encv sinf schi tenc: ten levels.
const MAX_DEPTH = 12;

interface Walk {
  /** Box types seen, each once, in the order first seen. */
  types: string[];
  /** Top-level boxes read (their headers held by the probe and sizes that fit the file). */
  topLevel: string[];
  protectedEntries: string[];
  scheme?: string;
  keyId?: string;
  systems: string[];
  /** A `senc` box in a movie fragment. */
  sampleEncryption: boolean;
  /** The sample encryption box is PIFF's `uuid` one. */
  piff?: boolean;
  /** The ftyp box's major brand. */
  brand?: string;
  /** An Audible `adrm` box in an `aavd` sample entry: its activation checksum (hex). */
  adrmChecksum?: string;
  boxes: number;
}

interface Box {
  type: string;
  /** Where its header starts, its body starts and it ends, in the file. */
  start: number;
  body: number;
  end: number;
}

/** A box header at `at`: its type and where it ends, or undefined when the probe does not hold it or it does not fit. */
function boxAt(probe: Probe, at: number, end: number): Box | undefined {
  const h = probeBytes(probe, at, 16) ?? probeBytes(probe, at, 8);
  if (!h) return undefined;
  const size32 = u32be(h, 0)!;
  const type = ascii(h, 4, 8);
  if (!/^[a-z0-9 ]{4}$/i.test(type)) return undefined;
  let size = size32;
  let body = at + 8;
  if (size32 === 1) {
    if (h.length < 16) return undefined;
    const hi = u32be(h, 8)!;
    if (hi >= 0x200000) return undefined; // beyond 2^53
    size = hi * 2 ** 32 + u32be(h, 12)!;
    body = at + 16;
  } else if (size32 === 0) size = end - at; // to the end of its parent
  if (size < body - at || at + size > end) return undefined;
  return { type, start: at, body, end: at + size };
}

function walk(probe: Probe, from: number, end: number, depth: number, w: Walk, parent?: string): void {
  let at = from;
  while (at + 8 <= end && w.boxes < MAX_BOXES) {
    const box = boxAt(probe, at, end);
    if (!box) return;
    w.boxes++;
    if (depth === 0) w.topLevel.push(box.type);
    if (!w.types.includes(box.type)) w.types.push(box.type);
    inspect(probe, box, depth, w, parent);
    at = box.end;
  }
}

function inspect(probe: Probe, box: Box, depth: number, w: Walk, parent: string | undefined): void {
  const { type, body, end } = box;
  if (depth >= MAX_DEPTH) return;
  if (CONTAINERS.has(type)) return walk(probe, body, end, depth + 1, w, type);
  if (type === 'stsd') return walk(probe, body + 8, end, depth + 1, w, type); // version, flags, entry count
  if (parent === 'stsd' && PROTECTED[type]) {
    w.protectedEntries.push(type);
    const children = SAMPLE_ENTRY_CHILDREN[type];
    if (children !== undefined) walk(probe, box.start + children, end, depth + 1, w, type);
    return;
  }
  if (type === 'schm') {
    const b = probeBytes(probe, body + 4, 4);
    const scheme = b && ascii(b, 0, 4);
    if (scheme && /^[a-z0-9]{4}$/i.test(scheme)) w.scheme = scheme;
  } else if (type === 'tenc') {
    // version/flags 4, reserved 1, crypt/skip 1, default_isProtected 1, default_Per_Sample_IV_Size 1, default_KID 16
    const b = probeBytes(probe, body + 8, 16);
    if (b) w.keyId = hexOf(b, 0, 16);
  } else if (type === 'pssh') {
    const b = probeBytes(probe, body + 4, 16);
    if (b) {
      const id = hexOf(b, 0, 16);
      const name = SYSTEMS[id] ?? `SystemID ${id}`;
      if (!w.systems.includes(name)) w.systems.push(name);
    }
  } else if (type === 'senc' && parent === 'traf') w.sampleEncryption = true;
  else if (type === 'uuid') piffBox(probe, body, w, parent);
  else if (type === 'ftyp' && depth === 0) {
    const b = probeBytes(probe, body, 4);
    if (b) w.brand = ascii(b, 0, 4);
  } else if (type === 'adrm' && parent === 'aavd' && end - body >= ADRM_MIN_BODY) {
    const b = probeBytes(probe, body + ADRM_CHECKSUM_AT, 20);
    if (b) w.adrmChecksum = hexOf(b, 0, 20);
  }
}

/** PIFF's uuid boxes: sample encryption (in a traf), track encryption (its key id), protection system header. */
function piffBox(probe: Probe, body: number, w: Walk, parent: string | undefined): void {
  const u = probeBytes(probe, body, 16);
  const id = u && hexOf(u, 0, 16);
  if (id === PIFF_SAMPLE_ENCRYPTION && parent === 'traf') {
    w.sampleEncryption = true;
    w.piff = true;
  } else if (id === PIFF_TRACK_ENCRYPTION) {
    // After the uuid: version/flags 4, AlgorithmID 3 and IV_size 1, then the 16-byte KID.
    const b = probeBytes(probe, body + 24, 16);
    if (b) w.keyId = hexOf(b, 0, 16);
  } else if (id === PIFF_PROTECTION_HEADER) {
    const b = probeBytes(probe, body + 20, 16);
    if (b) {
      const sys = hexOf(b, 0, 16);
      const name = SYSTEMS[sys] ?? `SystemID ${sys}`;
      if (!w.systems.includes(name)) w.systems.push(name);
    }
  }
}

function walkFile(probe: Probe): Walk | undefined {
  const w: Walk = { types: [], topLevel: [], protectedEntries: [], systems: [], sampleEncryption: false, boxes: 0 };
  walk(probe, 0, probe.size, 0, w);
  const first = w.topLevel[0];
  // One box is a magic number; a second that follows where the first ends is structure.
  if (!first || !FIRST.includes(first) || w.boxes < 2) return undefined;
  return w;
}

const SEGMENT = 'mp4-segment';
const PROTECTED_MEDIA = 'mp4-drm';
const AAX = { id: 'audible-aax', name: 'Audible AAX audiobook (activation-bytes DRM)' };
const AAXC = { id: 'audible-aaxc', name: 'Audible AAXC audiobook (per-title key DRM)' };

/** Major brands file-type itself names HEIF or AVIF; for any other it says MP4 (or 3GP, MOV…). */
const NAMED_IMAGE_BRANDS = new Set(['avif', 'avis', 'mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx']);
/**
 * HEIF brands (ISO/IEC 23008-12 §10.2, Annex B and E: the structural mif1/msf1 every HEIF file should list, and the
 * HEVC and AVC image and sequence brands) and AVIF's (AV1 Image File Format §7).
 */
const HEIF_BRANDS = [
  'mif1',
  'msf1',
  'mif2',
  'mif3',
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'avci',
  'avcs',
];
const AVIF_BRANDS = ['avif', 'avis'];
const HEIF = { id: 'heic', name: 'HEIF image (by its compatible brands)', mime: 'image/heif' };
const AVIF = { id: 'avif', name: 'AVIF image (by its compatible brands)', mime: 'image/avif' };

/**
 * A HEIF or AVIF file whose major brand file-type does not map (HEIF's `heim`, `heis`, `avci`, `jpeg`, `j2ki`,
 * `vvic`, or a damaged one): its compatible brands name the HEIF structure, so it is a picture, not MP4 video.
 */
function imageByCompatibleBrands(h: Uint8Array): Detection | undefined {
  const size = u32be(h, 0) ?? 0;
  // ftyp: size, type, major brand, minor version, then whole compatible brands; 1 KiB is far more than any writer uses.
  if (ascii(h, 4, 8) !== 'ftyp' || size < 20 || size > 1024 || size % 4 !== 0 || size > h.length) return undefined;
  const major = ascii(h, 8, 12);
  if (NAMED_IMAGE_BRANDS.has(major.replace(/\0/g, ' ').trim())) return undefined;
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= size; at += 4) compatible.push(ascii(h, at, at + 4));
  const structural = compatible.find((b) => HEIF_BRANDS.includes(b));
  if (!structural) return undefined;
  const avif = compatible.some((b) => AVIF_BRANDS.includes(b));
  const f = avif ? AVIF : HEIF;
  const printable = (b: string) => b.replace(/[^\x20-\x7e]/g, '.');
  return plain('analysable', {
    ...f,
    confidence: 0.85,
    code: 'ISO_BMFF_IMAGE_BRANDS',
    message:
      `ftyp box with major brand "${printable(major)}", which names no image format, but compatible brands ` +
      `${compatible.map((b) => `"${printable(b)}"`).join(', ')}: "${structural}" is a HEIF brand` +
      `${avif ? ' and "avif"/"avis" makes it AV1 (AVIF)' : ''}, so this is an image file, not MP4 video.`,
    figures: { majorBrand: printable(major), compatibleBrands: compatible.map(printable).join(' ') },
  });
}

const OMA_DCF = { id: 'oma-dcf', name: 'OMA DRM 2 protected content (DCF)' };
const OMA_DCF_CLEAR = { id: 'oma-dcf-clear', name: 'OMA DRM 2 content (DCF) stored in the clear' };
const OMA_METHODS = ['none', 'AES-128-CBC', 'AES-128-CTR'];

/** The ohdr fields of the first odrm box at the top level: encryption method, content id, rights issuer URL. */
function omaHeaders(
  probe: Probe,
): { method: number; contentType: string; contentId: string; issuer: string } | undefined {
  let at = 0;
  for (let i = 0; i < 8; i++) {
    const box = boxAt(probe, at, probe.size);
    if (!box) return undefined;
    if (box.type === 'odrm') {
      // odrm and odhe are full boxes (4 bytes of version and flags); odhe then holds a length-prefixed content type.
      const odhe = boxAt(probe, box.body + 4, box.end);
      if (odhe?.type !== 'odhe') return undefined;
      const t = probeBytes(probe, odhe.body + 4, 1);
      if (!t) return undefined;
      const typeBytes = probeBytes(probe, odhe.body + 5, t[0]!);
      const ohdr = boxAt(probe, odhe.body + 5 + t[0]!, odhe.end);
      const f = ohdr?.type === 'ohdr' ? probeBytes(probe, ohdr.body + 4, 16) : undefined;
      if (!f || !typeBytes) return undefined;
      const method = f[0]!;
      const idLength = (f[10]! << 8) | f[11]!;
      const urlLength = (f[12]! << 8) | f[13]!;
      const strings = probeBytes(probe, ohdr!.body + 20, idLength + urlLength);
      return {
        method,
        contentType: ascii(typeBytes, 0),
        contentId: strings ? ascii(strings, 0, idLength) : '',
        issuer: strings ? ascii(strings, idLength) : '',
      };
    }
    at = box.end;
  }
  return undefined;
}

function omaDcf(probe: Probe, w: Walk, boxes: string): Detection | undefined {
  const h = omaHeaders(probe);
  if (!h || h.method > 2) return undefined;
  const what = `OMA DRM 2 DCF (${w.brand ? `major brand "${w.brand}", ` : ''}odrm → odhe, ohdr): content type "${h.contentType}", encryption method ${h.method} (${OMA_METHODS[h.method]})${h.contentId ? `, content id "${h.contentId}"` : ''}${h.issuer ? `, rights issuer ${h.issuer}` : ''}`;
  const figures = { boxes, encryptionMethod: OMA_METHODS[h.method]!, contentType: h.contentType };
  if (h.method === 0)
    return plain('analysable', {
      ...OMA_DCF_CLEAR,
      confidence: 0.9,
      code: 'OMA_DCF_CLEAR',
      message: `${what}: the content is stored in the clear.`,
      figures,
    });
  return locked({
    ...OMA_DCF,
    confidence: 0.95,
    code: 'OMA_DCF_ENCRYPTED',
    message: `${what}: the content is encrypted.`,
    figures,
    scheme: `oma-dcf-${h.method === 1 ? 'aes-128-cbc' : 'aes-128-ctr'}`,
    keyHint: {
      description: `The content encryption key, delivered in an OMA DRM Rights Object by the rights issuer${h.issuer ? ` (${h.issuer})` : ''} and bound to the phone's DRM agent key; it is not a password.`,
      kind: 'unknown',
      present: 'unknown',
    },
  });
}

/** An Audible audiobook: an `aavd` sample entry; `adrm` (AAX) says where its key comes from, else AAXC's voucher. */
function audible(w: Walk, boxes: string): Detection {
  const aax = w.adrmChecksum !== undefined;
  const brand = w.brand ? `major brand "${w.brand}", ` : '';
  const figures = { boxes, ...(w.brand ? { brand: w.brand } : {}) };
  if (aax) {
    return locked({
      ...AAX,
      confidence: 0.95,
      code: 'AUDIBLE_AAX_ADRM',
      message:
        `Box structure with ${brand}an aavd sample entry (AAC whose samples are AES-CBC encrypted) holding an adrm box: ` +
        `the file key is wrapped under a key derived from the Audible account's activation bytes (activation checksum ${w.adrmChecksum}).`,
      figures: { ...figures, activationChecksum: w.adrmChecksum! },
      scheme: 'audible-aax',
      scope: 'partial',
      keyHint: {
        description:
          `The Audible account's 4 activation bytes (8 hex digits), kept where Audible's software was activated (on Windows, ` +
          `in the registry) or recoverable with the account; a candidate is checked against the file's activation checksum ${w.adrmChecksum}.`,
        kind: 'keystore',
        present: 'unknown',
      },
    });
  }
  return locked({
    ...AAXC,
    confidence: w.brand === 'aaxc' ? 0.95 : 0.9,
    code: 'AUDIBLE_AAXC',
    message:
      `Box structure with ${brand}an aavd sample entry (AAC whose samples are AES-CBC encrypted) and no adrm box: ` +
      'the key and IV are per title, delivered in a licence voucher rather than derived from the file.',
    figures,
    scheme: 'audible-aaxc',
    scope: 'partial',
    keyHint: {
      description:
        "The title's 16-byte key and IV from its Audible licence voucher (a .voucher JSON file beside the book, or the licence Audible's app keeps in its own storage).",
      kind: 'key-file',
      present: 'unknown',
    },
  });
}

export const isoBmffDetector = defineDetector({
  meta: {
    id: 'iso-bmff',
    version: '1.1.0',
    title:
      'ISO base media files: DASH/CMAF media segments and DRM-protected media (Common Encryption, FairPlay, Audible)',
    formats: [
      {
        id: SEGMENT,
        name: 'ISO BMFF media segment (DASH, CMAF or HLS fMP4)',
        status: 'analysable',
        how: 'structure',
        mime: 'video/iso.segment',
        extensions: ['m4s', 'cmfv', 'cmfa', 'mp4', 'm4v', 'm4a', 'exo', 'ts'],
      },
      {
        id: PROTECTED_MEDIA,
        name: 'ISO BMFF media protected by DRM (Common Encryption or FairPlay)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['mp4', 'm4v', 'm4a', 'm4p', 'm4s', 'mov', 'ismv', 'isma', 'cmfv', 'cmfa', 'exo'],
      },
      { ...AAX, status: 'encrypted', how: 'header-field', extensions: ['aax'] },
      { ...HEIF, status: 'analysable', how: 'header-field', extensions: ['heic', 'heif', 'hif'] },
      { ...AVIF, status: 'analysable', how: 'header-field', extensions: ['avif'] },
      { ...AAXC, status: 'encrypted', how: 'header-field', extensions: ['aaxc'] },
      { ...OMA_DCF, status: 'encrypted', how: 'header-field', extensions: ['odf', 'dcf', 'o4a', 'o4v'] },
      { ...OMA_DCF_CLEAR, status: 'analysable', how: 'header-field', extensions: ['odf', 'dcf', 'o4a', 'o4v'] },
    ],
  },
  signatures: FIRST.map((type) => ({ offset: 4, ascii: type })),
  // Above file-type (which names an ftyp file MP4 whatever its samples hold).
  priority: 40,
  detect(probe): Detection | undefined {
    const image = imageByCompatibleBrands(probe.head);
    if (image) return image;
    const w = walkFile(probe);
    if (!w) return undefined;
    const boxes = w.types.slice(0, 24).join(' ');
    if (w.protectedEntries.includes('aavd')) return audible(w, boxes);
    if (w.topLevel.includes('odrm')) {
      const oma = omaDcf(probe, w, boxes);
      if (oma) return oma;
    }
    if (w.protectedEntries.length > 0 || w.sampleEncryption) {
      const tracks = w.protectedEntries.map((t) => `${t}: ${PROTECTED[t]}`).join(', ');
      const fairPlay = w.protectedEntries.some((t) => t.startsWith('drm'));
      const scheme = w.scheme ?? (fairPlay ? 'fairplay' : 'cenc');
      const systems = w.systems.length > 0 ? w.systems.join(', ') : undefined;
      const what = tracks
        ? `protected sample entries (${tracks})`
        : w.piff
          ? "per-sample encryption data (PIFF's uuid sample encryption box) in a movie fragment"
          : 'per-sample encryption data (senc) in a movie fragment';
      return locked({
        id: PROTECTED_MEDIA,
        name: 'ISO BMFF media protected by DRM (Common Encryption or FairPlay)',
        confidence: 0.9,
        code: 'MP4_PROTECTED_SAMPLES',
        message:
          `Box structure with ${what}` +
          `${w.scheme ? `; protection scheme "${w.scheme}" (schm)` : ''}` +
          `${w.keyId ? `; default key id ${w.keyId} (tenc)` : ''}` +
          `${systems ? `; DRM systems ${systems} (pssh)` : ''}: the samples are encrypted, the boxes are not.`,
        figures: {
          boxes,
          ...(tracks ? { protectedEntries: w.protectedEntries.join(' ') } : {}),
          ...(w.scheme ? { scheme: w.scheme } : {}),
          ...(w.keyId ? { keyId: w.keyId } : {}),
          ...(systems ? { drmSystems: systems } : {}),
        },
        scheme: `mp4-${scheme}`,
        scope: 'partial',
        keyHint: {
          description:
            `The content key${w.keyId ? ` with key id ${w.keyId}` : ''}, which a DRM licence server` +
            `${systems ? ` (${systems})` : ''} delivers to the playing device's decryption module; it is not a password.`,
          kind: 'unknown',
          present: 'unknown',
        },
      });
    }
    if (w.types.includes('ftyp') || !w.types.includes('moof')) return undefined; // a plain file: file-type names it
    return plain('analysable', {
      id: SEGMENT,
      name: 'ISO BMFF media segment (DASH, CMAF or HLS fMP4)',
      mime: 'video/iso.segment',
      confidence: 0.85,
      code: 'MP4_MEDIA_SEGMENT',
      message:
        `Boxes ${w.topLevel.slice(0, 8).join(', ')}${w.topLevel.length > 8 ? ', …' : ''} with a movie fragment (moof) ` +
        'and no ftyp: a media segment of a DASH, CMAF or HLS stream; its samples are compressed media, read with the ' +
        "stream's initialisation segment.",
      figures: { boxes },
    });
  },
});
