/**
 * Compiled terminfo entries (`/usr/share/terminfo/x/xterm`, `/lib/terminfo`, Android's `/system/etc/terminfo`),
 * as ncurses' tic writes them: a header of six little-endian 16-bit numbers (magic 0432, or 01036 for 32-bit
 * numbers; the sizes of the names, booleans, numbers, string offsets and string table), then those sections.
 * Claimed when the sections fit the file and the names are the entry's printable "name|alias|description"
 * ending in a NUL. libmagic names most of them, but for some its Apple DiskCopy rule wins and prints the
 * header's bytes as the image name.
 * Reference: term(5) ("Legacy Storage Format", "Extended Number Format").
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le } from './util.js';

const LEGACY = 0o432;
const EXTENDED = 0o1036;
/** ncurses' limits (MAX_NAME_SIZE is 512; a few hundred capabilities of each kind exist). */
const MAX_NAMES = 4096;
const MAX_COUNT = 4096;

function terminfo(probe: Probe): Detection | undefined {
  const h = probe.head;
  const magic = u16le(h, 0);
  const [names, bools, nums, strings, table] = [2, 4, 6, 8, 10].map((at) => u16le(h, at) ?? 0xffff);
  if (magic !== LEGACY && magic !== EXTENDED) return undefined;
  if (names! < 2 || names! > MAX_NAMES || bools! > MAX_COUNT || nums! > MAX_COUNT || strings! > MAX_COUNT)
    return undefined;
  const numBytes = magic === EXTENDED ? 4 : 2;
  const boolsEnd = 12 + names! + bools!;
  const end = boolsEnd + (boolsEnd % 2) + nums! * numBytes + strings! * 2 + table!;
  if (end > probe.size || 12 + names! > h.length) return undefined;
  const text = h.subarray(12, 12 + names! - 1);
  if (h[12 + names! - 1] !== 0 || !text.every((c) => c >= 0x20 && c < 0x7f)) return undefined;
  const entry = Buffer.from(text).toString('latin1');
  const name = entry.split('|')[0]!;
  if (!/^[A-Za-z0-9][\w.+-]*$/.test(name)) return undefined;
  return plain('analysable', {
    id: 'terminfo',
    name: 'Compiled terminfo entry',
    confidence: 0.9,
    code: 'TERMINFO_HEADER',
    message: `A compiled terminfo entry "${name}" (${magic === EXTENDED ? 'extended, 32-bit numbers' : 'legacy format'}): ${bools} booleans, ${nums} numbers and ${strings} strings whose sections fit the file (${end} of ${probe.size} bytes; the rest is ncurses' extended capabilities); read by infocmp.`,
    figures: { name, booleans: bools!, numbers: nums!, strings: strings! },
  });
}

export const terminfoDetector = defineDetector({
  meta: {
    id: 'terminfo',
    version: '1.0.0',
    title: 'Compiled terminfo entries (ncurses tic)',
    formats: [{ id: 'terminfo', name: 'Compiled terminfo entry', status: 'analysable', how: 'header-field' }],
  },
  signatures: [
    { offset: 0, hex: '1a01' },
    { offset: 0, hex: '1e02' },
  ],
  minSize: 14,
  priority: 30,
  detect: terminfo,
});
