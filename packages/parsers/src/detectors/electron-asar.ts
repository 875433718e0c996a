/**
 * Electron's `app.asar` archives: every Electron app (Signal Desktop, Slack,
 * Teams, Discord, VS Code…) ships its code as one under `resources/`, with the
 * files it must not pack (native `.node` modules) in `app.asar.unpacked/`
 * beside it. The header is two Chromium pickles: the first holds one u32, the
 * size of the second (u32 LE 4, then that size); the second holds a string
 * (u32 payload size, u32 string length, the UTF-8 JSON index, padded to 4
 * bytes). The JSON is a tree of `{"files": {name: entry}}` where an entry is a
 * folder (`files`), a link (`link`) or a file (`size`, `offset` as a decimal
 * string from the end of the header, optional `unpacked`, `executable`,
 * `integrity` with SHA-256 hashes). The files follow, stored as they are: no
 * compression, no encryption (integrity hashes say what was packed, they hide
 * nothing). An archive a general tool lists and extracts (`asar`, 7-Zip's
 * plugin), so analysable; libmagic names it but a PNG packed last could make
 * the whole archive look like an obfuscated PNG.
 * Evidence: the pickle sizes agree with each other and with the file; where
 * the head holds the whole index, it parses and no packed file runs past the
 * end of the archive.
 * References: electron/asar src/disk.ts and src/pickle.ts (the header), and
 * Electron docs/tutorial/asar-archives.md.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

const FORMAT = { id: 'electron-asar', name: 'Electron ASAR archive' } as const;
/** The JSON index starts here: two pickle headers and the string length. */
const JSON_START = 16;
/** Folders deeper than this are not walked (a hostile index cannot exhaust the stack). */
const MAX_DEPTH = 64;

interface Tally {
  files: number;
  folders: number;
  links: number;
  unpacked: number;
  packedBytes: number;
  /** The furthest end of a packed file, from the start of the data. */
  end: number;
  integrity: number;
  bad: number;
}

function walk(node: unknown, tally: Tally, depth: number): void {
  if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return;
  for (const entry of Object.values(node as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) {
      tally.bad++;
      continue;
    }
    const e = entry as Record<string, unknown>;
    if (typeof e['files'] === 'object') {
      tally.folders++;
      walk(e['files'], tally, depth + 1);
    } else if (typeof e['link'] === 'string') tally.links++;
    else if (typeof e['size'] === 'number') {
      tally.files++;
      if (typeof e['integrity'] === 'object') tally.integrity++;
      if (e['unpacked'] === true) tally.unpacked++;
      else if (typeof e['offset'] === 'string' && /^\d+$/.test(e['offset'])) {
        tally.packedBytes += e['size'];
        tally.end = Math.max(tally.end, Number(e['offset']) + e['size']);
      } else tally.bad++;
    } else tally.bad++;
  }
}

export function readAsar(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (h.length < JSON_START + 10 || u32le(h, 0) !== 4) return undefined;
  const headerSize = u32le(h, 4)!;
  const payload = u32le(h, 8)!;
  const jsonLength = u32le(h, 12)!;
  // The second pickle's payload is its size less its own 4-byte length; the string fills it but the padding.
  if (payload + 4 !== headerSize || jsonLength + 4 > payload || payload - 4 - jsonLength > 3) return undefined;
  const dataStart = 8 + headerSize;
  if (dataStart > probe.size) return undefined;
  if (String.fromCharCode(...h.subarray(JSON_START, JSON_START + 9)) !== '{"files":') return undefined;
  const whole = JSON_START + jsonLength <= h.length;
  const figures: Record<string, number | boolean> = { headerBytes: headerSize, indexBytes: jsonLength };
  let message = `Electron ASAR archive: a pickled header of ${headerSize} bytes (its sizes agree) holding a ${jsonLength}-byte JSON index that starts {"files":`;
  let details: Record<string, unknown> | undefined;
  if (whole) {
    let index: unknown;
    try {
      index = JSON.parse(Buffer.from(h.buffer, h.byteOffset + JSON_START, jsonLength).toString('utf8'));
    } catch {
      return undefined;
    }
    const root = (index as { files?: unknown }).files;
    if (typeof root !== 'object' || root === null) return undefined;
    const t: Tally = { files: 0, folders: 0, links: 0, unpacked: 0, packedBytes: 0, end: 0, integrity: 0, bad: 0 };
    walk(root, t, 0);
    if (t.bad > 0 || t.files + t.links === 0) return undefined;
    const fits = dataStart + t.end <= probe.size;
    Object.assign(figures, {
      files: t.files,
      folders: t.folders,
      links: t.links,
      unpacked: t.unpacked,
      packedBytes: t.packedBytes,
      withIntegrity: t.integrity,
      truncated: !fits,
    });
    message += `; ${t.files} files (${t.unpacked} kept unpacked beside it in .asar.unpacked), ${t.folders} folders, ${t.links} links, ${t.integrity} with SHA-256 integrity hashes; the packed files ${fits ? 'end within the archive' : `run to byte ${dataStart + t.end}, past its end: the archive is cut short`}. Stored, not compressed or encrypted.`;
    details = { topLevel: Object.keys(root).slice(0, 32) };
  } else message += ` (the index runs past the bytes read; not walked). Stored, not compressed or encrypted.`;
  return plain('analysable', {
    ...FORMAT,
    confidence: whole ? 0.97 : 0.9,
    code: whole ? 'ASAR_INDEX' : 'ASAR_HEADER',
    message,
    figures,
    ...(details ? { details } : {}),
  });
}

export const electronAsarDetector = defineDetector({
  meta: {
    id: 'electron-asar',
    version: '1.0.0',
    title: "Electron's app.asar archives",
    formats: [{ ...FORMAT, status: 'analysable', how: 'structure', extensions: ['asar'] }],
  },
  signatures: [{ offset: 0, hex: '04000000' }],
  minSize: 26,
  priority: 30,
  detect: (probe) => readAsar(probe),
});
