/**
 * ISO/IEC 8211 data descriptive files: the record container of IHO S-57
 * electronic navigational charts (`.000` cells), ADRG/ASRP/USRP raster
 * charts (`.GEN`, `.THF`), SDTS transfers (`.DDF`) and DIGEST data. GDAL and
 * every chart viewer read them; libmagic 5.44 does not know the format, so
 * they were opaque. There is no magic: the first record is the data
 * descriptive record (DDR), a 24-byte leader of digits and flags, leader id
 * "L", then a directory of fixed-width entries (tag, field length, field
 * position, as the leader's entry map says) ended by the field terminator
 * 0x1E just before the field area's base address. All of it is checked,
 * including that the directory's last field ends where the record does.
 * Reference: ISO/IEC 8211:1994 §6.1 (leader), §6.2 (directory); IHO S-57
 * Edition 3.1 Part 3 §2.2, §7.2 (its use of ISO 8211).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const LEADER = /^(\d{5})([123 ])L([E ])([1 ]) (\d{2})(\d{5})(.{3})([1-9])([1-9])0([1-9])$/;
const FIELD_TERMINATOR = 0x1e;

interface Ddr {
  level: string;
  fields: string[];
}

function ddr(h: Uint8Array, size: number): Ddr | undefined {
  const m = LEADER.exec(ascii(h, 0, 24));
  if (!m) return undefined;
  const length = Number(m[1]);
  const base = Number(m[6]);
  const [lenSize, posSize, tagSize] = [Number(m[8]), Number(m[9]), Number(m[10])];
  const entry = tagSize + lenSize + posSize;
  if (length > size || length > h.length || base < 24 + entry + 1 || base >= length) return undefined;
  if ((base - 25) % entry !== 0 || h[base - 1] !== FIELD_TERMINATOR) return undefined;
  const fields: string[] = [];
  let end = 0;
  for (let at = 24; at < base - 1; at += entry) {
    const tag = ascii(h, at, at + tagSize);
    const len = ascii(h, at + tagSize, at + tagSize + lenSize);
    const pos = ascii(h, at + tagSize + lenSize, at + entry);
    if (!/^[0-9A-Za-z_]+$/.test(tag) || !/^\d+$/.test(len) || !/^\d+$/.test(pos)) return undefined;
    // Fields are laid out in order, each ending with the field terminator.
    if (Number(pos) !== end || h[base + Number(pos) + Number(len) - 1] !== FIELD_TERMINATOR) return undefined;
    end = Number(pos) + Number(len);
    fields.push(tag);
  }
  return base + end === length ? { level: m[2]!, fields } : undefined;
}

/** What the field tags say the file carries, for the message. */
function product(fields: readonly string[]): string {
  if (fields.includes('DSID')) return 'an S-57 electronic navigational chart';
  if (fields.includes('GEN') || fields.includes('THF')) return 'an ADRG raster chart file';
  if (fields.includes('IDEN') || fields.includes('CATD')) return 'an SDTS transfer module';
  return 'ISO 8211 records';
}

export const iso8211Detector = defineDetector({
  meta: {
    id: 'iso8211',
    version: '1.0.0',
    title: 'ISO/IEC 8211 data descriptive files (S-57 charts, ADRG, SDTS): leader and directory checked',
    formats: [
      {
        id: 'iso8211',
        name: 'ISO 8211 data descriptive file',
        status: 'analysable',
        how: 'structure',
        extensions: ['000', 'ddf', 'gen', 'thf'],
      },
    ],
  },
  // The leader's one fixed byte: its identifier "L" (the rest are digits and flags, checked in detect).
  signatures: [{ offset: 6, ascii: 'L' }],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    const d = ddr(probe.head, probe.size);
    if (!d) return undefined;
    return plain('analysable', {
      id: 'iso8211',
      name: 'ISO 8211 data descriptive file',
      confidence: 0.93,
      code: 'ISO8211_DDR',
      message: `ISO 8211 data descriptive record: a leader (level ${d.level.trim() || 'unset'}, id L) and a directory of ${d.fields.length} fields (${d.fields.slice(0, 5).join(', ')}${d.fields.length > 5 ? ', …' : ''}), each ending with the field terminator where the directory says: ${product(d.fields)}, read by GDAL and chart software.`,
      figures: { fields: d.fields.length },
    });
  },
});
