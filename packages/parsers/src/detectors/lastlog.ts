/**
 * The last-login log (`/var/log/lastlog`, written by login(1), sshd and pam_lastlog, read by lastlog(8)):
 * a sparse array of 292-byte records indexed by user id, each a 32-bit time, a 32-byte terminal line
 * and a 256-byte host, NUL-padded (glibc bits/utmp.h, struct lastlog). No magic, so the file's name
 * (lastlog, or a rotated lastlog.N) gates it, and every record in the head must hold: a time of 0 or
 * between 1980 and 2100, NUL-ended printable line and host; at least one dated record. Niche binary
 * that only lastlog(8) reads: opaque, not encrypted.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le } from './util.js';

const RECORD = 292;
const FIRST_TIME = 315_532_800; // 1980-01-01
const LAST_TIME = 4_102_444_800; // 2100-01-01
const NAME = /^lastlog(?:\.\d+)?$/;

/** Printable bytes up to the first NUL, then only NULs. */
function cString(b: Uint8Array, at: number, length: number): boolean {
  let end = at;
  while (end < at + length && b[end] !== 0) {
    const c = b[end]!;
    if (c < 0x20 || c === 0x7f) return false;
    end++;
  }
  for (let i = end; i < at + length; i++) if (b[i] !== 0) return false;
  return true;
}

export const lastlogDetector = defineDetector({
  meta: {
    id: 'lastlog',
    version: '1.0.0',
    title: 'Linux last-login log (/var/log/lastlog)',
    formats: [{ id: 'lastlog', name: 'Linux last-login log (lastlog)', status: 'opaque', how: 'structure' }],
  },
  minSize: RECORD,
  priority: 30,
  detect(probe): Detection | undefined {
    if (!NAME.test(probe.name) || probe.size % RECORD !== 0) return undefined;
    const h = probe.head;
    let dated = 0;
    let read = 0;
    for (let at = 0; at + RECORD <= h.length; at += RECORD, read++) {
      const time = u32le(h, at)!;
      if (time !== 0 && (time < FIRST_TIME || time >= LAST_TIME)) return undefined;
      if (!cString(h, at + 4, 32) || !cString(h, at + 36, 256)) return undefined;
      if (time !== 0) dated++;
    }
    if (dated === 0) return undefined;
    const slots = probe.size / RECORD;
    return plain('opaque', {
      id: 'lastlog',
      name: 'Linux last-login log (lastlog)',
      confidence: 0.85,
      code: 'LASTLOG_RECORDS',
      message: `Linux last-login log: named lastlog, ${slots} records of ${RECORD} bytes (one per user id); the ${read} read hold a time of 0 or 1980-2100 and NUL-padded printable line and host fields, ${dated} of them a login: read by lastlog(8), not encrypted.`,
      figures: { records: slots, read, dated },
    });
  },
});
