/**
 * Packet captures whose format libmagic cannot vouch for, read by their record chains (Wireshark reads both):
 * - Novell LANalyzer (`.tr1`): records of a 16-bit type (0x10xx) and a 16-bit length from the first byte, the
 *   first a header record (0x1001, or 0x1007 for a cyclic trace). libmagic names it by those two bytes only, which
 *   random data begins with once in 32,768 files, so its answer is taken for a chance match; a chain of records
 *   each starting where the one before ends is the format's own structure.
 * - TamoSoft CommView NCF (`.ncf`): no file header at all; each packet has a 24-byte record header (data length,
 *   source length, version 0, a calendar date and time, microseconds, medium flags, signal level...). Without a
 *   reader the files were unrecognised binary. Several headers whose fields are a valid date and a known medium,
 *   chaining by their lengths, are the evidence (random bytes meet one header's fields about once in 10^8).
 * Reference: Wireshark's wiretap (lanalyzer.c, commview.c) and TamoSoft's log-format notes; CommView's later
 * NCFX format is not read (Wireshark 4.0's writer and reader disagree on its length field, so no file here
 * could be trusted as a sample).
 */
import { defineDetector, u16le, u32le, type Detection, type Probe } from '@evtriage/core/contract';
import { plain } from './util.js';

/** LANalyzer record types: header (regular, cyclic), summary, packet data... all 0x10xx. */
const LA_HEADER = new Set([0x1001, 0x1007]);
const LA_PACKET = 0x1005;
/** Records a chain must hold before it is believed, unless it reaches the file's end exactly. */
const MIN_RECORDS = 4;
const NCF_HEADER = 24;

interface Chain {
  records: number;
  packets: number;
  /** The walk ended exactly at the end of a file the probe holds whole. */
  whole: boolean;
}

/** The bytes the probe holds from the start (all of them for a file within the head). */
function held(probe: Probe): number {
  return Math.min(probe.head.length, probe.size);
}

function lanalyzerChain(probe: Probe): Chain | undefined {
  const h = probe.head;
  if (!LA_HEADER.has(u16le(h, 0) ?? 0)) return undefined;
  const end = held(probe);
  let at = 0;
  let records = 0;
  let packets = 0;
  while (at + 4 <= end) {
    const type = u16le(h, at)!;
    if (type >> 8 !== 0x10) return undefined;
    if (type === LA_PACKET) packets++;
    records++;
    at += 4 + u16le(h, at + 2)!;
  }
  return { records, packets, whole: at === probe.size };
}

/** One CommView NCF record header at `at`: its packet length, or undefined when a field is out of range. */
function ncfRecord(h: Uint8Array, at: number): { length: number; year: number } | undefined {
  const length = u16le(h, at)!;
  const year = u16le(h, at + 5)!;
  const [month, day, hours, minutes, seconds] = [h[at + 7]!, h[at + 8]!, h[at + 9]!, h[at + 10]!, h[at + 11]!];
  const flags = h[at + 16]!;
  const ok =
    length >= 10 &&
    h[at + 4] === 0 && // version
    year >= 1990 &&
    year <= 2100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hours <= 23 &&
    minutes <= 59 &&
    seconds <= 60 &&
    u32le(h, at + 12)! < 1_000_000 && // microseconds
    (flags & 0x0f) <= 2 && // medium: Ethernet, Wi-Fi, Token Ring
    h[at + 17]! <= 100; // signal level in percent
  return ok ? { length, year } : undefined;
}

function ncfChain(probe: Probe): Chain | undefined {
  const h = probe.head;
  const end = held(probe);
  let at = 0;
  let records = 0;
  let firstYear = -1;
  while (at + NCF_HEADER <= end) {
    const record = ncfRecord(h, at);
    if (!record) return undefined;
    if (firstYear < 0) firstYear = record.year;
    else if (Math.abs(record.year - firstYear) > 1) return undefined;
    records++;
    at += NCF_HEADER + record.length;
  }
  return { records, packets: records, whole: at === probe.size };
}

const believed = (c: Chain | undefined): c is Chain =>
  c !== undefined && (c.records >= MIN_RECORDS || (c.whole && c.records >= 2));

export const packetCapturesDetector = defineDetector({
  meta: {
    id: 'packet-captures',
    version: '1.0.0',
    title: 'Packet captures known by their record chains (LANalyzer, CommView NCF)',
    formats: [
      {
        id: 'lanalyzer',
        name: 'Novell LANalyzer capture',
        status: 'analysable',
        how: 'structure',
        extensions: ['tr1'],
      },
      {
        id: 'commview-ncf',
        name: 'TamoSoft CommView NCF capture',
        status: 'analysable',
        how: 'structure',
        extensions: ['ncf'],
      },
    ],
  },
  minSize: NCF_HEADER + 10,
  priority: 40,
  detect(probe): Detection | undefined {
    const la = lanalyzerChain(probe);
    if (believed(la))
      return plain('analysable', {
        id: 'lanalyzer',
        name: 'Novell LANalyzer capture',
        confidence: 0.95,
        code: 'LANALYZER_RECORDS',
        message: `Novell LANalyzer trace: ${la.records} records (${la.packets} packets) chain from the header record${la.whole ? ' to the end of the file' : ' through the probe'}; Wireshark reads it.`,
        figures: { records: la.records, packets: la.packets },
      });
    const ncf = ncfChain(probe);
    if (believed(ncf))
      return plain('analysable', {
        id: 'commview-ncf',
        name: 'TamoSoft CommView NCF capture',
        confidence: 0.9,
        code: 'COMMVIEW_NCF_RECORDS',
        message: `CommView NCF capture: ${ncf.records} packet records chain from the first byte${ncf.whole ? ' to the end of the file' : ' through the probe'}, each with a valid date, time and medium; Wireshark reads it.`,
        figures: { records: ncf.records },
      });
    return undefined;
  },
});
