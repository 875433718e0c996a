/**
 * What a libmagic answer means for evtriage: data, not code. The libmagic
 * detector (libmagic.ts) asks the standard magic database about files no
 * specific detector recognised; this table turns its description and MIME
 * type into a format and a status.
 *
 * - GENERIC answers ("data", application/octet-stream alone) recognise nothing.
 * - WEAK answers come from magic entries of one to four bytes that random
 *   bytes or records of small integers hit: measured by running libmagic on
 *   40,000 random buffers of 16 B-16 KiB (9 % gave some description) and on
 *   8,000 structured ones (6.5 %), with the committed script
 *   fixtures/libmagic/measure-chance-matches.cjs; the frequent ones are below.
 *   They are recorded as a candidate that never wins.
 * - RULES map descriptions of real formats to an id and a status. A rule says
 *   `encrypted` only when the words come from a header field that defines
 *   encryption (libmagic also prints "encrypted" for gzip's never-used flag
 *   bit, and for PGP packet types that random bytes match).
 * - Any other answer is a format libmagic knows and evtriage has no reader
 *   for: analysable (a readable format someone's tool opens), unless its words
 *   claim encryption, which no rule has verified (then opaque, said so).
 * Reference: file(1) / libmagic 5.x magic database (Magdir/), magic(5).
 */
import type { Status } from '@evtriage/core/contract';
import { trimEndOf } from '../text-ends.js';

export interface MagicRule {
  /** Matched against libmagic's description. */
  description: RegExp;
  format: { id: string; name: string; extensions?: readonly string[] };
  status: Status;
  /** Why the status follows from what libmagic read, for the reason message. */
  why: string;
  /** Compressed or encrypted payloads: uniformly random bytes are expected, not a sign of a chance match. */
  highEntropy?: boolean;
  /**
   * For a `highEntropy` rule: what the first bytes must hold for libmagic's answer to be this one (its
   * magic entry in Magdir, as a necessary condition). A head that no such rule's `leads` accepts can get
   * no answer from libmagic that outlives random bytes (libmagic-gate.ts); a rule without it is always asked.
   */
  leads?: (head: Uint8Array) => boolean;
  /** The magic is short: accept only after `verify` (see libmagic.ts) confirms the structure. */
  verify?: 'zlib' | 'lzma' | 'arc' | 'tiff' | 'rsrc' | 'matlab4' | 'srec' | 'tfm' | 'plan9';
  /** Smaller files are too short for the answer to mean anything (libmagic calls 16 random bytes "text"). */
  minSize?: number;
}

/** Answers that name no format. */
export function isGeneric(description: string, mime: string): boolean {
  const d = description.trim();
  if (d === '' || d === 'data' || d === 'empty' || /^very short file/.test(d)) return true;
  return mime === 'application/octet-stream' && /^data\b/.test(d);
}

/**
 * Descriptions random bytes produce (short magic), and libmagic's text
 * heuristics (the text detector decides what is text).
 */
export const WEAK_DESCRIPTIONS: readonly RegExp[] = [
  /^International EBCDIC text/,
  /^OpenPGP (Public|Secret) Key/,
  /^PGP (symmetric key encrypted data|Secret Sub-key|Secret Key|RSA encrypted session key|signature)/,
  /^GPG (symmetrically encrypted|encrypted data)/,
  /^(DOS executable \(COM\)|COM executable for DOS)/,
  /^MPEG(-4 LOAS| ADTS)/,
  /^(WonderSwan|Award BIOS|BIOS \(ia32\) ROM)/,
  /^old packed data|^packed data|^huf output|^Squeezed \(apple|^Quasijarus strong compressed/,
  /^Dyalog APL/,
  /^(MGR bitmap|CompuServe RLE|RLE image data|Targa image)/,
  /^Excel \d BIFF/,
  /^(VAX-order2? 68[kK] Blit|PDP-11 |SVR2 pure executable|Tower(32\/800|\/XP) |iAPX 286 executable|Encore |370 XA sysV)/,
  /^(basic-16 executable|WE32000 COFF|hp300 \(68020|Microsoft x\.out|Alpha compressed COFF|amd 29k coff|MIPSEB Ucode)/,
  /^(NetBSD kernel core file|shared library$|OS9\/68K module)/,
  /^(AIN|PPMN|Logitech Compress) archive data|^very old 16-bit-int|^amd 29k coff archive/,
  /^(ESP firmware image|GTA2 binary mission script|Clarion Developer|Solitaire Image Recorder|LX executable)/,
  /^(little|big) endian ispell/,
  /^Novell LANalyzer|^floppy image data \(IBM SaveDskF|^Sony PlayStation Audio|^PRCS packaged project/,
  /^fsav macro virus|^DRAGEN ORA/,
  // Measured on structured buffers (small integer records, zero padding), where short magic of
  // small numbers fires: fixtures/libmagic/measure-chance-matches.cjs (answers seen 2+ times in 8,000).
  /^(GTA audio index data|GTA1 style data|Adobe Photoshop Color swatch|Applesoft BASIC program data|MPEG sequence)/,
  /^(GL[FS]_BINARY_(MSB|LSB)_FIRST|BALANCE NS32000|dBase III DBT|Atari 68xxx CPX|BS image|DitPack archive data)/,
  /^(Atari DEGAS|dar archive|PDP-11 old overlay|hp200 \(68010\)|mumps avl global|Plan 9 executable|PGP encrypted data)/,
  /^\S+ Video: NTSC/,
  // Two- and three-letter magic at offset 0 (Magdir/msdos "LZ", Magdir/msc "msc") that damaged
  // files of other formats begin with: xz's bad-1-v1-magic-2.lz ("LZI-"), libmspack's
  // bad_signature.cab ("mscf" in lower case). A real chart is text, which the text detector reads.
  /^MS-DOS executable \(built-in\)|^Message Sequence Chart \((chart|subchart)\)/,
  // A record length repeated after the record: erased flash (0xFF bytes), raw pixels (giflib's x-trans.rgb) and
  // fuzzing inputs pass it; no extraction holds SIMH simulator tapes.
  /^SIMH tape data/,
  // A next-driver pointer of 0xFFFFFFFF and attribute bits: raw CMYK pixels (ImageMagick), a PDF predictor's output
  // (qpdf's test data) and erased flash pass it; DOS device drivers are not what extractions hold.
  /^DOS executable \((block|character) device driver/,
  // Small-integer tests with no magic string (sixteenth session, system and log data): Magdir/windows reads a
  // first word below 5 and 0x10000 at offset 8 as a BOOTSTAT.DAT, Magdir/measure four bytes below 2 or 4 and a
  // positive float at 9600 as a thermal camera frame. PostgreSQL's heap pages (a zero LSN word, page flags 1)
  // pass both: every cluster initdb makes holds them (global/1262, base/*/1259).
  /^Windows boot log|^DIY-Thermocam raw data/,
  // Two-byte native shorts of Magdir/hp and Magdir/alliant (0x0108, 0x0110): the bytes 08 01 and 10 01 that
  // protobuf messages start with when field 1 or 2 holds 1 (ONNX tensors' dims and data_type; eighteenth
  // session: 21 of the 327 tensors in onnx's test data were named so).
  /^HP s[2-8]00 |^042[01] Alliant /,
  // Two- and three-letter ASCII magic at 0 ("LG", "DST", "UHA", "UB", "UU", "HCA"/"HCB", "SAS", "GBL") that other
  // formats' magic words begin with: 15 of 10,000 stores with an uppercase magic before their ciphertext
  // (scripts/unknown-ciphertext-corpus.mjs); none of 80,000 files under /usr/share, the corpus and the fixtures.
  /^(Arhangel|Disintegrator|UHarc|HIT) archive data|^VISX image file|^LADS Caris|^SAS$|^GTA2 in-game text/,
  // A two-byte short at 0 (Magdir/terminfo, 0x011b / 0x1b01) that an ELF .eh_frame_hdr opens with (version 1,
  // pointer encoding 0x1b: gimli's test sections); nobody keeps SVr2 curses screen dumps.
  /^SVr\d curses screen image/,
];

export function isWeak(description: string): boolean {
  return WEAK_DESCRIPTIONS.some((re) => re.test(description));
}

/** The head holds these bytes at this offset. */
function at(offset: number, bytes: readonly number[]): (head: Uint8Array) => boolean {
  return (head) => head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

const analysable = (why: string) => ({ status: 'analysable' as const, why });

export const MAGIC_RULES: readonly MagicRule[] = [
  // Claims of encryption that come from a header field.
  {
    description: /^ARJ archive data.*password-protected/,
    format: { id: 'arj-encrypted', name: 'ARJ archive with garbled (password-protected) entries', extensions: ['arj'] },
    status: 'encrypted',
    why: 'the ARJ main header flags the archive as garbled (password-protected)',
    highEntropy: true,
    // Magdir/archive: 0 leshort 0xea60
    leads: at(0, [0x60, 0xea]),
  },
  {
    description: /^QEMU QCOW.*AES-encrypted/,
    format: { id: 'qcow-encrypted', name: 'QEMU QCOW image with AES encryption', extensions: ['qcow', 'qcow2'] },
    status: 'encrypted',
    why: 'the QCOW header field crypt_method says AES',
    highEntropy: true,
    // Magdir/virtual: 0 string QFI\xFB
    leads: at(0, [0x51, 0x46, 0x49, 0xfb]),
  },
  {
    description: /^CDFV2 Encrypted/,
    format: {
      id: 'ole2-encrypted',
      name: 'Compound document holding an encrypted package',
      extensions: ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'],
    },
    status: 'encrypted',
    why: 'the compound file holds an EncryptionInfo stream',
    highEntropy: true,
    // libmagic's CDF reader (readcdf.c) runs only on the compound file header signature.
    leads: at(0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  },
  {
    description: /^LUKS encrypted file/,
    format: { id: 'luks', name: 'LUKS encrypted volume' },
    status: 'encrypted',
    why: 'the LUKS header names a cipher and key slots',
    highEntropy: true,
    // Magdir/filesystems: 0 string LUKS\xba\xbe
    leads: at(0, [0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]),
  },
  // "encrypted" that is not: gzip's FLG bit 5 ("encrypted") was reserved and is never set by gzip.
  // A compression method other than 8 (deflate) is reserved (RFC 1952 §2.3.1): libmagic says "reserved
  // method" and no gzip reads it; random bytes opening with 1F 8B are that (1 file in 65,536).
  {
    description: /^gzip compressed data(?!, (?:reserved|unknown) method)/,
    format: { id: 'gzip', name: 'gzip compressed data', extensions: ['gz', 'tgz'] },
    ...analysable('a gzip member header (its "encrypted" flag is a reserved bit no gzip writes)'),
    highEntropy: true,
    // Magdir/compress: 0 string \037\213, then the method byte (8: deflate)
    leads: at(0, [0x1f, 0x8b, 0x08]),
  },
  // Readable formats evtriage has no specific detector for.
  {
    description: /^pcapng capture file/,
    format: { id: 'pcapng', name: 'pcapng packet capture', extensions: ['pcapng', 'ntar'] },
    ...analysable('a pcapng section header block (Wireshark, tcpdump read it)'),
  },
  {
    description: /^(pcap|tcpdump|extended tcpdump) capture file/,
    format: { id: 'pcap', name: 'pcap packet capture', extensions: ['pcap', 'cap', 'dmp'] },
    ...analysable('a libpcap file header (Wireshark, tcpdump read it)'),
  },
  {
    description: /^(TrueType|OpenType) [Ff]ont data|^Web Open Font Format/,
    format: { id: 'font', name: 'TrueType/OpenType font', extensions: ['ttf', 'otf', 'ttc', 'woff', 'woff2'] },
    ...analysable('an sfnt table directory'),
  },
  {
    description: /^Windows Enhanced Metafile/,
    format: { id: 'emf', name: 'Windows Enhanced Metafile', extensions: ['emf', 'emz'] },
    ...analysable('an EMF header record'),
  },
  {
    description: /^Windows metafile/,
    format: { id: 'wmf', name: 'Windows Metafile', extensions: ['wmf'] },
    ...analysable('a placeable WMF header'),
  },
  {
    description: /^timezone data/,
    format: { id: 'tzif', name: 'Time zone information (TZif)', extensions: ['tzif'] },
    ...analysable('a TZif header'),
  },
  {
    description: /^Transport Neutral Encapsulation Format/,
    format: { id: 'tnef', name: 'TNEF (winmail.dat)', extensions: ['tnef', 'dat'] },
    ...analysable('a TNEF signature and header'),
  },
  {
    description: /^BitTorrent file/,
    format: { id: 'torrent', name: 'BitTorrent metainfo', extensions: ['torrent'] },
    ...analysable('a bencoded metainfo dictionary'),
  },
  {
    description: /^Apple(Double|Single) encoded/,
    format: { id: 'appledouble', name: 'AppleDouble/AppleSingle resource data', extensions: [] },
    ...analysable('an AppleDouble/AppleSingle header'),
  },
  {
    description: /^Berkeley DB/,
    format: { id: 'berkeley-db', name: 'Berkeley DB database', extensions: ['db'] },
    ...analysable('a Berkeley DB metadata page'),
  },
  {
    description: /^ARC archive data/,
    format: { id: 'arc', name: 'ARC archive', extensions: ['arc', 'ark'] },
    ...analysable('an ARC member header'),
    highEntropy: true,
    // The marker and a method byte are two bytes: the member's name and size must hold too.
    verify: 'arc',
    // Magdir/archive: every ARC entry tests 0 lelong&0x8080ffff against 0x0000..1a (the 0x1a marker first).
    leads: at(0, [0x1a]),
  },
  {
    description: /^rzip compressed data/,
    format: { id: 'rzip', name: 'rzip compressed data', extensions: ['rz'] },
    ...analysable('an rzip header ("RZIP", version, original size)'),
    highEntropy: true,
    // Magdir/compress: 0 string RZIP
    leads: at(0, [0x52, 0x5a, 0x49, 0x50]),
  },
  {
    // CPython byte code (__pycache__/*.pyc in every Python install and app bundle): its 4-byte version magic,
    // then a marshalled code object whose bytes literals are stored raw, so a bzip2 or xz blob in a module is
    // part of this format, not a stream behind an unknown header (dis, decompyle3, pycdc read it).
    description: /^Byte-compiled Python module/,
    format: { id: 'bytecode.python', name: 'Python byte code (CPython)', extensions: ['pyc', 'pyo'] },
    ...analysable('a CPython byte-code header (version magic, flags, then the source time and size or hash)'),
  },
  {
    // bsdiff binary patches (software updaters, package deltas, Android OTA's older form): "BSDIFF40", the
    // control and diff block lengths and the new file's size, then three bzip2 streams from offset 32. The
    // streams are the patch's own blocks, not data behind an unknown header (bspatch applies it).
    description: /^bsdiff\(1\) patch file/,
    format: { id: 'bsdiff', name: 'bsdiff binary patch', extensions: ['bsdiff', 'patch', 'diff'] },
    ...analysable('a bsdiff header ("BSDIFF40", the control, diff and new-file lengths)'),
    highEntropy: true,
    // the magic entry: 0 string BSDIFF40 (strength 110)
    leads: at(
      0,
      [...'BSDIFF40'].map((c) => c.charCodeAt(0)),
    ),
  },
  {
    // Android's bytecode: classes.dex in every APK, .odex/.vdex beside system apps (dexdump, jadx read it).
    description: /^Dalvik dex file/,
    format: { id: 'dex', name: 'Dalvik executable (DEX)', extensions: ['dex', 'odex'] },
    ...analysable('a DEX header ("dex\\n" or "dey\\n" and a version)'),
  },
  {
    // Blocks of zlib-compressed protobuf after a short header: the body of a small file reads as random.
    description: /^OpenStreetMap Protocolbuffer Binary Format/,
    format: { id: 'osm-pbf', name: 'OpenStreetMap PBF map data', extensions: ['pbf'] },
    ...analysable('an OSMHeader blob header (OpenStreetMap PBF)'),
    highEntropy: true,
    // Magdir/osm: >4 beshort 0x0A09, >>6 string OSMHeader (after a big-endian blob header length).
    leads: at(
      6,
      [...'OSMHeader'].map((c) => c.charCodeAt(0)),
    ),
  },
  {
    // Apple Core Audio Format: iMessage voice messages (AAC or Opus), iOS recordings and ringtones. Its
    // compressed packets make a short file's body read as random, which the header outweighs.
    description: /^CoreAudio Format audio file/,
    format: { id: 'caf', name: 'Apple Core Audio Format audio (CAF)', extensions: ['caf'] },
    ...analysable('a CAF file header ("caff", version 1)'),
    highEntropy: true,
    // Magdir/audio: 0 string caff, >4 beshort version (1, the only one Apple defines).
    leads: at(0, [0x63, 0x61, 0x66, 0x66, 0x00, 0x01]),
  },
  {
    // DjVu (cjb2, c44, djvm; scanned books and documents): its JB2 and IW44 chunks are compressed, so a small
    // page's body reads as random, which the 12-byte IFF header outweighs.
    description: /^DjVu (?:image or single page document|multiple page document|shared document|page thumbnails)/,
    format: { id: 'djvu', name: 'DjVu document', extensions: ['djvu', 'djv'] },
    ...analysable('a DjVu IFF header ("AT&TFORM", then DJVU, DJVM, DJVI or THUM)'),
    highEntropy: true,
    // Magdir/images: 0 string AT&TFORM, >12 string DJVM / DJVU / DJVI / THUM.
    leads: at(0, [0x41, 0x54, 0x26, 0x54, 0x46, 0x4f, 0x52, 0x4d]),
  },
  {
    description: /^FIT (Map )?data/,
    format: { id: 'fit', name: 'Garmin FIT activity data', extensions: ['fit'] },
    ...analysable('a FIT file header'),
  },
  {
    description: /^LZMA compressed data/,
    format: { id: 'lzma', name: 'LZMA-alone stream', extensions: ['lzma', 'tlz'] },
    ...analysable('an LZMA-alone stream whose first KiB decodes'),
    highEntropy: true,
    // Magdir/compress: 0 lelong&0xffffff =0x5d (properties byte 0x5d, then two zero bytes of the dictionary size).
    leads: at(0, [0x5d, 0x00, 0x00]),
    verify: 'lzma',
  },
  {
    description: /^TIFF image data/,
    format: { id: 'tiff', name: 'TIFF image', extensions: ['tif', 'tiff'] },
    ...analysable('a TIFF header pointing to its first IFD inside the file'),
    // Strips may be compressed (LZMA, ZSTD, WebP, JPEG), so uniform bytes after the header are no sign of chance.
    highEntropy: true,
    leads: (h) => at(0, [0x49, 0x49, 0x2a, 0x00])(h) || at(0, [0x4d, 0x4d, 0x00, 0x2a])(h),
    verify: 'tiff',
  },
  {
    description: /^zlib compressed data/,
    format: { id: 'zlib', name: 'zlib stream', extensions: ['zlib', 'zz'] },
    ...analysable('a zlib stream whose first KiB inflates'),
    highEntropy: true,
    // Magdir/compress: 0 beshort%31 =0, >0 byte&0xf =8, >>0 byte&0x80 =0 (RFC 1950's CMF and FCHECK).
    leads: (h) => h.length >= 2 && (h[0]! & 0x8f) === 0x08 && ((h[0]! << 8) | h[1]!) % 31 === 0,
    verify: 'zlib',
  },
  // Text that carries binary data (eighteenth session).
  {
    // Magdir/motorola reads "S0" and a digit-like byte as an S-record file: UTF-16LE Japanese starting with こ
    // (U+3053, bytes 53 30) and binary records starting "S0" pass it. The records' lengths and checksums must hold.
    description: /^Motorola S-Record/,
    format: {
      id: 'motorola-s-record',
      name: 'Motorola S-record file (binary data as hex text)',
      extensions: ['srec', 's19', 's28', 's37', 'mot', 'hex'],
    },
    ...analysable('S-record lines whose byte counts and checksums hold (objcopy, srec_cat and flash tools read them)'),
    verify: 'srec',
  },
  // Design and model files (sixteenth session's sweep of 3D, CAD, font and design files).
  {
    // Magdir/apple's resource fork rule is four bytes (00 00 01 00) and two range tests: a glTF vertex buffer of
    // small integers (assimp's test glTF2/cameras/simpleSquare.bin) passes it with a map 32 MiB past its 60 bytes.
    description: /^Apple HFS\/HFS\+ resource fork/,
    format: { id: 'apple-rsr', name: 'Macintosh resource fork', extensions: ['rsrc', 'rsr'] },
    ...analysable('a resource fork header whose data and map lie inside the file (DeRez, deark, ResForge read it)'),
    verify: 'rsrc',
  },
  {
    // Magdir/mathematica's MATLAB v4 rule is a type word of zero (four zero bytes) and a name: any binary that starts
    // with zeros passes (an SQL Anywhere superblock was "rows 589824, columns 1511506142"); the matrix header must hold.
    description: /^Matlab v4 mat-file/,
    format: { id: 'matlab-data', name: 'MATLAB v4 MAT-file', extensions: ['mat'] },
    ...analysable('a MATLAB v4 matrix header (Octave, SciPy and MATLAB read it)'),
    verify: 'matlab4',
  },
  {
    // Magdir/tex reads a TeX font metric file from two bytes at offset 2 (a header length of 17 or 18 words):
    // OpenSC's fuzzing inputs (card APDU records, "05 01 00 11") passed it. The twelve length words must add up.
    description: /^TeX font metric data/,
    format: { id: 'tex-tfm', name: 'TeX font metric data', extensions: ['tfm'] },
    ...analysable('a TeX font metric file whose twelve table lengths add up to its size (TeX, tftopl read it)'),
    verify: 'tfm',
  },
  {
    // Magdir/plan9 reads a 4-byte magic of small integers, which records of small numbers match (a weak
    // answer without this row); Go's debug/plan9obj test executables are real ones. The header's segment
    // sizes must add up to the file's size (plan9-aout.ts).
    description: /^Plan 9 executable/,
    format: { id: 'plan9-executable', name: 'Plan 9 executable (a.out)' },
    ...analysable(
      'a Plan 9 a.out executable whose header sizes add up to the file (Plan 9 tools, Go debug/plan9obj read it)',
    ),
    verify: 'plan9',
  },
  // A partition in Android's sparse form: raw chunks hold the partition's own bytes, random when it is encrypted
  // or compressed (the android-sparse-volume parser reads the partition's start and names what it holds).
  {
    description: /^Android sparse image/,
    format: { id: 'android-sparse-image', name: 'Android sparse image', extensions: ['img', 'simg'] },
    ...analysable(
      'a sparse image header (libsparse): the chunks expand to a partition that img2simg, simg2img and fastboot read',
    ),
    highEntropy: true,
    // Magdir/android: 0 lelong 0xed26ff3a
    leads: at(0, [0x3a, 0xff, 0x26, 0xed]),
  },
  // File systems of Linux machines and Android partitions (system, vendor, userdata) that no detector here reads;
  // btrfs's superblock is at 64 KiB, past the probe: deep-signatures asks libmagic about the first 96 KiB.
  {
    description: /^BTRFS Filesystem/,
    format: { id: 'btrfs', name: 'btrfs file system', extensions: ['img'] },
    ...analysable('a btrfs superblock'),
  },
  {
    description: /^SGI XFS filesystem/,
    format: { id: 'xfs', name: 'XFS file system', extensions: ['img'] },
    ...analysable('an XFS superblock'),
  },
  {
    description: /^F2FS filesystem/,
    format: { id: 'f2fs', name: 'F2FS file system', extensions: ['img'] },
    ...analysable('an F2FS superblock'),
  },
  {
    description: /^EROFS filesystem/,
    format: { id: 'erofs', name: 'EROFS file system', extensions: ['img'] },
    ...analysable('an EROFS superblock'),
  },
  {
    description: /^Squashfs filesystem/,
    format: { id: 'squashfs', name: 'SquashFS file system', extensions: ['sqsh', 'squashfs', 'sfs', 'img'] },
    ...analysable('a SquashFS superblock'),
  },
  // Scientific, statistical and GIS data libmagic names (sixteenth session): stable ids in place of ids made
  // from MIME types and first words ("x.nifti", "sas-7+-data-file"); readable by their field's tools.
  {
    description: /^NIfTI-[12] neuroimaging data/,
    format: { id: 'nifti', name: 'NIfTI neuroimaging image', extensions: ['nii', 'hdr'] },
    ...analysable('a NIfTI header (sizeof_hdr and the "n+1"/"ni1" magic), read by nibabel, FSL and SPM'),
  },
  {
    description: /^Stata Data File/,
    format: { id: 'stata-dta', name: 'Stata data file', extensions: ['dta'] },
    ...analysable('a Stata .dta header with its release, read by Stata, ReadStat, pandas and R'),
  },
  {
    description: /^SAS 7\+ data file/,
    format: { id: 'sas7bdat', name: 'SAS 7+ data set', extensions: ['sas7bdat', 'sas7bcat'] },
    ...analysable('the SAS 7+ data set magic, read by ReadStat, pandas and R'),
  },
  {
    description: /^Gridded binary \(GRIB\)/,
    format: { id: 'grib', name: 'GRIB meteorological data', extensions: ['grb', 'grb2', 'grib', 'grib2'] },
    ...analysable('a GRIB indicator section with its edition, read by ecCodes, wgrib and GDAL'),
    // Data sections may be JPEG 2000, PNG or CCSDS-compressed: uniform bytes after the header are expected.
    highEntropy: true,
    // Magdir/meteorological: 0 string GRIB
    leads: at(0, [0x47, 0x52, 0x49, 0x42]),
  },
  {
    description: /^Hierarchical Data Format \(version 4\)/,
    format: { id: 'hdf4', name: 'HDF4 file', extensions: ['hdf', 'hdf4', 'h4'] },
    ...analysable('the HDF4 magic, read by the HDF4 library and GDAL'),
    // Data sets may be deflate-, szip- or JPEG-compressed.
    highEntropy: true,
    // Magdir/images: 0 ubelong 0x0e031301
    leads: at(0, [0x0e, 0x03, 0x13, 0x01]),
  },
  {
    description: /^National Imagery Transmission Format/,
    format: { id: 'nitf', name: 'NITF image', extensions: ['ntf', 'nitf'] },
    ...analysable('a NITF file header with its date, read by GDAL'),
  },
  {
    description: /^Surfer 6 binary grid file/,
    format: { id: 'surfer-grid-6', name: 'Surfer 6 binary grid', extensions: ['grd'] },
    ...analysable('a Surfer 6 grid header with its size and extent, read by Surfer and GDAL'),
  },
  {
    description: /^FlatGeobuf/,
    format: { id: 'flatgeobuf', name: 'FlatGeobuf vector data', extensions: ['fgb'] },
    ...analysable('the FlatGeobuf magic, read by GDAL and QGIS'),
  },
  {
    description: /^LIDAR point data records/,
    format: { id: 'las', name: 'LAS lidar point cloud', extensions: ['las', 'laz'] },
    ...analysable('the LASF public header, read by PDAL, LAStools and GDAL'),
    // LAZ's points are arithmetic-coded behind the same header: uniform bytes are expected.
    highEntropy: true,
    // Magdir/geo: 0 string LASF
    leads: at(0, [0x4c, 0x41, 0x53, 0x46]),
  },
  // Text in 8-bit code pages the text detector (UTF-8/UTF-16 only) does not read; random bytes are set apart by libmagic.ts.
  {
    description: /^(CSV )?(ISO-8859|Non-ISO extended-ASCII|UTF-8 Unicode|Unicode|ASCII) text/,
    format: { id: 'text', name: 'Text (8-bit code page)', extensions: ['txt', 'log', 'csv', 'ini', 'cfg', 'conf'] },
    ...analysable('text in an 8-bit code page, no control characters'),
    minSize: 32,
  },
  // Niche operating-system records: structure recognised, but only a specialist parser reads them.
  {
    description: /^Windows Recycle Bin INFO2/,
    format: { id: 'windows-recycle-bin-info2', name: 'Windows Recycle Bin INFO2 records', extensions: [] },
    status: 'opaque',
    why: 'a Recycle Bin INFO2 record file, read only by forensic tools',
  },
  {
    description: /^MS Windows.*[Pp]refetch/,
    format: { id: 'windows-prefetch', name: 'Windows prefetch file', extensions: ['pf'] },
    status: 'opaque',
    why: 'a Windows prefetch file, read only by forensic tools',
  },
  // Antivirus quarantine (nineteenth session): the quarantined file XORed with a published key; the
  // av-quarantine detector names it first, this keeps libmagic's answer from calling it readable.
  {
    description: /^Avira AntiVir quarantined/,
    format: { id: 'avira-quarantine', name: 'Avira quarantine file (.qua, XOR 0xAA)', extensions: ['qua'] },
    status: 'opaque',
    why: 'an Avira quarantine file: the quarantined file XORed with 0xAA, restored only by a quarantine tool',
  },
  {
    description: /^AVG 7 Antivirus vault file/,
    format: { id: 'avg-vault-quarantine', name: 'AVG 7 virus vault file', extensions: [] },
    status: 'opaque',
    why: 'an AVG 7 virus vault file ("AVG7_ANTIVIRUS_VAULT_FILE"): a quarantined item, restored only by AVG\'s tools',
  },
  // Caches and settings databases a Linux system's own libraries compile (sixteenth session, system and log
  // data): only the library that wrote each reads it (apt-pkg, GLib/dconf, fontconfig), no general reader.
  {
    description: /^APT cache data/,
    format: { id: 'apt-cache', name: 'APT package cache (pkgcache.bin)', extensions: ['bin'] },
    status: 'opaque',
    why: "apt's binary package cache, read only by apt-pkg (apt-cache dump)",
  },
  {
    description: /^GVariant Database file/,
    format: { id: 'gvdb', name: 'GVariant database (dconf, GResource)', extensions: ['gresource'] },
    status: 'opaque',
    why: "a GLib GVariant database (a dconf settings database or compiled GResource bundle), read only by GLib's tools (dconf dump, gresource)",
  },
  {
    description: /^glibc locale file/,
    format: { id: 'glibc-locale', name: 'Compiled glibc locale category', extensions: [] },
    status: 'opaque',
    why: "a locale category compiled by localedef (LC_CTYPE, LC_TIME...), read only by glibc's setlocale",
  },
  {
    description: /^gconv module configuration cache/,
    format: { id: 'gconv-cache', name: 'glibc gconv module cache', extensions: ['cache'] },
    status: 'opaque',
    why: "glibc's iconv module cache written by iconvconfig, read only by glibc",
  },
  {
    description: /^magic binary file for file\(1\)/,
    format: { id: 'libmagic-database', name: 'Compiled libmagic database (magic.mgc)', extensions: ['mgc'] },
    status: 'opaque',
    why: "file(1)'s compiled magic database, read only by libmagic",
  },
  {
    description: /^fontconfig cache file/,
    format: { id: 'fontconfig-cache', name: 'fontconfig cache', extensions: ['cache-7', 'cache-8', 'cache-9'] },
    status: 'opaque',
    why: 'a fontconfig font cache, read only by fontconfig',
  },
  // Compilers' and engines' private caches (seventeenth session, build artifacts): the build-artifacts detector
  // names the ones whose fields it checks; the variants it declines (a cut header, an older layout) are still
  // serialized compiler state that only the build which wrote it loads, not a readable format.
  {
    description: /^v8 bytecode/i,
    format: { id: 'v8-code-cache', name: 'V8 code cache', extensions: ['code'] },
    status: 'opaque',
    why: 'a V8 code cache (compiled JavaScript), read only by the V8 build that wrote it',
  },
  {
    description: /^Rust incremental compilation metadata/,
    format: { id: 'rust-incremental-cache', name: 'rustc incremental compilation cache', extensions: ['bin'] },
    status: 'opaque',
    why: 'a rustc incremental-compilation cache, read only by the rustc build that wrote it',
  },
  {
    description: /^GCC precompiled header/,
    format: { id: 'gcc-pch', name: 'GCC precompiled header', extensions: ['gch'] },
    status: 'opaque',
    why: "a GCC precompiled header: a memory image of the compiler's state, loaded only by the GCC build that wrote it",
  },
  // Runtimes' private code files (nineteenth session, code and bytecode): each read only by the runtime that
  // wrote it, where a DEX or a .pyc has general disassemblers (dexdump, dis). script-bytecode names Hermes files
  // whose length field agrees; these rules cover the rest.
  {
    description: /^Android vdex file/,
    format: { id: 'android-vdex', name: 'Android ART vdex file', extensions: ['vdex'] },
    status: 'opaque',
    why: "ART's verifier dependencies (and, before Android 10, quickened DEX) beside an app's odex, read only by ART and oatdump",
  },
  {
    description: /^Android ART profile/,
    format: { id: 'android-art-profile', name: 'Android ART profile', extensions: ['prof', 'profm'] },
    status: 'opaque',
    why: "an ART profile of hot methods and classes (primary.prof, baseline.prof), read only by ART's profman",
  },
  {
    description: /^Hermes JavaScript bytecode/,
    format: { id: 'hermes-bytecode', name: 'Hermes JavaScript bytecode', extensions: ['bundle', 'jsbundle', 'hbc'] },
    status: 'opaque',
    why: "React Native's compiled bundle, read only by the Hermes release of its bytecode version",
  },
  // Model files (eighteenth session): the ml-models detector reads GGUF headers; one it declines (a cut or
  // damaged key table) keeps the same name through libmagic's answer, whose words would make an id of the version.
  {
    description: /^GGUF file format version \d/,
    format: { id: 'gguf', name: 'GGUF model (llama.cpp / ggml)', extensions: ['gguf'] },
    status: 'analysable',
    why: 'a GGUF model, which the gguf package and llama.cpp read',
  },
  {
    description: /^LLVM Pre-compiled header/,
    format: { id: 'clang-ast-file', name: 'Clang precompiled header or module (AST file)', extensions: ['pch', 'pcm'] },
    status: 'opaque',
    why: 'a Clang AST file (precompiled header or module), loaded only by the clang build that wrote it',
  },
];

export function ruleFor(description: string): MagicRule | undefined {
  return MAGIC_RULES.find((r) => r.description.test(description));
}

/** Words in a description that claim encryption; no rule above has checked them. */
export const CLAIMS_ENCRYPTION = /encrypt|password[- ]protected|with password|cipher|protected/i;

/**
 * Words of the magic database that deny encryption or mean something else ("unencrypted", a write-protected floppy,
 * the PKCS#1 algorithm names a certificate's entry prints: "sha1WithRSAEncryption", "? Encryption (2a864886...)").
 */
const NOT_CLAIMS =
  /\b(un|not[- ]|non-?)encrypted\b|\bwithout password\b|\b(write|copy)[- ]protected\b|\(protected prgm\)|\b[a-z0-9]*with(rsa|dsa|ecdsa)?encryption\b|\brsaencryption\b|\? encryption \([0-9a-f]+\)/gi;

/**
 * Whether the magic entry's own words claim encryption. Quoted strings and the values of `Label: value`
 * fields are text libmagic copied from the file (a catalogue's "Project-Id-Version: Encrypted Filesystem",
 * a document's title): they say what the file is about, not how it is stored. A label itself still counts
 * ("Encryption: aes256-cbc"). Denials and other senses of the words do not count either ("BBeB ebook data,
 * unencrypted", "Not-Encrypted", "without password", a write-protected disk, a password dictionary's index).
 */
export function claimsEncryption(description: string): boolean {
  const ownWords = description
    .replace(/'[^']*'|"[^"]*"/g, ' ')
    .replace(/([A-Za-z][\w-]*): [^,]*/g, '$1:')
    .replace(NOT_CLAIMS, ' ');
  return CLAIMS_ENCRYPTION.test(ownWords);
}

/**
 * The format inside an ID3 tag, as libmagic describes a tagged file ("Audio file with ID3 version 2.3.0,
 * contains:\\012- True Audio Lossless Audio"): the tag is a wrapper that MP3, TTA, AAC and FLAC files carry, so
 * the format is what follows it. The description itself when it is not that wrapper or names nothing inside
 * ("data").
 */
export function contentOfTag(description: string): string {
  const inner = /^Audio file with ID3 version [0-9.]+, contains:(?:\\012|\n)?[- ]*(.+)$/s
    .exec(description)?.[1]
    ?.trim();
  return inner && inner !== 'data' ? inner : description;
}

/**
 * Where a description's name ends and the file's own fields begin, when libmagic prints them without a comma:
 * a count or length with its label ("length 78", "records 12"), or a number of five digits or more with the word
 * before it ("ESRI Shapefile version 587202560 length 78 type Null Shape": an index file's header read as a
 * shapefile's). A version or model number that names the format ("PC Screen Font v1", "trust database version 3")
 * stays.
 */
const PER_FILE_FIELDS =
  /\s+(?:(?:length|size|records?|entries|bytes|count)\s+\d|(?:[A-Za-z]+\s+)?(?:\d{5,}|0x[0-9a-f]{5,})\b)/i;

/** A stable format id for a description no rule maps: from a specific MIME type, else the description's first words. */
export function formatIdFor(description: string, mime: string): string {
  const sub = /^[a-z]+\/(.+)$/.exec(mime)?.[1];
  const words = description.split(/[,(;]/)[0] ?? '';
  const fields = PER_FILE_FIELDS.exec(words);
  const source =
    sub && mime !== 'application/octet-stream' && !mime.startsWith('text/')
      ? sub.replace(/^(x-|vnd\.)/, '')
      : fields && fields.index > 0
        ? words.slice(0, fields.index)
        : words;
  const id = trimEndOf(
    source
      .toLowerCase()
      .replace(/[^a-z0-9.+]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40),
    '-',
  );
  return /^[a-z0-9]/.test(id) ? id : 'libmagic-recognised';
}
