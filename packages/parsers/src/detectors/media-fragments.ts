/**
 * Pieces of media streams that begin anywhere: what a player's cache keeps
 * (ExoPlayer's `.exo` spans, a byte range of a video at a time), carved or
 * cut files, a stream captured mid-way. No magic number is at the start, and
 * compressed video reads as random bytes, so without this the statistics
 * call them ciphertext. What gives them away is a chain of frames or packets,
 * each where the one before says, from some offset in the bytes read:
 *
 * - MPEG transport stream packets: the sync byte 0x47 every 188 bytes (192
 *   for BDAV/M2TS, 204 with Reed-Solomon parity), at least 16 in a row. A
 *   packet's transport_scrambling_control field says whether its payload is
 *   scrambled (DVB CSA, or AES under a conditional-access system).
 * - H.264/H.265 sample data as MP4 and MOV store it (ISO/IEC 14496-15): two
 *   NAL units in a row, each behind its 4-byte length, each header one the
 *   codec allows, in a window with the zero bytes and entropy of coded video.
 *   Common Encryption keeps those prefixes and headers in the clear, so such
 *   a piece is opaque (no index to play it by), not proof of clear content.
 * - MPEG audio (MP3, MP2) and ADTS (AAC) frames: each header's fields give
 *   the frame's length, at least 6 in a row with the same version, layer and
 *   sampling rate, over bytes that do not repeat with a short period (in a
 *   pattern, a header that fits it chains by construction).
 * - Matroska/WebM clusters: SimpleBlock and BlockGroup elements, each an
 *   EBML ID and size where the one before ends, 4 in a row.
 * - Ogg pages (Opus voice notes, Vorbis, FLAC in Ogg): "OggS", version 0,
 *   the page length from its segment table leading to the next page of the
 *   same stream serial with the next sequence number; or one whole page
 *   whose CRC-32 checks (a span holding a single page).
 * - FLAC frames: two frame headers (sync 0xFFF8/0xFFF9, fields in their
 *   defined ranges, the CRC-8 that ends each header correct) with the same
 *   block size, rate and channel fields and consecutive frame numbers.
 *
 * Packet, frame and block chains of those lengths arise by chance in random
 * bytes far less often than once in 2^40 files; two NAL units about once in
 * 50,000 (none in 100,000 random probes), which is why that answer ranks
 * lowest. The windows are the probe's head, middle samples and tail.
 * References: ISO/IEC 13818-1 §2.4.3.2 (transport packet header); ISO/IEC
 * 14496-15 §5.3.2 (length-prefixed NAL units); ITU-T H.264 §7.3.1, H.265
 * §7.3.1.2 (NAL unit header); ISO/IEC 11172-3 §2.4.2.3 and 13818-3 (audio
 * frame header); ISO/IEC 13818-7 §6.2 (ADTS header); RFC 8794 §4 (EBML
 * variable-size integers), RFC 9559 §5.1.3 and §10.2 (Cluster, SimpleBlock);
 * RFC 3533 §6 (Ogg page header); RFC 9639 §9.1 (FLAC frame header, CRC-8).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { byteHistogram, shannonEntropy } from '@evtriage/core/helpers';
import { mpegFrameAt } from './mpeg-audio.js';
import { tsRun } from './mpeg-ts.js';
import { indexOf, locked, plain, probeWindows, u32be, u32le } from './util.js';

const TS_STRIDES = [188, 192, 204];
const TS_MIN_PACKETS = 16;
/** The longest NAL unit taken (a 4K key frame is a few MiB at most): it bounds the chance a random length fits. */
const NAL_MAX_BYTES = 4 * 1024 * 1024;
const AUDIO_MIN_FRAMES = 6;
/** Matroska blocks in a row (each a one-byte ID, a size that fits, a track number up to 16, clear reserved flags). */
const BLOCK_MIN = 4;
const CONFIDENCE = 0.7;
/** The weakest of these: above the statistics' random verdicts (0.65 at most), below any libmagic recognition. */
const NAL_CONFIDENCE = 0.66;

/**
 * Whether the packets' continuity counters advance as a stream's do (ISO/IEC 13818-1 §2.4.3.3): from one
 * payload packet of a PID to its next, the counter goes up by one (mod 16), or stays once for a duplicate.
 * Null packets (PID 0x1FFF) have no counter that counts. Passes when at least half the same-PID steps advance.
 */
function countersAdvance(b: Uint8Array, first: number, stride: number, packets: number): boolean {
  const last = new Map<number, number>();
  let steps = 0;
  let advancing = 0;
  for (let i = 0, p = first; i < packets; i++, p += stride) {
    const flags = b[p + 3]!;
    const pid = ((b[p + 1]! & 0x1f) << 8) | b[p + 2]!;
    if (pid === 0x1fff || !(flags & 0x10)) continue;
    const counter = flags & 0x0f;
    const before = last.get(pid);
    if (before !== undefined) {
      steps++;
      if (counter === ((before + 1) & 0x0f)) advancing++;
    }
    last.set(pid, counter);
  }
  return advancing * 2 >= steps;
}

/**
 * Bytes that repeat with a period dividing the stride (a dm-verity tree's hashes of empty blocks, a fill
 * pattern) put 0x47 at every stride, but every "packet" is the same: a real stream's packets differ in their
 * counters or, adaptation-only, in the clock they carry; only null packets (PID 0x1FFF) repeat whole.
 */
function packetsVary(b: Uint8Array, first: number, stride: number, packets: number): boolean {
  if ((((b[first + 1]! & 0x1f) << 8) | b[first + 2]!) === 0x1fff) return true;
  const one = b.subarray(first, first + stride);
  for (let i = 1, p = first + stride; i < packets && p + stride <= b.length; i++, p += stride)
    if (b.subarray(p, p + stride).some((v, k) => v !== one[k])) return true;
  return false;
}

const streamLike = (b: Uint8Array, first: number, stride: number, packets: number): boolean =>
  packetsVary(b, first, stride, packets) && countersAdvance(b, first, stride, packets);

/** Transport stream packets in `b`: the stride and first sync offset, and how many packets are scrambled. */
function tsPackets(b: Uint8Array): { stride: number; offset: number; packets: number; scrambled: number } | undefined {
  for (const stride of TS_STRIDES) {
    if (b.length < stride * TS_MIN_PACKETS) continue;
    for (let o = 0; o < stride; o++) {
      if (b[o] !== 0x47) continue;
      // Every packet whose 4-byte header the window holds.
      const run = tsRun(b, o, stride, b.length - 3);
      if (run.synced && run.packets >= TS_MIN_PACKETS && streamLike(b, o, stride, run.packets))
        return { stride, offset: o, packets: run.packets, scrambled: run.payload > 0 ? run.scrambled : 0 };
    }
  }
  return undefined;
}

export type Codec = 'h264' | 'hevc';

/** The formats of video samples found without their container, by codec, and of WebM cluster blocks (also media-samples.ts). */
export const SAMPLES_FORMAT: Record<Codec, { id: string; name: string }> = {
  h264: { id: 'avc-samples', name: 'H.264 video samples without their container' },
  hevc: { id: 'hevc-samples', name: 'H.265 video samples without their container' },
};
export const WEBM_BLOCKS = { id: 'webm-blocks', name: 'Matroska/WebM cluster blocks without their header' } as const;

/**
 * The share of byte values (H.265: byte pairs) nalHeaderFits accepts: what a record that is not a NAL unit passes
 * by chance. H.264: 38 of 256 first bytes; H.265: 41 of 256 first bytes times 7 of 256 second bytes.
 */
export const NAL_HEADER_PASS_RATE: Record<Codec, number> = { h264: 38 / 256, hevc: (41 / 256) * (7 / 256) };

export function nalHeaderFits(codec: Codec, b: Uint8Array, at: number): boolean {
  const b0 = b[at];
  if (b0 === undefined || b0 & 0x80) return false;
  if (codec === 'hevc') {
    const b1 = b[at + 1];
    if (b1 === undefined) return false;
    const type = (b0 >> 1) & 0x3f;
    const layer = ((b0 & 1) << 5) | (b1 >> 3);
    return type <= 40 && layer === 0 && (b1 & 7) !== 0;
  }
  const type = b0 & 0x1f;
  const ref = b0 >> 5;
  // What MP4 samples hold: coded slices (1-5), SEI, parameter sets, delimiters; each with the nal_ref_idc it requires.
  if (type === 0 || type > 20 || (type >= 13 && type <= 18)) return false;
  if (type === 6 || type === 9 || type === 10 || type === 11 || type === 12) return ref === 0;
  if (type === 5 || type === 7 || type === 8) return ref !== 0;
  return true;
}

/**
 * Offsets p in `b` where 00 00 is followed by 00, 01 or 02: bytes no NAL unit holds, since the encoder inserts
 * an emulation prevention byte 03 before them (H.264 §7.4.1, H.265 §7.4.2; MP4 keeps units in this form). Clear
 * framing fields (a record's own 4-byte length, small big-endian integers) have them; ciphertext and coded video
 * have one in 5.6 million offsets.
 */
function forbiddenTriples(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = b.indexOf(0); p >= 0 && p + 2 < b.length; p = b.indexOf(0, p + 1))
    if (b[p + 1] === 0 && b[p + 2]! <= 2) out.push(p);
  return out;
}

/** Whether a sorted list holds a value v with from <= v and v + 2 < to. */
function anyTripleWithin(sorted: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! + 2 < to;
}

/** Per-offset tables for nalRuns, kept between calls (zero outside a call) so a window costs its zero bytes only. */
let scratch: { landed: Uint8Array; units: Int32Array; ends: Int32Array } | undefined;

function scratchFor(n: number): NonNullable<typeof scratch> {
  if (!scratch || scratch.units.length < n + 1)
    scratch = { landed: new Uint8Array(n + 1), units: new Int32Array(n + 1), ends: new Int32Array(n + 1) };
  return scratch;
}

/** What the NAL unit chains of one codec cover in a window: see nalRuns. */
export interface NalRuns {
  codec: Codec;
  /** Chains of two units or more, and the units in them. */
  chains: number;
  units: number;
  /** Bytes of the window those chains span (the last unit of a chain up to the window's end). */
  covered: number;
  /** Whether a chain runs to the window's end (its last unit ends past it, or the file's end cuts it). */
  reachesEnd: boolean;
  /**
   * Signs of records rather than samples: chains that begin or end inside the window where other length-prefixed
   * records go on, and chains whose units all begin with the same four bytes. See nalRuns.
   */
  recordSigns: number;
  /** The longest chain: its units and the file offset of its first. */
  longestRun: number;
  offset: number;
}

/**
 * The chains of length-prefixed NAL units in `b` (at `windowAt` in a file of `size` bytes): each unit's 4-byte
 * length within the file and 4 MiB, its header one the codec allows, its bytes in the window free of what
 * emulation prevention forbids, the next unit where it ends. Chains of two units or more are followed left to
 * right without overlap; the codec whose chains cover more of the window is returned.
 *
 * Any structure of records behind 4-byte big-endian lengths (TLV fields, per-record ciphertext, as YAPET and
 * password managers write them) chains by its lengths as well, and a record's first byte passes the H.264
 * header check by chance 38 times in 256 (NAL_HEADER_PASS_RATE: 0.148; H.265 0.0044): YAPET's first two records
 * did. So more is counted. `covered`: sample data as MP4 stores it is units end to end, and chains spanning
 * half a window of such records need every record over that half to pass (0.148^16 = 5e-14 for 512-byte
 * records in 8 KiB). `recordSigns`: a chain of such records begins where an earlier record's length leads and
 * stops at a record whose header failed but whose length, and the next one's, still fit; where video samples
 * begin and stop, the bytes around them (the unit cut at the window's start, another track's chunk, the end
 * of mdat) hold no such lengths (a length leading exactly to a given offset: about one window in 2^18). Records
 * whose every first byte passes are those that begin with a constant tag or name ("A2_…"): all of a chain's
 * units but the first beginning with the same four bytes (three or more) is the third sign.
 * Linear in `b`: each offset's chain is taken from the offset its unit ends at.
 */
export function nalRuns(b: Uint8Array, windowAt: number, size: number): NalRuns | undefined {
  const n = b.length;
  // A length that fits the file has a zero first byte unless the file reaches 16 MiB: only those offsets start units.
  const small = size < 2 ** 24;
  const starts: number[] = [];
  if (small) for (let o = b.indexOf(0); o >= 0 && o + 5 <= n; o = b.indexOf(0, o + 1)) starts.push(o);
  else for (let o = 0; o + 5 <= n; o++) starts.push(o);
  if (starts.length === 0) return undefined;
  const lengthFits = (at: number): number => {
    const len = at + 4 <= n ? u32be(b, at)! : 0;
    return len >= 2 && len <= NAL_MAX_BYTES && windowAt + at + 4 + len <= size ? len : 0;
  };
  const cutsFileEnd = (at: number): boolean => {
    const len = u32be(b, at)!;
    return windowAt + n === size && len >= 2 && len <= NAL_MAX_BYTES && windowAt + at + 4 + len > size;
  };
  // A record behind a length that fits, ending at the file's end or before another length that fits.
  const recordAt = (at: number): boolean => {
    const len = lengthFits(at);
    return len > 0 && (windowAt + at + 4 + len === size || lengthFits(at + 4 + len) > 0);
  };
  // Whether the `count` units from `o` begin with the same four bytes, all but the first (which a chance length
  // inside the record before may have begun): a record's tag or name. Video units differ there (a slice header's
  // frame number and picture order count change from picture to picture).
  const oneTag = (o: number, count: number): boolean => {
    let at = o + 4 + u32be(b, o)!;
    const tag = at;
    let compared = 0;
    for (let k = 1; k < count && at + 8 <= n; k++) {
      for (let i = 4; i < 8; i++) if (b[at + i] !== b[tag + i]) return false;
      compared++;
      at += 4 + u32be(b, at)!;
    }
    return compared >= 2;
  };
  // Offsets some length in the window leads to exactly.
  const { landed, units, ends } = scratchFor(n);
  const targets: number[] = [];
  for (const q of starts) {
    const len = lengthFits(q);
    if (len > 0 && q + 4 + len <= n) targets.push(q + 4 + len);
  }
  for (const t of targets) landed[t] = 1;
  const forbidden = forbiddenTriples(b);
  let best: NalRuns | undefined;
  for (const codec of ['h264', 'hevc'] as const) {
    for (const o of starts) units[o] = ends[o] = 0; // only start offsets are ever set
    for (let i = starts.length - 1; i >= 0; i--) {
      const o = starts[i]!;
      const len = lengthFits(o);
      // A unit the file's end cuts (a cache span or carved piece stops mid-sample) lets the chain before it reach
      // the end; it is not counted as a unit, since only its first bytes are checked.
      const cut = len === 0 && cutsFileEnd(o);
      if ((len === 0 && !cut) || !nalHeaderFits(codec, b, o + 4)) continue;
      const next = cut ? n : o + 4 + len;
      if (anyTripleWithin(forbidden, o + 4, Math.min(next, n))) continue;
      if (cut) {
        ends[o] = n;
        continue;
      }
      // The last unit's end lies past the window: it fits the file, which is all that can be checked.
      const goesOn = next + 6 <= n && ends[next]! > 0;
      units[o] = 1 + (goesOn ? units[next]! : 0);
      ends[o] = goesOn ? ends[next]! : Math.min(next, n);
    }
    const runs: NalRuns = {
      codec,
      chains: 0,
      units: 0,
      covered: 0,
      reachesEnd: false,
      recordSigns: 0,
      longestRun: 0,
      offset: -1,
    };
    let free = 0; // the end of the last chain counted
    for (const o of starts) {
      if (o < free || units[o]! < 2) continue;
      const end = ends[o]!;
      free = end;
      if (units[o]! > runs.longestRun) {
        runs.longestRun = units[o]!;
        runs.offset = windowAt + o;
      }
      runs.chains++;
      runs.units += units[o]!;
      runs.covered += end - o;
      if (end + 6 > n) runs.reachesEnd = true;
      else if (recordAt(end)) runs.recordSigns++;
      if (landed[o]) runs.recordSigns++;
      if (oneTag(o, units[o]!)) runs.recordSigns++;
    }
    if (runs.units > 0 && (!best || runs.covered > best.covered)) best = runs;
  }
  for (const t of targets) landed[t] = 0;
  for (const o of starts) units[o] = ends[o] = 0;
  return best;
}

/** Chains a 16 KiB window of video interleaved with audio holds at least (one per chunk of video samples). */
const CHAINS_PER_16K = 3;

/**
 * Whether NAL unit chains are sample data rather than records that chain by chance: no more than one sign of
 * records for four chains (a chance edge in video), and the chains span half the window,
 * or a quarter when one runs to its end (a window that begins inside a key frame), or are three or more in
 * each 16 KiB (video interleaved with audio chunk by chunk: each chunk a chain, the audio between them).
 */
export function samplesLike(runs: NalRuns, windowBytes: number): boolean {
  if (runs.recordSigns * 4 > runs.chains) return false;
  const interleaved = runs.chains >= Math.max(CHAINS_PER_16K, (CHAINS_PER_16K * windowBytes) / 16384);
  return runs.covered * (runs.reachesEnd ? 4 : 2) >= windowBytes || interleaved;
}

/** An EBML variable-length integer at `at`: its value and length, or undefined (RFC 8794 §4). */
function vint(b: Uint8Array, at: number): { value: number; length: number } | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > b.length || length > 7) return undefined;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + b[at + i]!;
  return { value, length };
}

/** Cluster children a block chain may pass through: Timestamp, PrevSize, Position, Void, BlockGroup. */
const CLUSTER_CHILDREN = new Set([0xe7, 0xab, 0xa7, 0xec, 0xa0]);
const CLUSTER_ID = [0x1f, 0x43, 0xb6, 0x75];
/** Other elements taken between two blocks (a cluster's header, timestamp, position, a void). */
const MAX_BETWEEN_BLOCKS = 4;

/**
 * The first run of Matroska/WebM cluster elements in `b` (RFC 9559 §5.1.3) with `enough` blocks or more,
 * each element where the one before ends, counting SimpleBlocks (0xA3: a small track number, the
 * reserved flag bits clear) and BlockGroups; a Cluster header is stepped into, as its children follow it.
 */
export function blockChain(
  b: Uint8Array,
  windowAt: number,
  size: number,
  enough = BLOCK_MIN,
): { blocks: number; offset: number } | undefined {
  for (let o = b.indexOf(0xa3); o >= 0; o = b.indexOf(0xa3, o + 1)) {
    let at = o;
    let blocks = 0;
    // Clusters hold a timestamp and now and then a void between blocks: a longer run of other elements is no
    // cluster, and the bound keeps the search linear however the bytes are made.
    let sinceBlock = 0;
    while (at + 8 <= b.length && sinceBlock <= MAX_BETWEEN_BLOCKS) {
      const cluster = CLUSTER_ID.every((x, i) => b[at + i] === x);
      const idLength = cluster ? 4 : 1;
      const id = b[at]!;
      if (!cluster && id !== 0xa3 && !CLUSTER_CHILDREN.has(id)) break;
      const len = vint(b, at + idLength);
      if (!len || windowAt + at + idLength + len.length + len.value > size) break;
      const body = at + idLength + len.length;
      if (cluster) {
        at = body;
        sinceBlock++;
        continue;
      }
      if (id === 0xa3) {
        const track = vint(b, body);
        if (!track || track.value === 0 || track.value > 16 || ((b[body + track.length + 2] ?? 0) & 0x70) !== 0) break;
      }
      if (id === 0xa3 || id === 0xa0) {
        blocks++;
        sinceBlock = 0;
      } else sinceBlock++;
      at = body + len.value;
    }
    if (blocks >= enough) return { blocks, offset: windowAt + o };
  }
  return undefined;
}

/** The first two Ogg pages in a row in `b`: same serial, consecutive sequence numbers (RFC 3533 §6). */
export function oggChain(b: Uint8Array): { pages: number; offset: number; serial: number } | undefined {
  const pageAt = (at: number) => {
    if (at + 27 > b.length || b[at] !== 0x4f || b[at + 1] !== 0x67 || b[at + 2] !== 0x67 || b[at + 3] !== 0x53)
      return undefined;
    if (b[at + 4] !== 0 || b[at + 5]! > 7) return undefined;
    const segments = b[at + 26]!;
    if (at + 27 + segments > b.length) return undefined;
    let length = 27 + segments;
    for (let i = 0; i < segments; i++) length += b[at + 27 + i]!;
    return { length, serial: u32le(b, at + 14)!, sequence: u32le(b, at + 18)! };
  };
  for (let o = indexOf(b, 'OggS'); o >= 0; o = indexOf(b, 'OggS', o + 1)) {
    const first = pageAt(o);
    if (!first) continue;
    let pages = 1;
    let prev = first;
    let end = o + first.length;
    for (let next = pageAt(end); next; next = pageAt(end)) {
      if (next.serial !== first.serial || next.sequence !== (prev.sequence + 1) >>> 0) break;
      pages++;
      end += next.length;
      prev = next;
    }
    // One page (a short span, the last page of a file) is believed when its CRC-32 checks.
    if (pages >= 2 || (end <= b.length && oggCrcOk(b, o, end))) return { pages, offset: o, serial: first.serial };
  }
  return undefined;
}

let oggTable: Uint32Array | undefined;

/** Whether the Ogg page at from..to carries its own CRC-32 (polynomial 0x04C11DB7, unreflected, its field as zero). */
function oggCrcOk(b: Uint8Array, from: number, to: number): boolean {
  if (!oggTable) {
    oggTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let r = i << 24;
      for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
      oggTable[i] = r >>> 0;
    }
  }
  let crc = 0;
  for (let i = from; i < to; i++) {
    const byte = i >= from + 22 && i < from + 26 ? 0 : b[i]!;
    crc = ((crc << 8) ^ oggTable[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc === u32le(b, from + 22);
}

/** CRC-8 with polynomial 0x07 (the FLAC frame header's). */
function crc8(b: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= b[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** A FLAC frame header at `at` whose CRC-8 checks: its fixed fields as a key and its coded frame/sample number. */
function flacHeaderAt(b: Uint8Array, at: number): { key: number; number: number } | undefined {
  if (b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8 || at + 6 > b.length) return undefined;
  const sizeCode = b[at + 2]! >> 4;
  const rateCode = b[at + 2]! & 0x0f;
  const channels = b[at + 3]! >> 4;
  if (sizeCode === 0 || rateCode === 15 || channels > 10 || b[at + 3]! & 1) return undefined;
  // The frame or sample number, coded like UTF-8 in 1 to 7 bytes.
  const lead = b[at + 4]!;
  const extra = lead < 0x80 ? 0 : lead >= 0xc0 && lead < 0xfe ? Math.clz32(~(lead << 24)) - 1 : -1;
  if (extra < 0 || at + 5 + extra > b.length) return undefined;
  let number = extra === 0 ? lead : lead & (0x3f >> extra);
  for (let i = 1; i <= extra; i++) {
    const c = b[at + 4 + i]!;
    if ((c & 0xc0) !== 0x80) return undefined;
    number = number * 64 + (c & 0x3f);
  }
  let end = at + 5 + extra;
  end += sizeCode === 6 ? 1 : sizeCode === 7 ? 2 : 0;
  end += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (end >= b.length || crc8(b, at, end) !== b[end]) return undefined;
  return { key: (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!, number };
}

/** FLAC frame headers in `b` (CRC-8 correct) where two in a row have the same fields and consecutive frame numbers. */
export function flacFrames(b: Uint8Array): { frames: number; offset: number } | undefined {
  let prev: { key: number; number: number; at: number } | undefined;
  let first = -1;
  let frames = 0;
  for (let o = b.indexOf(0xff); o >= 0; o = b.indexOf(0xff, o + 1)) {
    if ((b[o + 1]! & 0xfe) !== 0xf8) continue; // the sync's last bits first: one 0xFF in 128 gets further
    const h = flacHeaderAt(b, o);
    if (!h) continue;
    // A fixed-blocksize stream numbers frames (0xF8); a variable one numbers samples, so only the order is checked.
    const follows =
      prev && h.key === prev.key && (b[o + 1] === 0xf8 ? h.number === prev.number + 1 : h.number > prev.number);
    if (follows) {
      if (frames === 0) first = prev!.at;
      frames = frames === 0 ? 2 : frames + 1;
    } else if (frames >= 2) break;
    prev = { ...h, at: o };
  }
  return frames >= 2 ? { frames, offset: first } : undefined;
}

interface AudioFrame {
  key: string;
  length: number;
}

/** An MPEG audio frame header at `at`, keyed by what must stay the same along a stream. */
function mpegAudioFrame(b: Uint8Array, at: number): AudioFrame | undefined {
  const f = mpegFrameAt(b, at);
  return f && { key: `mpeg-${f.version}-${f.layer}-${f.sampleRate}`, length: f.length };
}

/** An ADTS header at `at` (ISO/IEC 13818-7 §6.2): sync, layer 0, a sampling index in range, a frame length. */
function adtsFrame(b: Uint8Array, at: number): AudioFrame | undefined {
  if (b[at] !== 0xff || (b[at + 1]! & 0xf6) !== 0xf0 || at + 7 > b.length) return undefined;
  const rateIndex = (b[at + 2]! >> 2) & 0xf;
  if (rateIndex > 12) return undefined;
  const length = ((b[at + 3]! & 3) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5);
  const header = b[at + 1]! & 1 ? 7 : 9;
  if (length <= header) return undefined;
  return { key: `adts-${b[at + 2]! >> 6}-${rateIndex}-${((b[at + 2]! & 1) << 2) | (b[at + 3]! >> 6)}`, length };
}

function audioChain(
  b: Uint8Array,
  read: (b: Uint8Array, at: number) => AudioFrame | undefined,
): { frames: number; offset: number } | undefined {
  for (let o = b.indexOf(0xff); o >= 0 && o + 4 <= b.length; o = b.indexOf(0xff, o + 1)) {
    const first = read(b, o);
    if (!first) continue;
    let frames = 1;
    let at = o + first.length;
    while (at + 4 <= b.length) {
      const f = read(b, at);
      if (!f || f.key !== first.key) break;
      frames++;
      at += f.length;
    }
    if (frames >= AUDIO_MIN_FRAMES && !shortPeriod(b, o, at)) return { frames, offset: o };
  }
  return undefined;
}

/** The longest period a pattern is tested for, and how much of a chain's span is compared. */
const MAX_PERIOD = 64;
const PERIOD_SPAN = 2048;

/**
 * Whether bytes from..to mostly repeat with a period of at most 64 bytes (half of them or more equal to the
 * byte that distance before; rows of pixels change the pattern now and then): raw pixels, fills and tables,
 * where a header that fits the pattern chains by construction (ImageMagick's raw RGBA gradients held 6 and 11
 * "MPEG audio frames", 85 % of their bytes equal to the one 8 before). Coded audio repeats a byte that
 * distance before about once in 256.
 */
function shortPeriod(b: Uint8Array, from: number, to: number): boolean {
  const end = Math.min(to, b.length, from + PERIOD_SPAN);
  for (let p = 1; p <= MAX_PERIOD && from + 2 * p < end; p++) {
    const allowed = (end - from - p) / 2;
    let differ = 0;
    for (let i = from + p; i < end && differ <= allowed; i++) if (b[i] !== b[i - p]) differ++;
    if (differ <= allowed) return true;
  }
  return false;
}

/** At most one byte in 64 is zero (random bytes: one in 256; coded video, with its length prefixes, about as few). */
function fewZeros(b: Uint8Array): boolean {
  const limit = b.length / 64;
  let zeros = 0;
  for (let at = b.indexOf(0); at >= 0; at = b.indexOf(0, at + 1)) if (++zeros > limit) return false;
  return true;
}

/** Coded video reads as random bytes (7.9+ bits a byte); text-heavy binaries with few zeros do not. */
const VIDEO_MIN_ENTROPY = 7.5;

function codedLooking(b: Uint8Array): boolean {
  const { counts, total } = byteHistogram([b]);
  return shannonEntropy(counts, total) >= VIDEO_MIN_ENTROPY;
}

const OGG_PAGES = { id: 'ogg-pages', name: 'Ogg pages without the stream start (Opus, Vorbis, FLAC in Ogg)' };
const FLAC_FRAMES = { id: 'flac-frames', name: 'FLAC frames without the stream header' };

export const mediaFragmentsDetector = defineDetector({
  meta: {
    id: 'media-fragments',
    version: '1.0.0',
    title: 'Pieces of media streams (player caches, cut or carved files) by their chains of packets and frames',
    formats: [
      { id: 'mts', name: 'MPEG transport stream', status: 'analysable', how: 'structure', mime: 'video/mp2t' },
      {
        id: 'mpeg-ts-scrambled',
        name: 'MPEG transport stream with scrambled payloads',
        status: 'encrypted',
        how: 'header-field',
        mime: 'video/mp2t',
      },
      { ...SAMPLES_FORMAT.h264, status: 'opaque', how: 'structure' },
      { ...SAMPLES_FORMAT.hevc, status: 'opaque', how: 'structure' },
      { id: 'mp3', name: 'MPEG audio frames', status: 'analysable', how: 'structure', mime: 'audio/mpeg' },
      { ...WEBM_BLOCKS, status: 'analysable', how: 'structure' },
      { id: 'aac', name: 'AAC audio in ADTS frames', status: 'analysable', how: 'structure', mime: 'audio/aac' },
      { ...OGG_PAGES, status: 'analysable', how: 'structure', mime: 'audio/ogg' },
      { ...FLAC_FRAMES, status: 'analysable', how: 'structure', mime: 'audio/flac' },
    ],
  },
  fallback: true,
  minSize: 188 * TS_MIN_PACKETS,
  priority: 80,
  detect(probe): Detection | undefined {
    const ws = probeWindows(probe);
    for (const w of ws) {
      const ts = tsPackets(w.bytes);
      if (!ts) continue;
      const where = `${ts.packets} packets of ${ts.stride} bytes from offset ${w.at + ts.offset}`;
      const figures = { stride: ts.stride, packets: ts.packets, firstSync: w.at + ts.offset, scrambled: ts.scrambled };
      if (ts.scrambled * 2 > ts.packets)
        return locked({
          id: 'mpeg-ts-scrambled',
          name: 'MPEG transport stream with scrambled payloads',
          mime: 'video/mp2t',
          confidence: 0.85,
          code: 'TS_SCRAMBLED',
          message: `MPEG transport stream, ${where}; ${ts.scrambled} carry transport_scrambling_control set: their payloads are scrambled.`,
          figures,
          scheme: 'mpeg-ts-scrambling',
          scope: 'partial',
          keyHint: {
            description:
              "The control words of the broadcaster's or service's conditional-access system (DVB CSA or AES), delivered to the receiver, not a password.",
            kind: 'unknown',
            present: 'unknown',
          },
        });
      return plain('analysable', {
        id: 'mts',
        name: 'MPEG transport stream',
        mime: 'video/mp2t',
        confidence: 0.8,
        code: 'TS_PACKET_CHAIN',
        message: `MPEG transport stream: sync byte 0x47 at each of ${where}, a piece of a stream that players read as it is.`,
        figures,
      });
    }
    for (const w of ws) {
      for (const [read, id, name, label] of [
        [mpegAudioFrame, 'mp3', 'MPEG audio frames', 'MPEG audio'],
        [adtsFrame, 'aac', 'AAC audio in ADTS frames', 'ADTS (AAC)'],
      ] as const) {
        const chain = audioChain(w.bytes, read);
        if (!chain) continue;
        return plain('analysable', {
          id,
          name,
          confidence: CONFIDENCE,
          code: 'AUDIO_FRAME_CHAIN',
          message: `${chain.frames} ${label} frames in a row from offset ${w.at + chain.offset}, each where the header before it says: audio that decoders read from any frame.`,
          figures: { frames: chain.frames, firstFrame: w.at + chain.offset },
        });
      }
    }
    for (const w of ws) {
      const ogg = oggChain(w.bytes);
      if (ogg)
        return plain('analysable', {
          ...OGG_PAGES,
          confidence: CONFIDENCE,
          code: 'OGG_PAGE_CHAIN',
          message:
            ogg.pages === 1
              ? `One whole Ogg page at offset ${w.at + ogg.offset} (capture pattern "OggS", stream serial ${ogg.serial}, its length from the segment table) whose CRC-32 checks: a piece of an Ogg stream, which players read from any page.`
              : `${ogg.pages} Ogg pages in a row from offset ${w.at + ogg.offset} (capture pattern "OggS", stream serial ${ogg.serial}, consecutive sequence numbers, each length from its segment table): a piece of an Ogg stream, which players read from any page.`,
          figures: { pages: ogg.pages, firstPage: w.at + ogg.offset, serial: ogg.serial },
        });
      const flac = flacFrames(w.bytes);
      if (flac)
        return plain('analysable', {
          ...FLAC_FRAMES,
          confidence: CONFIDENCE,
          code: 'FLAC_FRAME_HEADERS',
          message: `${flac.frames} FLAC frame headers from offset ${w.at + flac.offset} with correct CRC-8s, the same block size, rate and channel fields and consecutive numbers: a piece of a FLAC stream.`,
          figures: { frames: flac.frames, firstFrame: w.at + flac.offset },
        });
    }
    for (const w of ws) {
      const chain = blockChain(w.bytes, w.at, probe.size);
      if (!chain || chain.blocks < BLOCK_MIN) continue;
      return plain('analysable', {
        ...WEBM_BLOCKS,
        confidence: CONFIDENCE,
        code: 'EBML_BLOCK_CHAIN',
        message:
          `${chain.blocks} Matroska/WebM blocks in a row from offset ${chain.offset}, each element where the one ` +
          "before it ends: a piece of a WebM or Matroska file's clusters (its header, with the codecs, is elsewhere).",
        figures: { blocks: chain.blocks, firstBlock: chain.offset },
      });
    }
    let units = 0;
    let covered = 0;
    let windowBytes = 0;
    let longest: NalRuns | undefined;
    let windowsWithChains = 0;
    for (const w of ws) {
      // Coded video has as few zero bytes as random data; structured binary (small big-endian integers) has
      // many, and lengths with a header-like byte after them turn up there by the dozen.
      if (!fewZeros(w.bytes)) continue;
      const runs = nalRuns(w.bytes, w.at, probe.size);
      if (!runs || !samplesLike(runs, w.bytes.length) || !codedLooking(w.bytes)) continue;
      windowsWithChains++;
      units += runs.units;
      covered += runs.covered;
      windowBytes += w.bytes.length;
      if (!longest || runs.longestRun > longest.longestRun) longest = runs;
    }
    if (!longest) return undefined;
    const hevc = longest.codec === 'hevc';
    const passRate = NAL_HEADER_PASS_RATE[longest.codec];
    return plain('opaque', {
      ...SAMPLES_FORMAT[longest.codec],
      confidence: NAL_CONFIDENCE,
      code: 'NAL_LENGTH_CHAIN',
      message:
        `${units} ${hevc ? 'H.265' : 'H.264'} NAL units, each behind its 4-byte length, in ${windowsWithChains} of the ` +
        `${ws.length} windows read, their chains spanning ${covered} of those windows' ${windowBytes} bytes (the ` +
        `longest run ${longest.longestRun} from offset ${longest.offset}): video samples as MP4 and MOV store them, ` +
        'without the index that plays them. Records behind 4-byte lengths would pass the header checks of all these ' +
        `units ${passRate.toFixed(4)}^${units} of the time. Not ciphertext; Common Encryption would keep these ` +
        'lengths and headers in the clear, so a piece alone does not show whether the payloads are.',
      figures: {
        units,
        windows: windowsWithChains,
        coveredBytes: covered,
        windowBytes,
        longestRun: longest.longestRun,
        firstUnit: longest.offset,
        chanceForRecords: passRate ** units,
      },
    });
  },
});
