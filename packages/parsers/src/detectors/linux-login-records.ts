/**
 * Linux login records (`/var/run/utmp`, `/var/log/wtmp`, `/var/log/btmp`):
 * glibc's `struct utmp`, 384-byte records with no signature. Named from the
 * records themselves, never from the name: every whole record in the probe
 * holds a known type (0–9) with zero padding, a pid below the kernel's limit,
 * NUL-ended printable line, id, user and host fields, a time between 1980 and
 * 2100 (or none) with microseconds below a million, and the zeroed reserved
 * bytes; at least one is a dated entry naming a line or a user. A partial
 * record at the end (a write cut short: plaso's `wtmp.1` ends in one stray
 * byte) is reported; utmpdump reads the whole records before it.
 * Kept opaque, as the corpus labels Apple's utmpx: last(1) and utmpdump read them.
 * References: glibc bits/utmp.h (x86-64, aarch64: 32-bit times), utmp(5).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const RECORD = 384;
const TYPES = ['empty', 'run level', 'boot', 'new time', 'old time', 'init', 'login', 'user', 'dead', 'accounting'];
const FIELDS: ReadonlyArray<[at: number, length: number]> = [
  [8, 32], // ut_line
  [40, 4], // ut_id
  [44, 32], // ut_user
  [76, 256], // ut_host
];
const PID_MAX = 1 << 22;
const FIRST_TIME = 315_532_800; // 1980-01-01
const LAST_TIME = 4_102_444_800; // 2100-01-01

/** Printable bytes (UTF-8 allowed) up to the first NUL, then only NULs. */
function cString(b: Uint8Array, at: number, length: number): boolean {
  let i = 0;
  while (i < length && b[at + i] !== 0) {
    const c = b[at + i]!;
    if (c < 0x20 || c === 0x7f) return false;
    i++;
  }
  for (; i < length; i++) if (b[at + i] !== 0) return false;
  return true;
}

/** The record's type when it holds together, else undefined. */
function recordType(b: Uint8Array, at: number): number | undefined {
  const type = u16le(b, at);
  const pid = u32le(b, at + 4);
  const sec = u32le(b, at + 340);
  const usec = u32le(b, at + 344);
  if (type === undefined || type >= TYPES.length || u16le(b, at + 2) !== 0) return undefined;
  if (pid === undefined || pid >= PID_MAX || sec === undefined || usec === undefined || usec >= 1_000_000)
    return undefined;
  if (sec !== 0 && (sec < FIRST_TIME || sec > LAST_TIME)) return undefined;
  for (let i = at + 364; i < at + RECORD; i++) if (b[i] !== 0) return undefined;
  return FIELDS.every(([off, len]) => cString(b, at + off, len)) ? type : undefined;
}

function loginRecords(probe: Probe): Detection | undefined {
  if (probe.size < RECORD) return undefined;
  const h = probe.head;
  const seen = new Map<string, number>();
  let entries = 0;
  for (let at = 0; at + RECORD <= h.length; at += RECORD) {
    const type = recordType(h, at);
    if (type === undefined) return undefined;
    if (type !== 0 && u32le(h, at + 340) !== 0 && (h[at + 8] !== 0 || h[at + 44] !== 0)) entries++;
    seen.set(TYPES[type]!, (seen.get(TYPES[type]!) ?? 0) + 1);
  }
  if (entries === 0) return undefined;
  const kinds = [...seen].map(([k, n]) => `${n} ${k}`).join(', ');
  const records = Math.floor(probe.size / RECORD);
  const partial = probe.size % RECORD;
  return plain('opaque', {
    id: 'utmp',
    name: 'Linux utmp/wtmp/btmp login records',
    confidence: 0.85,
    code: 'UTMP_RECORDS',
    message: `${records} records of ${RECORD} bytes (glibc struct utmp)${partial ? ` and ${partial} trailing byte(s) of a partial record` : ''}; the ${Math.floor(h.length / RECORD)} read hold known types (${kinds}), dated, with printable line, user and host fields and zeroed reserved bytes: logins, logouts and boots, read by last(1) and utmpdump.`,
    figures: { records, partialBytes: partial },
  });
}

export const linuxLoginRecordsDetector = defineDetector({
  meta: {
    id: 'linux-login-records',
    version: '1.0.0',
    title: 'Linux utmp, wtmp and btmp login records (named, opaque)',
    formats: [{ id: 'utmp', name: 'Linux utmp/wtmp/btmp login records', status: 'opaque', how: 'structure' }],
  },
  // The first record's type (1–9) and its zero padding: the records carry no magic of their own.
  signatures: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => ({ offset: 0, hex: `0${t}000000` })),
  minSize: RECORD,
  priority: 30,
  detect: loginRecords,
});
