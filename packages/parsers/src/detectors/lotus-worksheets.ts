/**
 * Lotus 1-2-3 Release 2 worksheets (.wk1), Symphony (.wrk, .wr1) and Works for DOS spreadsheets (.wks):
 * a chain of records (u16 opcode, u16 length) opened by a 2-byte BOF whose body is the version (0x0404
 * Works and 1-2-3 1A, 0x0405 Symphony, 0x0406 1-2-3 2.x). A worksheet saved with a password carries a
 * PASSWORD record (0x004B, a 2-byte checksum of the password) and every record's data after it is
 * enciphered with a keystream made from the password, while the record headers stay clear: libmagic still
 * calls it a worksheet. Release 3 and later (.wk3, .wk4, 26-byte BOF) store the key bytes themselves, so a
 * reader recovers them without the password (libwps does): those stay libmagic's and readable.
 * Reference: Lotus Development Corp., "Lotus File Formats for 1-2-3, Symphony & Jazz" (1986): record
 * layout, BOF 0x0000, EOF 0x0001, PASSWORD 0x004B; libwps' WKS4Parser reads the same and decodes with
 * the password.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u16le } from './util.js';

const PRODUCTS: Readonly<Record<number, string>> = {
  0x0404: 'Lotus 1-2-3 1A / Works for DOS spreadsheet',
  0x0405: 'Symphony worksheet',
  0x0406: 'Lotus 1-2-3 Release 2 worksheet',
};
const PASSWORD_RECORD = 0x004b;
const EOF_RECORD = 0x0001;
/** Release 2 records stay well under this; a longer "record" is not this format. */
const MAX_RECORD = 0x2000;
/** Records that must chain after the BOF when the file does not end sooner. */
const MIN_RECORDS = 4;

/** Opcodes Release 2, Symphony and Works for DOS (its own records in the 0x54xx page) write. */
function plausibleOpcode(op: number): boolean {
  return op < 0x100 || op >> 8 === 0x54;
}

export const lotusWorksheetsDetector = defineDetector({
  meta: {
    id: 'lotus-worksheets',
    version: '1.0.0',
    title: 'Lotus 1-2-3 Release 2, Symphony and Works for DOS worksheets and their password record',
    formats: [
      {
        id: 'lotus-worksheet',
        name: 'Lotus 1-2-3 / Symphony / Works for DOS worksheet',
        status: 'analysable',
        how: 'structure',
        mime: 'application/vnd.lotus-1-2-3',
        extensions: ['wk1', 'wks', 'wrk', 'wr1'],
      },
      {
        id: 'lotus-worksheet-encrypted',
        name: 'Lotus 1-2-3 / Symphony worksheet, password-protected',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/vnd.lotus-1-2-3',
        extensions: ['wk1', 'wrk', 'wr1'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '000002000404' },
    { offset: 0, hex: '000002000504' },
    { offset: 0, hex: '000002000604' },
  ],
  minSize: 10,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = u16le(h, 4) ?? 0;
    const product = PRODUCTS[version];
    if (!product) return undefined;
    let at = 6;
    let records = 1;
    let ended = false;
    let passwordAt = -1;
    while (at + 4 <= h.length) {
      const op = u16le(h, at)!;
      const length = u16le(h, at + 2)!;
      if (!plausibleOpcode(op) || length > MAX_RECORD || at + 4 + length > probe.size) return undefined;
      // A second BOF means this is not one chain.
      if (op === 0) return undefined;
      // 1-2-3 Release 1A and Works for DOS (0x0404) have no password feature.
      if (op === PASSWORD_RECORD && length === 2 && passwordAt < 0 && version !== 0x0404) passwordAt = at;
      records++;
      at += 4 + length;
      if (op === EOF_RECORD && length === 0) {
        ended = true;
        break;
      }
    }
    if (probe.complete ? !ended : records < MIN_RECORDS) return undefined;
    const what = `A ${product} (BOF version 0x${version.toString(16).padStart(4, '0')}, then ${records - 1} records that chain${ended ? ' to an EOF record' : ' through the bytes read'})`;
    if (passwordAt < 0)
      return plain('analysable', {
        id: 'lotus-worksheet',
        name: 'Lotus 1-2-3 / Symphony / Works for DOS worksheet',
        mime: 'application/vnd.lotus-1-2-3',
        confidence: 0.9,
        code: 'LOTUS_WORKSHEET_CLEAR',
        message: `${what} with no PASSWORD record: readable by spreadsheet programs (LibreOffice, libwps).`,
        figures: { version, records },
      });
    const checksum = ((h[passwordAt + 4] ?? 0) << 8) | (h[passwordAt + 5] ?? 0);
    return locked({
      id: 'lotus-worksheet-encrypted',
      name: 'Lotus 1-2-3 / Symphony worksheet, password-protected',
      mime: 'application/vnd.lotus-1-2-3',
      confidence: 0.95,
      code: 'LOTUS_PASSWORD_RECORD',
      message: `${what} with a PASSWORD record (0x004B) at offset ${passwordAt} holding the checksum 0x${checksum.toString(16).padStart(4, '0')}: every record's data after it is enciphered with a keystream made from the password.`,
      figures: { version, records, passwordRecordOffset: passwordAt, passwordChecksum: checksum },
      scheme: 'lotus-wk1-xor',
      keyHint: passwordHint(
        'The worksheet password 1-2-3 asks for (up to 15 characters). The cipher is a 16-byte XOR keystream: known-plaintext recovery finds it from the file alone.',
      ),
    });
  },
});
