/**
 * dBase, FoxBase, FoxPro and Visual FoxPro tables (.dbf). libmagic names most of them, but not the one
 * header byte that says the records are enciphered: dBase IV's PROTECT command encrypts a table's records
 * (the header and field list stay clear) with a key kept, under the administrator's password, in the
 * DBSYSTEM.DB file of the same directory, and sets byte 15 of the header. A table is claimed only when its
 * header holds together: a valid date, a header length that fits its field descriptors, descriptors that
 * end with 0x0D and whose widths add up to the record length, and a file long enough for its records.
 * Reference: dBase IV Language Reference, "Table file header" (bytes 0-31: version, YYMMDD, record count
 * u32 at 4, header length u16 at 8, record length u16 at 10, incomplete-transaction flag at 14, encryption
 * flag at 15; 32-byte field descriptors: name 11, type at 11, width at 16); dBase 7 (version 4) uses a
 * 68-byte header and 48-byte descriptors; Visual FoxPro adds a 263-byte backlink after the terminator.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u16le, u32le } from './util.js';

interface Layout {
  product: string;
  /** Bytes before the first field descriptor, and each descriptor's size. */
  fixed: number;
  descriptor: number;
  /** Bytes after the 0x0D terminator that the header length includes. */
  trailer: number;
  /** Whether byte 15 is dBase IV's encryption flag in this product. */
  protect: boolean;
}

const DBASE = { fixed: 32, descriptor: 32, trailer: 0, protect: true };
const FOX = { fixed: 32, descriptor: 32, trailer: 0, protect: false };
const VFP = { fixed: 32, descriptor: 32, trailer: 263, protect: false };
const DBASE7 = { fixed: 68, descriptor: 48, trailer: 0, protect: true };
const VERSIONS: Readonly<Record<number, Layout>> = {
  0x02: { product: 'FoxBase', ...FOX },
  0x03: { product: 'dBase III+/IV/5', ...DBASE },
  0x04: { product: 'dBase 7', ...DBASE7 },
  0x05: { product: 'dBase 5', ...DBASE },
  0x30: { product: 'Visual FoxPro', ...VFP },
  0x31: { product: 'Visual FoxPro (autoincrement)', ...VFP },
  0x32: { product: 'Visual FoxPro (varchar)', ...VFP },
  0x43: { product: 'dBase IV SQL table', ...DBASE },
  0x63: { product: 'dBase IV SQL system file', ...DBASE },
  0x83: { product: 'dBase III+ with memo', ...FOX },
  0x8b: { product: 'dBase IV with memo', ...DBASE },
  0x8c: { product: 'dBase 7 with memo', ...DBASE7 },
  0xcb: { product: 'dBase IV SQL table with memo', ...DBASE },
  0xf5: { product: 'FoxPro 2.x with memo', ...FOX },
  0xfb: { product: 'FoxBase with memo', ...FOX },
};
/** Field types of the dBase and FoxPro families. */
const FIELD_TYPES = new Set('CNFLDMBGPYTIV@O+0WQ'.split('').map((c) => c.charCodeAt(0)));
const TERMINATOR = 0x0d;
const MAX_FIELDS = 2048;

/** The field widths, when every descriptor in the header is plausible and the terminator sits where the length says. */
/**
 * A table without fields (GDAL writes one beside a shapefile that has no attributes: r-cran-sf's
 * `storms_xyz.dbf`, 71 records of 1 byte): each record is its deletion flag alone, so the header's few fields
 * are checked against every record, which must be a space (kept) or an asterisk (deleted), the file read whole.
 */
function flagsOnly(probe: Probe, headerLength: number, records: number, recordLength: number): boolean {
  if (recordLength !== 1 || records < 1 || !probe.complete) return false;
  const body = probe.head.subarray(headerLength, headerLength + records);
  return body.length === records && body.every((b) => b === 0x20 || b === 0x2a);
}

function fieldWidths(h: Uint8Array, layout: Layout, headerLength: number): number[] | undefined {
  const span = headerLength - layout.fixed - 1 - layout.trailer;
  if (span < 0 || span % layout.descriptor !== 0) return undefined;
  const count = span / layout.descriptor;
  if (count > MAX_FIELDS) return undefined;
  const end = layout.fixed + count * layout.descriptor;
  if (end >= h.length || h[end] !== TERMINATOR) return undefined;
  const widths: number[] = [];
  for (let at = layout.fixed; at < end; at += layout.descriptor) {
    const nameLength = layout.descriptor === 48 ? 32 : 11;
    const typeAt = at + nameLength;
    // A name of printable ASCII padded with NULs, starting with a letter or underscore.
    const first = h[at]!;
    if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return undefined;
    for (let i = at; i < typeAt && h[i] !== 0; i++) if (h[i]! < 0x20 || h[i]! > 0x7e) return undefined;
    if (!FIELD_TYPES.has(h[typeAt]!)) return undefined;
    widths.push(layout.descriptor === 48 ? h[typeAt + 1]! : h[at + 16]!);
  }
  return widths;
}

export const dbaseDetector = defineDetector({
  meta: {
    id: 'dbase',
    version: '1.1.0',
    title: 'dBase and FoxPro tables, and dBase IV PROTECT encryption',
    formats: [
      {
        id: 'dbase-table',
        name: 'dBase / FoxPro table',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-dbf',
        extensions: ['dbf'],
      },
      {
        id: 'dbase-table-encrypted',
        name: 'dBase table, encrypted by PROTECT',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/x-dbf',
        extensions: ['dbf'],
      },
    ],
  },
  signatures: Object.keys(VERSIONS).map((v) => ({ offset: 0, hex: Number(v).toString(16).padStart(2, '0') })),
  minSize: 66,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const layout = VERSIONS[h[0]!];
    if (!layout) return undefined;
    const [month, day] = [h[2]!, h[3]!];
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    const records = u32le(h, 4) ?? 0;
    const headerLength = u16le(h, 8) ?? 0;
    const recordLength = u16le(h, 10) ?? 0;
    const [transaction, encryption] = [h[14]!, h[15]!];
    if (transaction > 1 || encryption > 1 || recordLength < 1) return undefined;
    const widths = fieldWidths(h, layout, headerLength);
    if (!widths || (widths.length === 0 && !flagsOnly(probe, headerLength, records, recordLength))) return undefined;
    // Record = deletion flag + the fields (Visual FoxPro may add a null-flags field, counted among them).
    if (1 + widths.reduce((a, b) => a + b, 0) !== recordLength) return undefined;
    const need = headerLength + records * recordLength;
    if (probe.size < need || probe.size > need + recordLength) return undefined;
    const what = `A ${layout.product} table (version byte 0x${h[0]!.toString(16).padStart(2, '0')}, ${widths.length} fields, ${records} records of ${recordLength} bytes after a ${headerLength}-byte header)`;
    const figures = { version: h[0]!, fields: widths.length, records, recordLength };
    if (!(layout.protect && encryption === 1))
      return plain('analysable', {
        id: 'dbase-table',
        name: 'dBase / FoxPro table',
        mime: 'application/x-dbf',
        confidence: 0.9,
        code: 'DBASE_TABLE',
        message: `${what} whose encryption flag (byte 15) is clear: readable by spreadsheet and database programs.`,
        figures,
      });
    return locked({
      id: 'dbase-table-encrypted',
      name: 'dBase table, encrypted by PROTECT',
      mime: 'application/x-dbf',
      confidence: 0.9,
      code: 'DBASE_ENCRYPTED_FLAG',
      message: `${what} whose encryption flag (byte 15) is set: dBase IV PROTECT enciphered its records; the header and field list stay clear.`,
      figures,
      scheme: 'dbase-iv-protect',
      // DBSYSTEM.DB alone does not open the table (its entries are enciphered too), so it is named, not looked for.
      keyHint: passwordHint(
        "A dBase IV PROTECT login (user, group and password); the table's group key is kept, enciphered under the administrator password, in DBSYSTEM.DB in the table's directory.",
      ),
    });
  },
});
