/**
 * Raw GNSS receiver logs: what a GPS/GNSS receiver sends down its serial or
 * USB line, saved by `cat /dev/ttyACM0`, u-center, gpsd's gpspipe -R, RTKLIB
 * str2str or a phone's GNSS-logger app. Binary protocols framed with a sync
 * word, a length and a checksum, often interleaved with NMEA 0183 sentences:
 * u-blox UBX, RTCM 3 (the correction standard), SiRF binary and SkyTraq
 * binary. No magic at offset 0 (a capture starts wherever the line was
 * opened, mid-frame or after a note), so they were opaque `binary-unknown`,
 * and a log of high-rate RTCM 3 observations, whose payloads are packed bit
 * fields, was "compressed". Here frames are walked from the first place two
 * of them chain, every checksum is checked, and the frames (with any NMEA
 * sentences between them) must cover nearly all the bytes walked. gpsd's
 * gpsdecode, RTKLIB's convbin and pyubx2 read them without a secret:
 * analysable, named by the protocol that carries the most bytes.
 * References: u-blox M8 Receiver Description (UBX frame, 8-bit Fletcher
 * checksum); RTCM 10403.3 (transport layer: 0xD3, 6 reserved bits, 10-bit
 * length, CRC-24Q); SiRF Binary Protocol Reference Manual 2.4 (0xA0A2,
 * 15-bit length, 15-bit sum, 0xB0B3); SkyTraq AN0037 (0xA0A1, 16-bit length,
 * XOR checksum, CR LF); NMEA 0183 (`$`/`!` … `*hh` CR LF).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

type Protocol = 'ubx' | 'rtcm3' | 'sirf' | 'skytraq' | 'nmea';

/** Where a capture may start: a line opened mid-frame, or a note written before the bytes (gpsd's test logs). */
const MAX_LEAD = 2048;
/** Enough frames to judge by: the walk stops here. */
const WINDOW = 64 * 1024;
/** Checked binary frames needed: one checksum can match by chance, several in a chain cannot. */
const MIN_FRAMES = 4;
/** Or frames and sentences together, one binary frame at least (NMEA with the odd UBX frame; NMEA alone is text). */
const MIN_MIXED = 8;
/** Bytes between frames (line noise, a cut sentence) allowed, as a share of the bytes walked. */
const MAX_JUNK = 0.05;

const FORMATS: Record<Exclude<Protocol, 'nmea'>, { id: string; name: string; extensions: string[] }> = {
  ubx: { id: 'ubx', name: 'u-blox UBX receiver log', extensions: ['ubx', 'log', 'bin'] },
  rtcm3: { id: 'rtcm3', name: 'RTCM 3 GNSS correction stream', extensions: ['rtcm3', 'rtcm', 'log', 'bin'] },
  sirf: { id: 'sirf-binary', name: 'SiRF binary receiver log', extensions: ['sirf', 'sbn', 'log', 'bin'] },
  skytraq: { id: 'skytraq-binary', name: 'SkyTraq binary receiver log', extensions: ['log', 'bin'] },
};

/** The length of a whole frame at `at` whose checksum holds, or 0 (-1 when the bytes end inside it). */
type Framer = (b: Uint8Array, at: number) => number;

const ubx: Framer = (b, at) => {
  if (b[at] !== 0xb5 || b[at + 1] !== 0x62) return 0;
  if (at + 6 > b.length) return -1;
  const len = b[at + 4]! | (b[at + 5]! << 8);
  const end = at + 6 + len + 2;
  if (end > b.length) return len > 8192 ? 0 : -1;
  let a = 0;
  let c = 0;
  for (let i = at + 2; i < at + 6 + len; i++) {
    a = (a + b[i]!) & 0xff;
    c = (c + a) & 0xff;
  }
  return a === b[end - 2] && c === b[end - 1] ? end - at : 0;
};

/** CRC-24Q (RTCM 3, polynomial 0x864CFB), by table. */
const CRC24Q = Array.from({ length: 256 }, (_, n) => {
  let c = n << 16;
  for (let k = 0; k < 8; k++) c = c & 0x800000 ? ((c << 1) ^ 0x864cfb) & 0xffffff : (c << 1) & 0xffffff;
  return c;
});

function crc24q(b: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffffff) ^ CRC24Q[((crc >>> 16) ^ b[i]!) & 0xff]!;
  return crc;
}

const rtcm3: Framer = (b, at) => {
  if (b[at] !== 0xd3) return 0;
  if (at + 3 > b.length) return -1;
  if (b[at + 1]! & 0xfc) return 0; // six reserved bits are zero
  const len = ((b[at + 1]! & 0x03) << 8) | b[at + 2]!;
  const end = at + 3 + len + 3;
  if (end > b.length) return -1;
  const crc = (b[end - 3]! << 16) | (b[end - 2]! << 8) | b[end - 1]!;
  return crc24q(b, at, end - 3) === crc ? end - at : 0;
};

const sirf: Framer = (b, at) => {
  if (b[at] !== 0xa0 || b[at + 1] !== 0xa2) return 0;
  if (at + 4 > b.length) return -1;
  const len = ((b[at + 2]! & 0x7f) << 8) | b[at + 3]!;
  const end = at + 4 + len + 4;
  if (end > b.length) return len > 2048 ? 0 : -1;
  if (b[end - 2] !== 0xb0 || b[end - 1] !== 0xb3) return 0;
  let sum = 0;
  for (let i = at + 4; i < at + 4 + len; i++) sum = (sum + b[i]!) & 0x7fff;
  return sum === ((b[end - 4]! << 8) | b[end - 3]!) ? end - at : 0;
};

const skytraq: Framer = (b, at) => {
  if (b[at] !== 0xa0 || b[at + 1] !== 0xa1) return 0;
  if (at + 4 > b.length) return -1;
  const len = (b[at + 2]! << 8) | b[at + 3]!;
  const end = at + 4 + len + 3;
  if (len === 0 || end > b.length) return len > 2048 ? 0 : -1;
  if (b[end - 2] !== 0x0d || b[end - 1] !== 0x0a) return 0;
  let x = 0;
  for (let i = at + 4; i < at + 4 + len; i++) x ^= b[i]!;
  return x === b[end - 3] ? end - at : 0;
};

const hex = (c: number | undefined) =>
  c === undefined ? -1 : c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : -1;

/** An NMEA sentence: `$` or `!`, printable ASCII, `*` and two hex digits of the XOR, CR LF (or LF). */
const nmea: Framer = (b, at) => {
  if (b[at] !== 0x24 && b[at] !== 0x21) return 0;
  let x = 0;
  for (let i = at + 1; i < at + 100; i++) {
    const c = b[i];
    if (c === undefined) return -1;
    if (c === 0x2a) {
      const h = hex(b[i + 1]) * 16 + hex(b[i + 2]);
      if (hex(b[i + 1]) < 0 || hex(b[i + 2]) < 0 || h !== x) return 0;
      const end = b[i + 3] === 0x0d ? i + 4 : i + 3;
      if (end >= b.length) return -1;
      return b[end] === 0x0a ? end + 1 - at : 0;
    }
    if (c < 0x20 || c > 0x7e) return 0;
    x ^= c;
  }
  return 0;
};

const FRAMERS: ReadonlyArray<[Protocol, Framer]> = [
  ['ubx', ubx],
  ['rtcm3', rtcm3],
  ['sirf', sirf],
  ['skytraq', skytraq],
  ['nmea', nmea],
];

function frameAt(b: Uint8Array, at: number): [Protocol, number] | undefined {
  for (const [p, f] of FRAMERS) {
    const n = f(b, at);
    if (n !== 0) return [p, n];
  }
  return undefined;
}

export interface GnssWalk {
  start: number;
  walked: number;
  junk: number;
  frames: Record<Protocol, number>;
  bytes: Record<Protocol, number>;
}

/** Walks the frames from the first offset where two chain; undefined when no such start. */
export function walkGnss(b: Uint8Array): GnssWalk | undefined {
  const limit = Math.min(b.length, MAX_LEAD);
  let start = -1;
  for (let i = 0; i < limit && start < 0; i++) {
    // Only a frame's or a sentence's first byte can start the chain.
    const c = b[i];
    if (c !== 0xb5 && c !== 0xd3 && c !== 0xa0 && c !== 0x24 && c !== 0x21) continue;
    const first = frameAt(b, i);
    if (!first || first[1] < 0) continue;
    const second = frameAt(b, i + first[1]);
    if (second && second[1] !== 0) start = i;
  }
  if (start < 0) return undefined;
  const zero = (): Record<Protocol, number> => ({ ubx: 0, rtcm3: 0, sirf: 0, skytraq: 0, nmea: 0 });
  const w: GnssWalk = { start, walked: 0, junk: 0, frames: zero(), bytes: zero() };
  let at = start;
  while (at < b.length) {
    const f = frameAt(b, at);
    if (f && f[1] < 0) break; // the window ends inside a frame
    if (f) {
      w.frames[f[0]]++;
      w.bytes[f[0]] += f[1];
      at += f[1];
    } else {
      w.junk++;
      at++;
    }
  }
  w.walked = at - start;
  return w;
}

export const gnssReceiverLogDetector = defineDetector({
  meta: {
    id: 'gnss-receiver-log',
    version: '1.0.0',
    title: 'Raw GNSS receiver logs (u-blox UBX, RTCM 3, SiRF and SkyTraq binary, with NMEA), every checksum checked',
    formats: Object.values(FORMATS).map((f) => ({ ...f, status: 'analysable' as const, how: 'structure' as const })),
  },
  // No magic: after the signature detectors, before libmagic's weak rules and the statistics.
  fallback: true,
  minSize: 16,
  priority: 45,
  detect(probe): Detection | undefined {
    const b = probe.head.subarray(0, WINDOW);
    const w = walkGnss(b);
    if (!w) return undefined;
    const binary = (['ubx', 'rtcm3', 'sirf', 'skytraq'] as const).filter((p) => w.frames[p] > 0);
    const checked = binary.reduce((n, p) => n + w.frames[p], 0);
    // Short files may hold fewer frames, but then all of them, to the last byte.
    const whole = probe.complete && w.start + w.walked === probe.size;
    const enough = checked >= (whole ? 2 : MIN_FRAMES) || (checked >= 1 && checked + w.frames.nmea >= MIN_MIXED);
    if (!enough || w.junk > w.walked * MAX_JUNK) return undefined;
    const main = binary.reduce((m, p) => (w.bytes[p] > w.bytes[m] ? p : m), binary[0]!);
    const format = FORMATS[main];
    const parts = [...binary, ...(w.frames.nmea ? (['nmea'] as const) : [])].map(
      (p) => `${w.frames[p]} ${p === 'nmea' ? 'NMEA sentences' : `${p.toUpperCase()} frames`}`,
    );
    return plain('analysable', {
      id: format.id,
      name: format.name,
      confidence: 0.93,
      code: 'GNSS_FRAMES',
      message: `${parts.join(', ')} with valid checksums chain from offset ${w.start} through ${w.walked} bytes (${w.junk} between frames): a raw GNSS receiver log, read by gpsd's gpsdecode and RTKLIB without a secret.`,
      details: { protocol: main, start: w.start, frames: checked, nmea: w.frames.nmea, junk: w.junk },
    });
  },
});
