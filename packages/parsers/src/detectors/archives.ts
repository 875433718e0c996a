/**
 * Archive containers at the signature level: ZIP (local header or empty
 * archive's end record), GZIP and POSIX/GNU TAR. Their members are scanned
 * in turn by the container sources. Encryption inside archives is decided by
 * the encrypted-format detectors.
 * References: PKWARE APPNOTE 6.3.10 §4.3; RFC 1952 §2.3; POSIX pax/ustar.
 */
import { defineDetector, type Detection } from '@evtriage/core';
import { ascii, startsWith } from './util.js';

export const archivesDetector = defineDetector({
  meta: {
    id: 'archives',
    version: '1.0.0',
    title: 'ZIP, GZIP and TAR containers',
    formats: [
      { id: 'zip', name: 'ZIP archive', status: 'analysable', how: 'signature', mime: 'application/zip', extensions: ['zip', 'jar', 'apk', 'ipa', 'aar', 'xapk', 'epub', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'kmz'] },
      { id: 'gzip', name: 'GZIP stream', status: 'analysable', how: 'signature', mime: 'application/gzip', extensions: ['gz', 'tgz', 'gzip'] },
      { id: 'tar', name: 'TAR archive', status: 'analysable', how: 'signature', mime: 'application/x-tar', extensions: ['tar'] },
    ],
  },
  signatures: [{ offset: 0, hex: '504b0304' }, { offset: 0, hex: '504b0506' }, { offset: 0, hex: '1f8b08' }, { offset: 257, ascii: 'ustar' }],
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'PK\x03\x04') || startsWith(h, 'PK\x05\x06')) {
      return { format: { id: 'zip', name: 'ZIP archive', mime: 'application/zip' }, status: 'analysable', confidence: 0.85, reasons: [{ code: 'ZIP_SIGNATURE', message: `ZIP ${h[2] === 3 ? 'local file header' : 'end-of-central-directory'} signature at offset 0.` }] };
    }
    if (startsWith(h, '\x1f\x8b\x08')) {
      return { format: { id: 'gzip', name: 'GZIP stream', mime: 'application/gzip' }, status: 'analysable', confidence: 0.9, reasons: [{ code: 'GZIP_SIGNATURE', message: 'GZIP magic 1f8b with DEFLATE method at offset 0.' }] };
    }
    if (ascii(h, 257, 262) === 'ustar') {
      return { format: { id: 'tar', name: 'TAR archive', mime: 'application/x-tar' }, status: 'analysable', confidence: 0.9, reasons: [{ code: 'TAR_USTAR_MAGIC', message: `"ustar" magic at offset 257 (${ascii(h, 263, 265) === '  ' ? 'GNU' : 'POSIX'} header).` }] };
    }
    return undefined;
  },
});
