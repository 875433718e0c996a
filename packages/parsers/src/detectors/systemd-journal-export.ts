/**
 * systemd's Journal Export Format (`journalctl -o export`, read by systemd-journal-remote and
 * `journalctl --file` after import; the native protocol's datagrams use the same field encoding):
 * entries of fields separated by an empty line, each field either `NAME=value\n` or, when the value
 * holds a newline or binary bytes, `NAME\n`, a 64-bit little-endian length, the bytes and `\n`.
 * Names are upper-case letters, digits and underscores (`__CURSOR`, `__REALTIME_TIMESTAMP` for the
 * address fields). A binary field makes the file fail the text check, so without this detector an
 * export holding a core dump's cgroup or a message with a newline was unnamed binary.
 * Believed only when the fields walk from the first byte to the end of the file (or of the head,
 * after enough fields) and a field the journal itself writes is among them. Readable with
 * journalctl's tools and a text viewer: analysable, not encrypted.
 * Reference: systemd.io "Journal Export Formats".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const NAME_MAX = 64;
/** Fields journald or journalctl add to every entry: one of them ties the stream to the journal. */
const JOURNAL_FIELDS = new Set([
  '__CURSOR',
  '__REALTIME_TIMESTAMP',
  '__MONOTONIC_TIMESTAMP',
  '__SEQNUM',
  '_BOOT_ID',
  '_TRANSPORT',
  'MESSAGE',
  'PRIORITY',
  'SYSLOG_IDENTIFIER',
]);
/** A head that ends mid-stream must show this many fields before it ends. */
const MIN_FIELDS_IN_HEAD = 8;

const isNameByte = (b: number, first: boolean) =>
  (b >= 0x41 && b <= 0x5a) || b === 0x5f || (!first && b >= 0x30 && b <= 0x39);

interface Walk {
  fields: number;
  entries: number;
  binary: number;
  journal: boolean;
}

/** Walks the fields; undefined when a byte breaks the format. */
function walk(h: Uint8Array, size: number, complete: boolean): Walk | undefined {
  const w: Walk = { fields: 0, entries: 0, binary: 0, journal: false };
  let at = 0;
  let inEntry = false;
  while (at < h.length) {
    if (h[at] === 0x0a) {
      // An empty line ends an entry; two in a row are not written.
      if (!inEntry) return undefined;
      inEntry = false;
      w.entries++;
      at++;
      continue;
    }
    let end = at;
    while (end < h.length && end - at <= NAME_MAX && isNameByte(h[end]!, end === at)) end++;
    if (end === h.length) break; // the head ends inside a name
    if (end === at || end - at > NAME_MAX) return undefined;
    const name = String.fromCharCode(...h.subarray(at, end));
    if (JOURNAL_FIELDS.has(name)) w.journal = true;
    if (h[end] === 0x3d) {
      const nl = h.indexOf(0x0a, end + 1);
      if (nl < 0) {
        if (complete) return undefined;
        break;
      }
      at = nl + 1;
    } else if (h[end] === 0x0a) {
      if (end + 9 > h.length) {
        if (complete) return undefined;
        break;
      }
      const view = new DataView(h.buffer, h.byteOffset + end + 1, 8);
      const length = Number(view.getBigUint64(0, true));
      const next = end + 9 + length;
      // The value and its newline must fit in the file.
      if (next + 1 > size) return undefined;
      w.binary++;
      if (next >= h.length) {
        w.fields++;
        if (complete) return undefined;
        break;
      }
      if (h[next] !== 0x0a) return undefined;
      at = next + 1;
    } else return undefined;
    w.fields++;
    inEntry = true;
  }
  if (inEntry && at >= h.length) w.entries++;
  return w;
}

export const systemdJournalExportDetector = defineDetector({
  meta: {
    id: 'systemd-journal-export',
    version: '1.0.0',
    title: "systemd's Journal Export Format",
    formats: [
      {
        id: 'systemd-journal-export',
        name: 'systemd journal export',
        status: 'analysable',
        how: 'structure',
        extensions: ['export', 'journal-export'],
      },
    ],
  },
  minSize: 16,
  // Field names start with an upper-case letter or an underscore.
  signatures: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'].map((ascii) => ({ offset: 0, ascii })),
  priority: 30,
  detect(probe): Detection | undefined {
    const complete = probe.head.length >= probe.size;
    const w = walk(probe.head, probe.size, complete);
    // Three fields, or one binary field whose length lands on its newline (journal-2.txt: one multi-line MESSAGE).
    if (!w || !w.journal || (w.fields < 3 && w.binary === 0)) return undefined;
    if (!complete && w.fields < MIN_FIELDS_IN_HEAD) return undefined;
    const binary = w.binary > 0 ? `, ${w.binary} of them binary (a 64-bit length, then the bytes)` : '';
    return plain('analysable', {
      id: 'systemd-journal-export',
      name: 'systemd journal export',
      confidence: 0.9,
      code: 'JOURNAL_EXPORT_FIELDS',
      message: `systemd Journal Export Format: ${w.fields} field${w.fields === 1 ? '' : 's'} in ${w.entries} entr${w.entries === 1 ? 'y' : 'ies'}${complete ? '' : ' (in the head)'}${binary}, walked from the first byte${complete ? ' to the end of the file' : ''}, with the fields journald writes; readable with journalctl's tools (systemd-journal-remote), not encrypted.`,
      figures: { fields: w.fields, entries: w.entries, binaryFields: w.binary },
    });
  },
});
