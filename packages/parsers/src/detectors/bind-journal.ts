/**
 * BIND 9 zone journals (`<zone>.jnl`, `managed-keys.bind.jnl`): the record of every dynamic update and
 * incoming zone transfer a name server applied, transaction by transaction (the SOA serial before and
 * after, the records deleted and added), as `named-journalprint` prints it. A 64-byte header starts with
 * the format string ";BIND LOG V9\n" (transaction headers of version 1) or ";BIND LOG V9.2\n" (version 2,
 * with a record count) padded with NUL bytes to 16, then the first and next transaction's serial and
 * offset, the index size, the source serial and a flags byte, the rest zero; the index follows, then the
 * transactions, each a header (size, [count,] serial before, serial after) and its records. Accepted: the
 * format string and a header whose offsets fit the file; the transactions are walked from the first
 * one's offset (BIND's recovery mode reads version 2 transactions behind a version 1 string too).
 * Analysable; the reason gives the serial range and the transactions read.
 * Reference: ISC BIND 9.18 lib/dns/journal.c (journal_rawheader_t, journal_rawxhdr_t).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, u32be } from './util.js';

const HEADER = 64;
const FORMATS: Record<string, 1 | 2> = { ';BIND LOG V9\n': 1, ';BIND LOG V9.2\n': 2 };
/** Transactions walked at most (the head bounds it too). */
const MAX_TRANSACTIONS = 100_000;

interface Walk {
  transactions: number;
  /** Transactions read with version 1 and version 2 headers. */
  versions: [number, number];
  /** The walk reached the header's end offset (else the head ended first). */
  whole: boolean;
}

/**
 * Walks transactions from `begin` to `end`: each one's serial before must be the serial the previous one
 * ended at (the header's first serial for the first), and its size keep it inside `end`. Each transaction
 * header is read as the file's version first, then as the other (BIND recovers journals that mix them).
 */
function walk(h: Uint8Array, begin: number, end: number, first: number, version: 1 | 2): Walk | undefined {
  let at = begin;
  let serial = first;
  const versions: [number, number] = [0, 0];
  const order: (1 | 2)[] = version === 2 ? [2, 1] : [1, 2];
  while (at < end && versions[0] + versions[1] < MAX_TRANSACTIONS) {
    let next: { at: number; serial: number; v: 1 | 2 } | undefined;
    for (const v of order) {
      const bytes = v === 2 ? 16 : 12;
      if (at + bytes > h.length) break;
      const size = u32be(h, at)!;
      if (size > 0 && u32be(h, at + bytes - 8) === serial && at + bytes + size <= end) {
        next = { at: at + bytes + size, serial: u32be(h, at + bytes - 4)!, v };
        break;
      }
    }
    if (!next) {
      const read = versions[0] + versions[1];
      return at + 16 > h.length && read > 0 ? { transactions: read, versions, whole: false } : undefined;
    }
    if (next.v === 1) versions[0]++;
    else versions[1]++;
    at = next.at;
    serial = next.serial;
  }
  return at === end ? { transactions: versions[0] + versions[1], versions, whole: true } : undefined;
}

function journalVerdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h.length < HEADER) return undefined;
  const text = ascii(h.subarray(0, 16));
  // The format string, then NUL padding to 16 bytes.
  const nul = text.indexOf('\0');
  const label = nul < 0 ? text : text.slice(0, nul);
  const version = FORMATS[label];
  if (!version || [...text.slice(label.length)].some((c) => c !== '\0')) return undefined;
  const [beginSerial, begin, endSerial, end, indexSize] = [16, 20, 24, 28, 32].map((o) => u32be(h, o)!);
  // The flags byte holds one flag; the rest of the header is padding.
  if (h[40]! > 1 || h.subarray(41, HEADER).some((x) => x !== 0)) return undefined;
  const dataStart = HEADER + indexSize! * 8;
  const empty = begin === 0 && end === 0;
  if (!empty && (begin! < dataStart || end! < begin! || end! > probe.size)) return undefined;
  const read = empty ? undefined : walk(h, begin!, end!, beginSerial!, version);
  const name = label.trimEnd();
  const serials = empty ? 'no transactions yet' : `serials ${beginSerial} to ${endSerial}`;
  const body = read
    ? `${read.transactions} transaction(s) (headers: ${read.versions[0]} of version 1, ${read.versions[1]} of version 2) chain serial to serial` +
      (read.whole ? ` from offset ${begin} to ${end}` : ' as far as the head goes')
    : empty
      ? 'an index of ' + indexSize + ' entries'
      : `transactions from offset ${begin} to ${end} that do not chain (a damaged journal)`;
  return plain('analysable', {
    id: 'bind-journal',
    name: 'BIND 9 zone journal',
    confidence: read?.whole || empty ? 0.95 : 0.9,
    code: 'BIND_JOURNAL_HEADER',
    message: `BIND 9 zone journal ("${name}"): ${serials}; ${body}. Dynamic updates and transfers as named-journalprint prints them; not encrypted.`,
    figures: {
      format: name,
      firstSerial: beginSerial!,
      lastSerial: endSerial!,
      transactions: read?.transactions ?? 0,
      version1Headers: read?.versions[0] ?? 0,
      version2Headers: read?.versions[1] ?? 0,
      indexEntries: indexSize!,
    },
  });
}

export const bindJournalDetector = defineDetector({
  meta: {
    id: 'bind-journal',
    version: '1.0.0',
    title: 'BIND 9 zone journals (.jnl) by their header and transaction chain',
    formats: [
      { id: 'bind-journal', name: 'BIND 9 zone journal', status: 'analysable', how: 'structure', extensions: ['jnl'] },
    ],
  },
  minSize: HEADER,
  priority: 30,
  signatures: [{ offset: 0, ascii: ';BIND LOG V9' }],
  detect(probe): Detection | undefined {
    return journalVerdict(probe);
  },
});
