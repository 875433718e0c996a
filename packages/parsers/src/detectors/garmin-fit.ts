/**
 * Garmin FIT files: the activity, course, workout, monitoring and settings
 * files of Garmin, Wahoo, Coros, Suunto, Polar and Hammerhead devices (on the
 * watch's `GARMIN/Activity/`, in Garmin Connect and Strava exports and in
 * fitness apps' folders). libmagic knew them only as "FIT Map data" with its
 * fields read from the wrong offsets (a 1990 date, a negative manufacturer).
 * The header's data size must fit the file, its CRC (in 14-byte headers)
 * must hold, and the first record must define the file_id message, whose
 * `type` field says what kind of FIT file it is. The Garmin FIT SDK,
 * gpsbabel, GoldenCheetah and fitparse read them without a secret.
 * Reference: Garmin FIT SDK, "Flexible & Interoperable Data Transfer (FIT)
 * Protocol" (file header, record headers, definition messages, CRC) and
 * Profile.xlsx (mesg_num 0 file_id; enum `file`).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const CRC_TABLE = [
  0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401, 0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01,
  0x8801, 0x4400,
];

/** The FIT CRC-16 (the SDK's nibble-table form of CRC-16/ARC). */
export function fitCrc(b: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    const byte = b[i]!;
    let t = CRC_TABLE[crc & 0xf]!;
    crc = ((crc >> 4) & 0x0fff) ^ t ^ CRC_TABLE[byte & 0xf]!;
    t = CRC_TABLE[crc & 0xf]!;
    crc = ((crc >> 4) & 0x0fff) ^ t ^ CRC_TABLE[(byte >> 4) & 0xf]!;
  }
  return crc;
}

/** Profile enum `file` (the values devices write). */
const FILE_TYPES: Record<number, string> = {
  1: 'device',
  2: 'settings',
  3: 'sport',
  4: 'activity',
  5: 'workout',
  6: 'course',
  7: 'schedules',
  9: 'weight',
  10: 'totals',
  11: 'goals',
  14: 'blood pressure',
  15: 'monitoring',
  20: 'activity summary',
  28: 'daily monitoring',
  32: 'monitoring',
  34: 'segment',
  35: 'segment list',
  40: 'exercise data',
};

/** The file_id type from the first definition and data message, undefined when they are not there. */
function fileType(b: Uint8Array, at: number): number | undefined {
  const header = b[at];
  // A normal definition message (bit 6), no developer fields needed, local message type in the low bits.
  if (header === undefined || (header & 0xc0) !== 0x40) return undefined;
  const local = header & 0x0f;
  const big = b[at + 2] === 1;
  if (b[at + 2]! > 1 || at + 6 > b.length) return undefined;
  const global = big ? (b[at + 3]! << 8) | b[at + 4]! : b[at + 3]! | (b[at + 4]! << 8);
  const count = b[at + 5]!;
  if (global !== 0 || count === 0) return undefined;
  let offset = 0;
  let typeAt = -1;
  for (let i = 0; i < count; i++) {
    const def = at + 6 + i * 3;
    if (def + 3 > b.length) return undefined;
    if (b[def] === 0 && b[def + 1] === 1) typeAt = offset;
    offset += b[def + 1]!;
  }
  let data = at + 6 + count * 3;
  if (header & 0x20) data += 1 + (b[data] ?? 0) * 3; // developer field definitions
  // The data message that follows uses the local type just defined.
  if ((b[data]! & 0xf0) !== 0 || (b[data]! & 0x0f) !== local || typeAt < 0) return undefined;
  return b[data + 1 + typeAt];
}

export const garminFitDetector = defineDetector({
  meta: {
    id: 'garmin-fit',
    version: '1.0.0',
    title: 'Garmin FIT activity and fitness files (header size and CRC, file_id message)',
    formats: [
      {
        id: 'fit',
        name: 'Garmin FIT activity data',
        status: 'analysable',
        how: 'header-field',
        extensions: ['fit'],
      },
    ],
  },
  signatures: [{ offset: 8, hex: '2e464954' }],
  minSize: 14,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const size = h[0]!;
    if (size !== 12 && size !== 14) return undefined;
    const dataSize = (h[4]! | (h[5]! << 8) | (h[6]! << 16)) + h[7]! * 0x1000000;
    // Chained FIT files follow one another, so the file may be longer than the first one.
    if (size + dataSize + 2 > probe.size) return undefined;
    const stored = size === 14 ? h[12]! | (h[13]! << 8) : 0;
    if (stored !== 0 && fitCrc(h, 0, 12) !== stored) return undefined;
    const type = fileType(h, size);
    if (type === undefined) return undefined;
    const kind = FILE_TYPES[type] ?? `type ${type}`;
    let whole = '';
    if (probe.complete && size + dataSize + 2 === probe.size) {
      const end = size + dataSize;
      if (fitCrc(h, 0, end) !== (h[end]! | (h[end + 1]! << 8))) return undefined;
      whole = ', and the file CRC holds';
    }
    return plain('analysable', {
      id: 'fit',
      name: 'Garmin FIT activity data',
      confidence: 0.95,
      code: 'FIT_HEADER',
      message: `FIT header (".FIT", protocol ${h[1]! >> 4}.${h[1]! & 15}, profile ${h[2]! | (h[3]! << 8)}, ${dataSize} data bytes${stored ? ', header CRC valid' : ''}) and a file_id message saying ${kind}${whole}: the Garmin FIT SDK and gpsbabel read it without a secret.`,
      details: { fileType: kind, dataSize },
    });
  },
});
