/**
 * ICU data files: the Unicode and locale tables of the International Components for Unicode,
 * as Android's system partition (`icudt*.dat`), Chromium and every Electron app (`icudtl.dat`)
 * and apps with their own resource bundles (`*.res`) ship them. Neither file(1) nor file-type
 * names them, so they were opaque; ICU's tools (icupkg, derb) read them.
 * Every one starts with the same header: its size (a multiple of 16), the magic bytes 0xDA 0x27,
 * then a UDataInfo of at least 20 bytes saying the byte order, the character-set family, the
 * size of a UChar (2) and a four-letter data format ("CmnD" for a package of many items, "ResB"
 * for a resource bundle, "Nrm2", "BiDi", "UPro", ...). All are checked.
 * Reference: ICU4C `common/unicode/udata.h` (UDataInfo) and `common/ucmndata.h` (DataHeader),
 * and the ICU User Guide, "ICU Data".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

/** sizeof(UDataInfo) in ICU 1.8 and later. */
const INFO_SIZE = 20;

/** What the common data formats hold, for the reason. */
const KINDS: Record<string, string> = {
  CmnD: 'a package of many data items',
  ResB: 'a resource bundle',
  Nrm2: 'normalization data',
  BiDi: 'bidi properties',
  UPro: 'character properties',
  'Brk ': 'break-iteration rules',
  Dict: 'a break-iteration dictionary',
  CvAl: 'converter aliases',
  cnvt: 'a charset converter',
  UCol: 'collation data',
  SPRP: 'a StringPrep profile',
};

export const icuDataDetector = defineDetector({
  meta: {
    id: 'icu-data',
    version: '1.0.0',
    title: 'ICU data files (DataHeader and UDataInfo)',
    formats: [
      {
        id: 'icu-data',
        name: 'ICU data file',
        status: 'analysable',
        how: 'header-field',
        extensions: ['dat', 'res', 'icu', 'nrm', 'cnv', 'brk', 'dict', 'spp', 'cfu'],
      },
    ],
  },
  signatures: [{ offset: 2, hex: 'da27' }],
  minSize: 4 + INFO_SIZE,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < 4 + INFO_SIZE) return undefined;
    const bigEndian = h[8]!;
    if (bigEndian > 1) return undefined;
    const u16 = (at: number) => (bigEndian ? (h[at]! << 8) | h[at + 1]! : h[at]! | (h[at + 1]! << 8));
    const headerSize = u16(0);
    const infoSize = u16(4);
    const charsetFamily = h[9]!;
    const sizeofUChar = h[10]!;
    const dataFormat = ascii(h, 12, 16);
    if (headerSize % 16 !== 0 || headerSize < 4 + INFO_SIZE || headerSize > probe.size) return undefined;
    if (infoSize < INFO_SIZE || infoSize > headerSize - 4) return undefined;
    if (charsetFamily > 1 || sizeofUChar !== 2 || !/^[\x20-\x7e]{4}$/.test(dataFormat)) return undefined;
    const formatVersion = Array.from(h.subarray(16, 20)).join('.');
    const kind = KINDS[dataFormat];
    return plain('analysable', {
      id: 'icu-data',
      name: 'ICU data file',
      confidence: 0.9,
      code: 'ICU_DATA_HEADER',
      message: `ICU data header: ${headerSize}-byte header with the 0xDA27 magic and a UDataInfo (${bigEndian ? 'big' : 'little'}-endian, ${charsetFamily ? 'EBCDIC' : 'ASCII'} family, 2-byte UChar) of data format "${dataFormat}"${kind ? ` (${kind})` : ''}, format version ${formatVersion}: Unicode and locale tables ICU's tools (icupkg, derb) read.`,
      figures: { dataFormat, formatVersion, headerSize, bigEndian: bigEndian === 1 },
    });
  },
});
