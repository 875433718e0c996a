/**
 * Windows artefacts common in extractions: registry hives ("regf", analysable),
 * prefetch files (SCCA, and the Windows 10 MAM-compressed form) and Recycle Bin
 * `$I` records. Prefetch and `$I` records are niche binary with no general
 * reader: opaque. The MAM form is compressed (LZXPRESS Huffman), so it looks
 * random without being encrypted.
 * References: libyal/libregf "Windows NT Registry File format" (base block);
 * libyal/libscca "Windows Prefetch File format" (SCCA, MAM\x04); libyal/dtformats
 * "Windows Recycle.Bin metadata" ($I file versions 1 and 2).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u32le, u64le } from './util.js';

const PREFETCH_VERSIONS = new Set([17, 23, 26, 30, 31]);

export const windowsArtifactsDetector = defineDetector({
  meta: {
    id: 'windows-artifacts',
    version: '1.0.0',
    title: 'Windows registry hives, prefetch files and Recycle Bin records',
    formats: [
      {
        id: 'regf',
        name: 'Windows registry hive',
        status: 'analysable',
        how: 'signature',
        extensions: ['dat', 'hiv', 'hve', 'sav', 'log1', 'log2'],
      },
      {
        id: 'windows-prefetch',
        name: 'Windows prefetch file',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pf'],
      },
      {
        id: 'windows-prefetch-mam',
        name: 'Windows prefetch file, MAM-compressed',
        status: 'opaque',
        how: 'signature',
        extensions: ['pf'],
      },
      { id: 'windows-recycle-bin-i', name: 'Windows Recycle Bin $I record', status: 'opaque', how: 'structure' },
    ],
  },
  minSize: 8,
  priority: 30,
  // Registry hive, prefetch (SCCA after the version), compressed prefetch, Recycle Bin $I record (version 1 or 2).
  signatures: [
    { offset: 0, ascii: 'regf' },
    { offset: 4, ascii: 'SCCA' },
    { offset: 0, ascii: 'MAM\x04' },
    { offset: 0, hex: '0100000000000000' },
    { offset: 0, hex: '0200000000000000' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Format version 1.0 to 1.6 (libyal/libregf); other numbers mean the magic stands before other bytes.
    if (startsWith(h, 'regf') && probe.size >= 4096 && u32le(h, 20) === 1 && (u32le(h, 24) ?? 99) <= 6) {
      return plain('analysable', {
        id: 'regf',
        name: 'Windows registry hive',
        confidence: 0.95,
        code: 'REGF_BASE_BLOCK',
        message: `Registry hive base block ("regf", format ${u32le(h, 20) ?? 0}.${u32le(h, 24) ?? 0}).`,
      });
    }
    if (ascii(h, 4, 8) === 'SCCA' && PREFETCH_VERSIONS.has(u32le(h, 0) ?? 0)) {
      const version = u32le(h, 0)!;
      return plain('opaque', {
        id: 'windows-prefetch',
        name: 'Windows prefetch file',
        confidence: 0.95,
        code: 'PREFETCH_SCCA',
        message: `Prefetch file, format version ${version} ("SCCA"): structured Windows metadata for a prefetch parser; not encrypted.`,
        figures: { version },
      });
    }
    if (startsWith(h, 'MAM\x04')) {
      return plain('opaque', {
        id: 'windows-prefetch-mam',
        name: 'Windows prefetch file, MAM-compressed',
        confidence: 0.9,
        code: 'PREFETCH_MAM',
        message: `"MAM\\x04" header: a Windows 10+ prefetch file compressed with LZXPRESS Huffman (${u32le(h, 4) ?? 0} bytes uncompressed): high entropy, not encrypted.`,
        figures: { uncompressedSize: u32le(h, 4) ?? 0 },
      });
    }
    // $I record: version 1 (fixed 520-byte name) or 2 (length-prefixed name), original size, deletion time,
    // then the deleted file's full path. Checked by structure whatever the name: Recycle Bin records are copied
    // out of `$Recycle.Bin` and carved under other names.
    const version = u64le(h, 0);
    if (version === 1 || version === 2) {
      const deleted = u64le(h, 16) ?? 0;
      const pathAt = version === 1 ? 24 : 28;
      const sizeOk = version === 1 ? probe.size === 544 : probe.size === 28 + 2 * (u32le(h, 24) ?? 0);
      const path = sizeOk ? recycledPath(h, pathAt, version === 2 ? probe.size : undefined) : undefined;
      // FILETIME between 1995 and 2100.
      if (path && deleted > 125_000_000_000_000_000 && deleted < 157_000_000_000_000_000) {
        return plain('opaque', {
          id: 'windows-recycle-bin-i',
          name: 'Windows Recycle Bin $I record',
          confidence: 0.9,
          code: 'RECYCLE_BIN_I_RECORD',
          message: `Recycle Bin $I record (version ${version}): the original path (${JSON.stringify(path.slice(0, 80))}), size and deletion time of a deleted file; whatever its name says, not the file itself.`,
          figures: { version, pathLength: path.length },
        });
      }
    }
    return undefined;
  },
});

/**
 * The deleted file's path in a $I record: UTF-16LE from `at`, a drive ("C:\\") or UNC ("\\\\") path of
 * printable code units up to a NUL, which must end the record at `end` when the record gives the length (version 2).
 * Undefined when the bytes are not such a path.
 */
function recycledPath(h: Uint8Array, at: number, end: number | undefined): string | undefined {
  let path = '';
  for (let i = at; i + 1 < h.length; i += 2) {
    const unit = h[i]! | (h[i + 1]! << 8);
    if (unit === 0) {
      if (end !== undefined && i + 2 !== end) return undefined;
      return /^([A-Za-z]:\\|\\\\)./.test(path) ? path : undefined;
    }
    if (unit < 0x20) return undefined;
    path += String.fromCharCode(unit);
  }
  return undefined;
}
