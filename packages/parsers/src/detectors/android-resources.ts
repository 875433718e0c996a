/**
 * Android's compiled resources, as aapt writes them into every APK and as
 * extractions hold them unpacked: binary XML ("AXML": AndroidManifest.xml,
 * res/xml/*.xml, layouts) and the resource table (resources.arsc). Both are
 * chunks of ResChunk_header {type u16, headerSize u16, size u32}; the first
 * child is a string pool (type 1, header 28 bytes) whose string offsets
 * start right after its header and offset arrays. That string pool is the
 * anchor: the outer size and even the outer type are rewritten by packers
 * (androguard keeps such manifests as test cases), and libmagic reads some
 * manifests as Targa images. Readable by aapt, apktool and androguard.
 * Reference: AOSP frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h.
 * Fixtures made by aapt (fixtures/android-resources/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const RES_STRING_POOL_TYPE = 0x0001;
const RES_TABLE_TYPE = 0x0002;
const RES_XML_TYPE = 0x0003;
const STRING_POOL_HEADER = 28;
/** ResStringPool_header flags: SORTED_FLAG (1) and UTF8_FLAG (1 << 8). */
const KNOWN_POOL_FLAGS = 0x0101;

interface StringPool {
  strings: number;
  styles: number;
  utf8: boolean;
  bytes: number;
}

/** The string pool chunk at `at`, if its header and offset arrays are consistent and it fits in the file. */
function stringPoolAt(h: Uint8Array, at: number, fileSize: number): StringPool | undefined {
  if (u16le(h, at) !== RES_STRING_POOL_TYPE || u16le(h, at + 2) !== STRING_POOL_HEADER) return undefined;
  if (at + STRING_POOL_HEADER > h.length) return undefined;
  const [bytes, strings, styles, flags, stringsStart, stylesStart] = [4, 8, 12, 16, 20, 24].map(
    (o) => u32le(h, at + o) ?? 0,
  ) as [number, number, number, number, number, number];
  if (strings < 1 || strings > 1 << 20 || styles > strings || (flags & ~KNOWN_POOL_FLAGS) !== 0) return undefined;
  // The string data starts right after the header and the two offset arrays.
  if (stringsStart !== STRING_POOL_HEADER + 4 * (strings + styles)) return undefined;
  if (bytes < stringsStart || at + bytes > fileSize) return undefined;
  // With no styles Android ignores stylesStart (androguard keeps manifests with a stray one); it stays inside the pool.
  if (stylesStart > bytes || (styles > 0 && stylesStart < stringsStart)) return undefined;
  return { strings, styles, utf8: (flags & 0x100) !== 0, bytes };
}

const AXML = { id: 'android-axml', name: 'Android compiled binary XML (AXML)' };
const ARSC = { id: 'android-arsc', name: 'Android resource table (resources.arsc)' };

export const androidResourcesDetector = defineDetector({
  meta: {
    id: 'android-resources',
    version: '1.0.0',
    title: "Android's compiled resources: binary XML (AXML) and the resource table (ARSC)",
    formats: [
      { ...AXML, status: 'analysable', how: 'structure', extensions: ['xml'] },
      { ...ARSC, status: 'analysable', how: 'structure', extensions: ['arsc'] },
    ],
  },
  signatures: [
    { offset: 0, hex: '03000800' },
    { offset: 0, hex: '00000800' },
    { offset: 0, hex: '02000c00' },
  ],
  minSize: 8 + STRING_POOL_HEADER,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const type = u16le(h, 0);
    const headerSize = u16le(h, 2);
    const declared = u32le(h, 4) ?? 0;
    if (type === RES_TABLE_TYPE && headerSize === 12) {
      const packages = u32le(h, 8) ?? 0;
      const pool = stringPoolAt(h, 12, probe.size);
      if (!pool || packages < 1 || packages > 256) return undefined;
      return plain('analysable', {
        ...ARSC,
        confidence: 0.95,
        code: 'ARSC_CHUNKS',
        message: `Resource table chunk (type 2, ${packages} package${packages === 1 ? '' : 's'}, ${declared} bytes declared) whose first child is a consistent string pool (${pool.strings} ${pool.utf8 ? 'UTF-8' : 'UTF-16'} strings): an Android resource table, read by aapt and apktool.`,
        figures: { packages, declaredSize: declared, strings: pool.strings },
      });
    }
    if ((type !== RES_XML_TYPE && type !== 0) || headerSize !== 8) return undefined;
    const pool = stringPoolAt(h, 8, probe.size);
    if (!pool) return undefined;
    const notes: string[] = [];
    if (type === 0) notes.push('the outer chunk type is 0, not 3 (rewritten, as packers do to hinder analysis)');
    if (declared !== probe.size) notes.push(`the outer chunk declares ${declared} bytes, the file has ${probe.size}`);
    return plain('analysable', {
      ...AXML,
      confidence: type === RES_XML_TYPE ? 0.95 : 0.85,
      code: 'AXML_CHUNKS',
      message: `Binary XML chunk header (8 bytes) followed by a consistent string pool (${pool.strings} ${pool.utf8 ? 'UTF-8' : 'UTF-16'} strings, ${pool.bytes} bytes)${notes.length ? `; ${notes.join('; ')}` : ''}: Android compiled XML (AndroidManifest.xml, res/xml), read by aapt, apktool and androguard.`,
      figures: { chunkType: type ?? 0, declaredSize: declared, strings: pool.strings, styles: pool.styles },
    });
  },
});
