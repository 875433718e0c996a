/**
 * PyInstaller's PYZ archive (`PYZ-00.pyz`, the compiled modules of a frozen
 * Python program, as pyinstxtractor and pyi-archive_viewer take it out of the
 * executable's CArchive): "PYZ\0", the CPython bytecode magic of the Python
 * that built it, the table of contents' offset, then one zlib stream of
 * marshalled code per module and the marshalled table. Its bodies are
 * compressed, so the statistics called it "compressed-unknown".
 * PyInstaller 4.0–5.x's `--key` option AES-encrypted each member (a 16-byte
 * IV, then AES-CTR), but the key is stored in the same bundle, in the
 * `pyimod00_crypto_key` module beside this archive (PyInstaller 6 dropped the
 * option as "obfuscation, not security"): by the class rules that is not
 * encryption. Only PyInstaller's own tools read the archive: opaque.
 * References: PyInstaller 5.13 PyInstaller/loader/pyimod01_archive.py
 * (ZlibArchiveReader, PYZ_MAGIC_PATTERN, Cipher) and
 * PyInstaller/archive/writers.py (ZlibArchiveWriter); CPython
 * Lib/importlib/_bootstrap_external.py (magic numbers).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, startsWith, u16le, u32be } from './util.js';

/** CPython minor versions by the first magic number each used (Lib/importlib/_bootstrap_external.py). */
const MAGIC_SINCE: ReadonlyArray<readonly [number, string]> = [
  [3000, '3.0'],
  [3141, '3.1'],
  [3160, '3.2'],
  [3190, '3.3'],
  [3250, '3.4'],
  [3320, '3.5'],
  [3360, '3.6'],
  [3390, '3.7'],
  [3400, '3.8'],
  [3420, '3.9'],
  [3430, '3.10'],
  [3450, '3.11'],
  [3500, '3.12'],
  [3550, '3.13'],
  [3600, '3.14'],
  [3650, '3.15'],
];

/** The Python version a bytecode magic number belongs to, when it is one CPython used. */
export function pythonForMagic(magic: number): string | undefined {
  if (magic >= 62171 && magic <= 62211) return '2.7';
  if (magic < 3000 || magic >= 3700) return undefined;
  let found: string | undefined;
  for (const [since, version] of MAGIC_SINCE) if (magic >= since) found = version;
  return found;
}

/** Marshal type codes a table of contents starts with: list, tuple, small tuple, dict (with or without FLAG_REF). */
const TOC_CODES = new Set([0x5b, 0x28, 0x29, 0x7b].flatMap((c) => [c, c | 0x80]));

/** Whether a zlib header (CMF, FLG) starts at `at`: deflate with a 32 KiB window or less, check bits right. */
function zlibHeader(b: Uint8Array, at: number): boolean {
  const cmf = b[at];
  const flg = b[at + 1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

export const pyinstallerPyzDetector = defineDetector({
  meta: {
    id: 'pyinstaller-pyz',
    version: '1.0.0',
    title: "PyInstaller's PYZ archive of compiled modules",
    formats: [
      {
        id: 'pyinstaller-pyz',
        name: 'PyInstaller PYZ archive',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pyz'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '50595a00' }],
  minSize: 12,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, 'PYZ\0') || h[6] !== 0x0d || h[7] !== 0x0a) return undefined;
    const magic = u16le(h, 4)!;
    const python = pythonForMagic(magic);
    const toc = u32be(h, 8)!;
    if (!python || toc < 12 || toc >= probe.size) return undefined;
    // The table of contents is marshalled; check its type code where the probe holds it.
    const tailStart = probe.size - probe.tail.length;
    const tocByte =
      toc < h.length ? h[toc] : probe.tail.length && toc >= tailStart ? probe.tail[toc - tailStart] : undefined;
    if (tocByte !== undefined && !TOC_CODES.has(tocByte)) return undefined;
    const members = toc > 12;
    const keyed = members && !zlibHeader(h, 12);
    const body = !members
      ? 'no members'
      : keyed
        ? "members that are not zlib streams: AES under PyInstaller's --key, whose key the same bundle stores in its pyimod00_crypto_key module (obfuscation, not encryption)"
        : 'zlib-compressed marshalled modules';
    return plain('opaque', {
      id: 'pyinstaller-pyz',
      name: 'PyInstaller PYZ archive',
      confidence: tocByte === undefined ? 0.85 : 0.95,
      code: 'PYINSTALLER_PYZ_HEADER',
      message: `"PYZ\\0", the bytecode magic ${magic} of CPython ${python}, a table of contents at ${toc} of ${probe.size} bytes${tocByte === undefined ? '' : ' (a marshalled list or dict)'}, and ${body}: a frozen program's modules, read by PyInstaller's own tools only.`,
      figures: { pythonMagic: magic, python, tocOffset: toc, keyed },
    });
  },
});

/**
 * Modules pyinstxtractor takes out of a `--key` PYZ: it cannot decrypt them without running the bundle's key
 * module, so it writes each as `<module>.pyc.encrypted` (the 16-byte IV, then AES-CTR of the zlib stream) in
 * `PYZ-00.pyz_extracted/`, beside `pyimod00_crypto_key.pyc` from the CArchive, which holds the key. The bytes are
 * random and the statistics called them encrypted; by the class rules a key kept in the same bundle is not
 * encryption, so the name (the extractor's own suffix) decides: opaque.
 * Reference: pyinstxtractor 2023.x (extractPyz: "Encrypted pyc" files saved with the ".encrypted" suffix).
 */
export const pyinstallerKeyedModuleDetector = defineDetector({
  meta: {
    id: 'pyinstaller-keyed-module',
    version: '1.0.0',
    title: 'Modules pyinstxtractor saved from a PyInstaller --key archive',
    formats: [
      {
        id: 'pyinstaller-keyed-module',
        name: 'PyInstaller --key module (pyinstxtractor output)',
        status: 'opaque',
        how: 'path',
        extensions: ['encrypted'],
      },
    ],
  },
  minSize: 32,
  priority: 40,
  detect(probe): Detection | undefined {
    if (!probe.name.endsWith('.pyc.encrypted')) return undefined;
    const extracted = /\.pyz_extracted\//.test(probe.logicalPath);
    const module = probe.name.slice(0, -'.pyc.encrypted'.length);
    return plain('opaque', {
      id: 'pyinstaller-keyed-module',
      name: 'PyInstaller --key module (pyinstxtractor output)',
      confidence: extracted ? 0.9 : 0.8,
      code: 'PYINSTALLER_KEYED_MODULE_NAME',
      message: `"${probe.name}"${extracted ? ' in a ".pyz_extracted" folder' : ''}: pyinstxtractor's name for module ${module} of a PyInstaller --key archive (a 16-byte IV, then AES-CTR of its zlib stream). The key is the bundle's own, in pyimod00_crypto_key.pyc from the same executable: obfuscation, not encryption.`,
      figures: { module, extractedFolder: extracted },
    });
  },
});
