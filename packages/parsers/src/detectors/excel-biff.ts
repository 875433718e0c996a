/**
 * Excel worksheets saved as a bare BIFF record stream, outside a compound file:
 * Excel 2.x, 3.0 and 4.0 (BIFF2–BIFF4) always wrote them so, and some tools
 * still write BIFF5/8 streams that way. libmagic knows only part of them
 * (Excel 3.0's were "data"). A file is read as one when its first record is a
 * BOF of a known version with the size and sheet type that version defines,
 * and the records after it chain (identifier, length within the BIFF limit)
 * through the bytes read, to an EOF record when the whole file was read.
 * Reference: OpenOffice.org's "Microsoft Excel File Format" (D. Rentz), §5.8
 * (BOF), §2.1 (record layout); [MS-XLS] 2.4.21 (BOF for BIFF8).
 * A worksheet saved with a password has a FILEPASS record (0x002F, §5.43)
 * after the BOF and the bodies of the records after it obfuscated (XOR with an
 * array made from the password; RC4 in BIFF8), the headers staying clear: the
 * chain still walks, and the file is encrypted, as ole2-encryption says of
 * the same record inside a compound file.
 * Fixtures written from that layout (fixtures/excel-biff/generate.py): no
 * program on Debian writes BIFF2–4.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u16le } from './util.js';

/** BOF record identifier → version and the body sizes that version writes. */
const BOF: Record<number, { version: string; sizes: number[] }> = {
  0x0009: { version: 'BIFF2 (Excel 2.x)', sizes: [4] },
  0x0209: { version: 'BIFF3 (Excel 3.0)', sizes: [6] },
  0x0409: { version: 'BIFF4 (Excel 4.0)', sizes: [6] },
  0x0809: { version: 'BIFF5/BIFF8 (Excel 5.0 and later)', sizes: [8, 16] },
};

/** Sheet types of the BOF record. */
const SHEET_TYPES: Record<number, string> = {
  0x0005: 'workbook globals',
  0x0006: 'Visual Basic module',
  0x0010: 'worksheet',
  0x0020: 'chart',
  0x0040: 'macro sheet',
  0x0100: 'workbook (BIFF4W)',
};

/** BIFF8's largest record body; earlier versions stay under 2,080 bytes. */
const MAX_RECORD = 8224;
const EOF_RECORD = 0x000a;
const FILEPASS_RECORD = 0x002f;
/** Records that must chain after the BOF when the file does not end sooner. */
const MIN_RECORDS = 4;

/**
 * The FILEPASS record's scheme: BIFF2-BIFF7 know only XOR obfuscation (key and verifier); BIFF8 (BOF
 * version 0x0600) starts with the type, 0 XOR, 1 RC4 with major version 1 plain RC4, else CryptoAPI.
 */
function filepassScheme(h: Uint8Array, at: number): string {
  if (u16le(h, 0) !== 0x0809 || u16le(h, 4) !== 0x0600 || u16le(h, at + 4) !== 1) return 'office-xor-obfuscation';
  return u16le(h, at + 6) === 1 ? 'office-rc4' : 'office-rc4-cryptoapi';
}

export const excelBiffDetector = defineDetector({
  meta: {
    id: 'excel-biff',
    version: '1.1.0',
    title: 'Excel BIFF record streams outside a compound file (Excel 2.x–4.0 worksheets)',
    formats: [
      {
        id: 'excel-biff',
        name: 'Excel worksheet, bare BIFF record stream',
        status: 'analysable',
        how: 'structure',
        mime: 'application/vnd.ms-excel',
        extensions: ['xls', 'xlw', 'xlc', 'xlm', 'xlt'],
      },
      {
        id: 'excel-biff-encrypted',
        name: 'Excel worksheet, bare BIFF record stream, password-protected',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/vnd.ms-excel',
        extensions: ['xls', 'xlw', 'xlt'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '0900' },
    { offset: 0, hex: '0902' },
    { offset: 0, hex: '0904' },
    { offset: 0, hex: '0908' },
  ],
  minSize: 8,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const bof = BOF[u16le(h, 0) ?? -1];
    const size = u16le(h, 2) ?? -1;
    const sheet = SHEET_TYPES[u16le(h, 6) ?? -1];
    if (!bof || !bof.sizes.includes(size) || !sheet) return undefined;
    // Walk the records after the BOF through the head.
    let at = 4 + size;
    let records = 1;
    let ended = false;
    let filepassAt = -1;
    while (at + 4 <= h.length) {
      const id = u16le(h, at)!;
      const length = u16le(h, at + 2)!;
      // Identifier 0 is only BIFF2's 8-byte DIMENSIONS; zero padding is not a record.
      if (length > MAX_RECORD || (id === 0 && length !== 8) || id >= 0x1000) return undefined;
      if (id === FILEPASS_RECORD && filepassAt < 0) filepassAt = at;
      records++;
      at += 4 + length;
      if (id === EOF_RECORD && length === 0) {
        ended = true;
        break;
      }
    }
    // A whole file read must end with EOF (padding after it is tolerated); a longer one must chain far enough.
    if (probe.complete ? !ended : records < MIN_RECORDS) return undefined;
    if (filepassAt >= 0) {
      const scheme = filepassScheme(h, filepassAt);
      return locked({
        id: 'excel-biff-encrypted',
        name: 'Excel worksheet, bare BIFF record stream, password-protected',
        mime: 'application/vnd.ms-excel',
        confidence: 0.9,
        code: 'EXCEL_BIFF_FILEPASS',
        message: `A ${bof.version} BOF record (${sheet}), then ${records - 1} records that chain${ended ? ' to an EOF record' : ' through the bytes read'}, with a FILEPASS record at offset ${filepassAt}: the record bodies after it are ${scheme === 'office-xor-obfuscation' ? 'XOR-obfuscated' : 'RC4-encrypted'} with the password.`,
        figures: { bofRecord: u16le(h, 0)!, sheetType: u16le(h, 6)!, records, filepassOffset: filepassAt },
        scheme,
        keyHint: passwordHint('The workbook password Excel asks for on opening ("Password to open").'),
      });
    }
    return plain('analysable', {
      id: 'excel-biff',
      name: 'Excel worksheet, bare BIFF record stream',
      mime: 'application/vnd.ms-excel',
      confidence: 0.85,
      code: 'EXCEL_BIFF_RECORDS',
      message: `A ${bof.version} BOF record (${size}-byte body, ${sheet}) at offset 0, then ${records - 1} records that chain${ended ? ' to an EOF record' : ' through the bytes read'}: an Excel ${sheet} saved as a bare record stream, readable by spreadsheet programs.`,
      figures: { bofRecord: u16le(h, 0)!, sheetType: u16le(h, 6)!, records },
    });
  },
});
