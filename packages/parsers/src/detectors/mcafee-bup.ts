/**
 * McAfee quarantine files (`.bup`, VirusScan Enterprise and Endpoint Security): an OLE2 compound file
 * whose streams are "Details" (INI text: detection name, original path) and "File_0", "File_1"...
 * (the quarantined files), every byte XORed with 0x6A (DeXRAY, CAPE's quarantine.py). The single-byte
 * key is fixed, so this is obfuscation, not encryption: named, opaque (a quarantine tool or 7-Zip plus
 * a XOR restores them). The compound file alone would be taken for a readable OLE2 document.
 * Read from the head: the first directory sector's entries and, when the Details stream starts in
 * the head (in the mini stream's first sector or in its own sectors), its first bytes under the key.
 * Reference: [MS-CFB] §2.2 (header), §2.6 (directory entries). Fixture: fixtures/av-quarantine/generate.sh
 * (libgsf's `gsf createole`).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16le, u32le } from './util.js';

const FORMAT = { id: 'mcafee-bup-quarantine', name: 'McAfee quarantine file (.bup, OLE2 streams XOR 0x6A)' };
const MINI_CUTOFF = 4096;
const MINI_SECTOR = 64;

interface Entry {
  name: string;
  type: number;
  start: number;
  size: number;
}

function entries(h: Uint8Array, sectorBytes: number, at: number): Entry[] {
  const out: Entry[] = [];
  for (let e = at; e + 128 <= Math.min(h.length, at + sectorBytes); e += 128) {
    const nameBytes = u16le(h, e + 64) ?? 0;
    if (nameBytes < 2 || nameBytes > 64 || nameBytes % 2) continue;
    let name = '';
    for (let i = 0; i + 2 < nameBytes; i += 2) name += String.fromCharCode(h[e + i]! | (h[e + i + 1]! << 8));
    out.push({ name, type: h[e + 66]!, start: u32le(h, e + 116)!, size: u32le(h, e + 120)! });
  }
  return out;
}

export const mcafeeBupDetector = defineDetector({
  meta: {
    id: 'mcafee-bup',
    version: '1.0.0',
    title: 'McAfee quarantine files (.bup): OLE2 Details and File_n streams XORed with 0x6A',
    formats: [{ ...FORMAT, status: 'opaque', how: 'structure', extensions: ['bup'] }],
  },
  signatures: [{ offset: 0, hex: 'd0cf11e0a1b11ae1' }],
  minSize: 1024,
  priority: 15,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const shift = u16le(h, 30) ?? 0;
    if (shift !== 9 && shift !== 12) return undefined;
    const sectorBytes = 1 << shift;
    const dirStart = u32le(h, 48) ?? 0xffffffff;
    if (dirStart >= 0xfffffffa) return undefined;
    const dirAt = (dirStart + 1) * sectorBytes;
    if (dirAt + 128 > h.length) return undefined;
    const list = entries(h, sectorBytes, dirAt);
    const root = list.find((e) => e.type === 5);
    const details = list.find((e) => e.type === 2 && e.name === 'Details');
    const files = list.filter((e) => e.type === 2 && /^File_\d+$/.test(e.name));
    if (!root || !details || files.length === 0) return undefined;
    // Details under the key: INI text starting with "[Details]".
    const at =
      details.size < MINI_CUTOFF
        ? details.start * MINI_SECTOR < sectorBytes
          ? (root.start + 1) * sectorBytes + details.start * MINI_SECTOR
          : undefined
        : (details.start + 1) * sectorBytes;
    const clear =
      at !== undefined && at + 9 <= h.length ? ascii(h.subarray(at, at + 9).map((v) => v ^ 0x6a)) : undefined;
    if (clear !== undefined && clear !== '[Details]') return undefined;
    return plain('opaque', {
      ...FORMAT,
      confidence: clear ? 0.97 : 0.93,
      code: 'MCAFEE_BUP_STREAMS',
      message: `McAfee quarantine file: an OLE2 compound file with a Details stream${clear ? ' that reads "[Details]" XORed with 0x6A' : ''} and ${files.length} quarantined file stream${files.length === 1 ? '' : 's'} (${files.map((f) => `${f.name}, ${f.size} bytes`).join('; ')}), every byte XORed with McAfee's fixed key 0x6A; restored without a secret: obfuscation, not encryption.`,
      figures: { quarantinedFiles: files.length, detailsBytes: details.size },
    });
  },
});
