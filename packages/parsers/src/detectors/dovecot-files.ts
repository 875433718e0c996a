/**
 * Dovecot's own binaries beside a mailbox, named and kept opaque (no general
 * reader interprets them; the mails themselves are separate files):
 * - the index (dovecot.index, dovecot.list.index, dovecot.map.index): major
 *   version 7, base header size at least 120 bytes;
 * - the transaction log (dovecot.index.log and its rotated .2): major
 *   version 1, header size at least 24 bytes;
 * - the cache (dovecot.index.cache): major version 1, then the size of its
 *   offsets (4 or 8);
 * - mails the zlib plugin saved with lz4: Dovecot's own LZ4 framing (magic
 *   "Dovecot-LZ4\r\x2a\x9b\xc5", then the chunk size), which no lz4 tool reads.
 * Index files are named only when the name and the header agree.
 * References: Dovecot 2.3 src/lib-index/mail-index.h, mail-transaction-log.h,
 * mail-cache-private.h, src/lib-compression/iostream-lz4.h; fixtures made by
 * dovecot-lda (fixtures/dovecot-files/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const LZ4_MAGIC = Buffer.from('Dovecot-LZ4\r\x2a\x9b\xc5', 'latin1');

interface IndexKind {
  id: string;
  name: string;
  names: RegExp;
  /** The header's own check; returns the figures it read, or undefined. */
  check(h: Uint8Array, size: number): Record<string, number> | undefined;
}

const u16 = (h: Uint8Array, at: number): number => h[at]! | (h[at + 1]! << 8);
const u32 = (h: Uint8Array, at: number): number => (u16(h, at) + u16(h, at + 2) * 65536) >>> 0;

const KINDS: IndexKind[] = [
  {
    id: 'dovecot-index',
    name: 'Dovecot mailbox index',
    names: /^dovecot\.(list\.|map\.)?index$/,
    check(h, size) {
      const base = u16(h, 2);
      const header = u32(h, 4);
      if (h[0] !== 7 || base < 120 || header < base || header > size) return undefined;
      return { minorVersion: h[1]!, headerSize: header, recordSize: u16(h, 8) };
    },
  },
  {
    id: 'dovecot-index-log',
    name: 'Dovecot mailbox transaction log',
    names: /^dovecot\.(list\.|map\.)?index\.log(\.2)?$/,
    check(h, size) {
      const header = u16(h, 2);
      if (h[0] !== 1 || header < 24 || header > size) return undefined;
      return { minorVersion: h[1]!, headerSize: header, fileSeq: u32(h, 8) };
    },
  },
  {
    id: 'dovecot-index-cache',
    name: 'Dovecot mailbox cache',
    names: /^dovecot\.(list\.)?index\.cache$/,
    check(h) {
      if (h[0] !== 1 || (h[1] !== 4 && h[1] !== 8)) return undefined;
      return { minorVersion: h[2]!, offsetSize: h[1] };
    },
  },
];

export const dovecotFilesDetector = defineDetector({
  meta: {
    id: 'dovecot-files',
    version: '1.0.0',
    title: "Dovecot's index, log, cache and LZ4-framed mail files",
    formats: [
      ...KINDS.map((k) => ({ id: k.id, name: k.name, status: 'opaque' as const, how: 'structure' as const })),
      { id: 'dovecot-lz4', name: 'Dovecot LZ4-framed mail', status: 'opaque', how: 'structure' },
    ],
  },
  // The index files' first byte is their major version (7 or 1); the name is checked before anything else.
  signatures: [
    { offset: 0, hex: LZ4_MAGIC.toString('hex') },
    { offset: 0, hex: '07' },
    { offset: 0, hex: '01' },
  ],
  minSize: 16,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] === 0x44 && h.length >= LZ4_MAGIC.length + 4 && LZ4_MAGIC.equals(h.subarray(0, LZ4_MAGIC.length))) {
      const chunk = u32(Uint8Array.of(h[18]!, h[17]!, h[16]!, h[15]!), 0);
      return plain('opaque', {
        id: 'dovecot-lz4',
        name: 'Dovecot LZ4-framed mail',
        confidence: 0.95,
        code: 'DOVECOT_LZ4',
        message: `Magic "Dovecot-LZ4\\r\\x2a\\x9b\\xc5" and a ${chunk}-byte chunk size: a mail Dovecot's zlib plugin compressed in its own LZ4 framing, which general lz4 tools do not read.`,
        figures: { chunkSize: chunk },
      });
    }
    const name = probe.name.toLowerCase();
    const kind = KINDS.find((k) => k.names.test(name));
    const figures = kind && h.length >= 24 ? kind.check(h, probe.size) : undefined;
    if (!kind || !figures) return undefined;
    return plain('opaque', {
      id: kind.id,
      name: kind.name,
      confidence: 0.9,
      code: 'DOVECOT_INDEX_FILE',
      message: `File name "${probe.name}" and a header that agrees (major version ${h[0]}, ${Object.entries(figures)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}): ${kind.name.toLowerCase()}, Dovecot's own binary beside the mails.`,
      figures,
    });
  },
});
