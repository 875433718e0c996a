/**
 * Antivirus quarantine files from computers' extractions: the malware a scanner moved aside, kept
 * obfuscated so that it cannot run, under a key every copy of the product shares and that has been
 * published (DeXRAY by Hexacorn, CAPE's quarantine.py, ERNW's "quarantine-formats" papers). No secret
 * is needed, so these are not encrypted: they are named, opaque (a quarantine tool restores them),
 * and the reason says what the key is. Statistics alone call most of them random ("encrypted").
 * - Symantec Endpoint Protection `.VBN`: u32 header length 0x1290 (older 0xE68, 0xD10), the original
 *   path in ASCII at 4, then the payload XORed with 0x5A (quarantined file) or in clear (the metadata
 *   file), starting with 8 zero bytes and the metadata section's offset and length (u64).
 * - Kaspersky `.klq`: "KLQB", the header length at 8, metadata offset (0x10) and length (0x20), the
 *   file's length (0x30); the file and metadata XORed with the 8-byte key e2 45 48 ec 69 0e 5c ac.
 * - Avira `.qua`: "AntiVir Qua" and five zero bytes, the file's offset at 0x10 = 0xDC + the path and
 *   host lengths (0x14, 0x18), the threat name at 0x9C; the file XORed with 0xAA.
 * - Trend Micro: the whole file XORed with 0xFF; under it "VSBX", the data offset, a tag count (at most
 *   15) and tags (code, u16 length, value) that end where the data begins.
 * - G Data `.q`: ca fe ba be and a length, that many bytes, then ba ad f0 0d and a length: two RC4
 *   sections under a 16-byte key from AVKQt.dll, then the file under the same key.
 * - Avast/AVG `chest`: the magic "-chest- " (DeXRAY); the content is obfuscated with a fixed key.
 * Fixtures: fixtures/av-quarantine/generate.sh (published layouts, the EICAR test string inside).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u32le, u64le } from './util.js';

const F = {
  vbn: { id: 'symantec-vbn-quarantine', name: 'Symantec Endpoint Protection quarantine file (.VBN, XOR 0x5A)' },
  vbnMeta: { id: 'symantec-vbn-metadata', name: 'Symantec Endpoint Protection quarantine metadata (.VBN)' },
  klq: { id: 'kaspersky-klq-quarantine', name: 'Kaspersky quarantine file (KLQB, fixed 8-byte XOR key)' },
  qua: { id: 'avira-quarantine', name: 'Avira quarantine file (.qua, XOR 0xAA)' },
  vsbx: { id: 'trendmicro-vsbx-quarantine', name: 'Trend Micro quarantine file (VSBX, XOR 0xFF)' },
  gdata: { id: 'gdata-quarantine', name: 'G Data quarantine file (.q, RC4 under the published key)' },
  chest: { id: 'avast-chest-quarantine', name: 'Avast/AVG virus chest file' },
} as const;

const KLQ_KEY = [0xe2, 0x45, 0x48, 0xec, 0x69, 0x0e, 0x5c, 0xac];
const VBN_HEADERS = new Set([0x1290, 0xe68, 0xd10]);

export const avQuarantineDetector = defineDetector({
  meta: {
    id: 'av-quarantine',
    version: '1.0.0',
    title:
      'Antivirus quarantine files (Symantec, Kaspersky, Avira, Trend Micro, G Data, Avast/AVG) under published keys',
    formats: [
      { ...F.vbn, status: 'opaque', how: 'structure', extensions: ['vbn'] },
      { ...F.vbnMeta, status: 'opaque', how: 'structure', extensions: ['vbn'] },
      { ...F.klq, status: 'opaque', how: 'header-field', extensions: ['klq'] },
      { ...F.qua, status: 'opaque', how: 'header-field', extensions: ['qua'] },
      { ...F.vsbx, status: 'opaque', how: 'structure' },
      { ...F.gdata, status: 'opaque', how: 'structure', extensions: ['q'] },
      { ...F.chest, status: 'opaque', how: 'signature' },
    ],
  },
  minSize: 16,
  priority: 20,
  signatures: [
    { offset: 0, hex: '90120000' },
    { offset: 0, hex: '680e0000' },
    { offset: 0, hex: '100d0000' },
    { offset: 0, ascii: 'KLQB' },
    { offset: 0, ascii: 'AntiVir Qua' },
    { offset: 0, hex: 'a9acbda7' }, // "VSBX" XOR 0xFF
    { offset: 0, hex: 'cafebabe' },
    { offset: 0, ascii: '-chest- ' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = ascii(h.subarray(0, 4));
    if (magic === 'KLQB') return kaspersky(probe);
    if (ascii(h.subarray(0, 16)) === 'AntiVir Qua\0\0\0\0\0') return avira(probe);
    if (h[0] === 0xa9 && h[1] === 0xac && h[2] === 0xbd && h[3] === 0xa7) return trend(probe);
    if (h[0] === 0xca && h[1] === 0xfe && h[2] === 0xba && h[3] === 0xbe) return gdata(probe);
    if (ascii(h.subarray(0, 8)) === '-chest- ') return chest(probe);
    if (VBN_HEADERS.has(u32le(h, 0) ?? 0)) return symantec(probe);
    return undefined;
  },
});

/** A NUL-terminated run of printable ASCII from `at` (at most `max` bytes), or undefined. */
function cString(b: Uint8Array, at: number, max: number): string | undefined {
  let end = at;
  while (end < b.length && end < at + max && b[end] !== 0) {
    if (b[end]! < 0x20 || b[end]! > 0x7e) return undefined;
    end++;
  }
  if (end >= b.length || b[end] !== 0) return undefined;
  return ascii(b.subarray(at, end));
}

/** UTF-16LE text of `bytes` up to its first NUL unit, or undefined when it holds control characters. */
function utf16(b: Uint8Array, at: number, bytes: number): string | undefined {
  if (at + bytes > b.length) return undefined;
  let s = '';
  for (let i = at; i + 1 < at + bytes; i += 2) {
    const c = b[i]! | (b[i + 1]! << 8);
    if (c === 0) break;
    if (c < 0x20) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

const isWindowsOrUnixPath = (s: string) => /^([A-Za-z]:\\|\\\\|\/)/.test(s);

function symantec(probe: Probe): Detection | undefined {
  const h = probe.head;
  const header = u32le(h, 0)!;
  const path = cString(h, 4, 0x180);
  if (!path || !isWindowsOrUnixPath(path) || header > probe.size) return undefined;
  if (header !== 0x1290) {
    // Older SEP (header 0xE68 or 0xD10): the quarantined file itself follows, XORed with 0x5A.
    return plain('opaque', {
      ...F.vbn,
      confidence: 0.85,
      code: 'SYMANTEC_VBN_QUARANTINE',
      message: `Symantec quarantine file (older layout): a 0x${header.toString(16)}-byte header naming the original file ${JSON.stringify(path)}, then the quarantined file XORed with 0x5A (published key); restored without a secret: obfuscation, not encryption.`,
      figures: { headerBytes: header, originalPath: path },
    });
  }
  if (header + 0x28 > h.length) return undefined;
  // The payload starts with 8 zero bytes and the metadata section's offset and length, all XOR 0x5A in a
  // quarantined file, in clear in a metadata file.
  const key = h[header] === 0x5a ? 0x5a : 0;
  const payload = Uint8Array.from(h.subarray(header, header + 0x28), (v) => v ^ key);
  if (!payload.subarray(0, 8).every((v) => v === 0)) return undefined;
  const metaAt = u64le(payload, 8) ?? 0;
  const metaLength = u64le(payload, 0x10) ?? 0;
  if (metaAt < 0x28 || header + metaAt + metaLength > probe.size) return undefined;
  const f = key ? F.vbn : F.vbnMeta;
  const what = key
    ? 'the payload after it XORed with 0x5A (and the quarantined file inside XORed again with 0xFF, published keys)'
    : 'the payload after it in clear (the metadata file of a quarantined item)';
  return plain('opaque', {
    ...f,
    confidence: 0.95,
    code: key ? 'SYMANTEC_VBN_QUARANTINE' : 'SYMANTEC_VBN_METADATA',
    message: `Symantec Endpoint Protection quarantine ${key ? 'file' : 'metadata'}: a 0x${header.toString(16)}-byte header naming the original file ${JSON.stringify(path)}, ${what}, starting with 8 zero bytes and a metadata section of ${metaLength} bytes at ${metaAt}; restored without a secret: obfuscation, not encryption.`,
    figures: { headerBytes: header, originalPath: path, metadataBytes: metaLength },
  });
}

function kaspersky(probe: Probe): Detection | undefined {
  const h = probe.head;
  const header = u32le(h, 8) ?? 0;
  const metaAt = u64le(h, 0x10);
  const metaLength = u64le(h, 0x20);
  const length = u64le(h, 0x30);
  if (header < 0x38 || header > 0x1000 || metaAt === undefined || metaLength === undefined || length === undefined)
    return undefined;
  if (metaAt < header + length || metaAt + metaLength > probe.size) return undefined;
  // The first metadata record (u32 length, then XORed: u32 name length, the name) names a cNP_QB_ field.
  let field: string | undefined;
  if (metaAt + 8 + 16 <= h.length) {
    const clear = Uint8Array.from(
      h.subarray(metaAt + 4, Math.min(h.length, metaAt + 4 + 64)),
      (v, i) => v ^ KLQ_KEY[i % 8]!,
    );
    const nameLength = u32le(clear, 0) ?? 0;
    if (nameLength > 1 && nameLength <= 60) field = cString(clear, 4, nameLength);
  }
  return plain('opaque', {
    ...F.klq,
    confidence: field?.startsWith('cNP_QB_') ? 0.97 : 0.9,
    code: 'KASPERSKY_KLQB_QUARANTINE',
    message: `Kaspersky quarantine file: "KLQB", a ${header}-byte header, the quarantined file's ${length} bytes and ${metaLength} bytes of metadata at ${metaAt}${field ? ` (first field ${field})` : ''}, XORed with Kaspersky's fixed 8-byte key e2 45 48 ec 69 0e 5c ac; restored without a secret: obfuscation, not encryption.`,
    figures: { headerBytes: header, quarantinedBytes: length, metadataBytes: metaLength },
  });
}

function avira(probe: Probe): Detection | undefined {
  const h = probe.head;
  const start = u32le(h, 0x10) ?? 0;
  const pathBytes = u32le(h, 0x14) ?? 0;
  const hostBytes = u32le(h, 0x18) ?? 0;
  if (pathBytes > 0x10000 || hostBytes > 0x10000 || start !== 0xdc + pathBytes + hostBytes || start > probe.size)
    return undefined;
  const threat = cString(h, 0x9c, 0x40);
  const path = utf16(h, 0xdc, pathBytes);
  return plain('opaque', {
    ...F.qua,
    confidence: 0.97,
    code: 'AVIRA_QUA_QUARANTINE',
    message: `Avira quarantine file: "AntiVir Qua", the quarantined file's ${probe.size - start} bytes at ${start} XORed with 0xAA${threat ? `, threat ${JSON.stringify(threat)}` : ''}${path ? `, originally ${JSON.stringify(path)}` : ''}; restored without a secret: obfuscation, not encryption.`,
    figures: { dataOffset: start, quarantinedBytes: probe.size - start, ...(threat ? { threat } : {}) },
  });
}

function trend(probe: Probe): Detection | undefined {
  const h = probe.head;
  const x = (at: number) => (h[at] ?? 0) ^ 0xff;
  const u16 = (at: number) => x(at) | (x(at + 1) << 8);
  const dataOffset = (u16(4) | (u16(6) << 16)) >>> 0;
  const tags = u16(8);
  if (tags < 1 || tags > 15 || 10 + dataOffset > probe.size) return undefined;
  // Tags (code 1-7 in every sample described, u16 length, value) must end exactly where the data starts.
  let at = 10;
  let name: string | undefined;
  for (let i = 0; i < tags; i++) {
    if (at + 3 > h.length) return undefined;
    const code = x(at);
    const length = u16(at + 1);
    if (code < 1 || code > 0x10) return undefined;
    if (code === 2 && at + 3 + length <= h.length) {
      const bytes = Uint8Array.from(h.subarray(at + 3, at + 3 + length), (v) => v ^ 0xff);
      name = utf16(bytes, 0, length);
    }
    at += 3 + length;
  }
  if (at !== 10 + dataOffset) return undefined;
  return plain('opaque', {
    ...F.vsbx,
    confidence: 0.95,
    code: 'TRENDMICRO_VSBX_QUARANTINE',
    message: `Trend Micro quarantine file: XORed with 0xFF it reads "VSBX" and ${tags} tags ending at the data (offset ${10 + dataOffset})${name ? `, original name ${JSON.stringify(name)}` : ''}; restored without a secret (the data is XOR 0xFF or keyed by a CRC of a base key stored in a tag): obfuscation, not encryption.`,
    figures: { tags, dataOffset: 10 + dataOffset, ...(name ? { originalName: name } : {}) },
  });
}

function gdata(probe: Probe): Detection | undefined {
  const h = probe.head;
  const first = u32le(h, 4) ?? 0;
  // A Java class has its version (BE) here and a Mach-O universal binary its architecture count.
  if (first < 16 || first > 0x10000 || 16 + first > h.length) return undefined;
  const at = 8 + first;
  if (h[at] !== 0xba || h[at + 1] !== 0xad || h[at + 2] !== 0xf0 || h[at + 3] !== 0x0d) return undefined;
  const second = u32le(h, at + 4) ?? 0;
  if (second < 16 || second > 0x10000 || at + 8 + second > probe.size) return undefined;
  const fileBytes = probe.size - (at + 8 + second);
  return plain('opaque', {
    ...F.gdata,
    confidence: 0.95,
    code: 'GDATA_QUARANTINE',
    message: `G Data quarantine file: ca fe ba be with a ${first}-byte section, ba ad f0 0d with a ${second}-byte section, then the quarantined file's ${fileBytes} bytes, each RC4 under the 16-byte key published from AVKQt.dll; restored without a secret: obfuscation, not encryption.`,
    figures: { firstSection: first, secondSection: second, quarantinedBytes: fileBytes },
  });
}

function chest(probe: Probe): Detection | undefined {
  if (probe.size < 32) return undefined;
  return plain('opaque', {
    ...F.chest,
    confidence: 0.9,
    code: 'AVAST_CHEST_MAGIC',
    message: `Avast/AVG virus chest file: the magic "-chest- " at offset 0, then ${probe.size - 8} bytes of the quarantined item obfuscated with the product's fixed key (DeXRAY restores them): obfuscation, not encryption.`,
    figures: { bytes: probe.size },
  });
}
