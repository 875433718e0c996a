/**
 * Video exported from CCTV recorders (DVR/NVR) in their vendors' containers.
 * The coded frames look random, so without these checks an export reaches the
 * statistics and is called "compressed, opaque" or worse.
 * - Dahua `.dav`: a run of DHAV frames, each a 24-byte header ("DHAV", frame
 *   type, frame number, the frame's length, a packed date), the payload, and an
 *   8-byte trailer "dhav" + the same length. Newer exports put a 1 KiB "DAHUA"
 *   file header first. ffmpeg's dhav demuxer (since 4.3) plays them: analysable.
 *   Accepted: the magic with a frame type ffmpeg knows, a date whose fields are
 *   in range, and the frame's trailer where its length says (for a first frame
 *   longer than the probe's head: a complete frame ending the file). Or, for a
 *   file cut at the start, a trailer ending the file whose length points back
 *   at a "DHAV" header; or, with no trailer in sight (a recording cut inside a
 *   large key frame), a header whose extensions are all of types ffmpeg reads
 *   (0.8); or, for a fragment starting inside a frame, a whole frame (header
 *   to trailer) further into the head (0.85).
 * - Hikvision exports: a 40-byte media header (PlayM4's HIK_MEDIAINFO: fourcc
 *   "HKMI" written little-endian as "IMKH", version, device, system format,
 *   video and audio formats), then the stream. With system format MPEG-2 PS or
 *   TS and the stream's pack header or sync bytes after the header, ffmpeg and
 *   VLC play it (they resynchronise past the header): analysable. Other system
 *   formats (Hikvision private framing, RTP) are read by Hikvision's player
 *   only: opaque, named. No field of this header marks stream encryption, so
 *   none is claimed.
 * References: FFmpeg libavformat/dhav.c; Hikvision PlayM4 SDK header
 * (HIK_MEDIAINFO, system_format constants).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, probeBytes, startsWith, u16le, u32le } from './util.js';

const DAV = { id: 'dahua-dav', name: 'Dahua DAV video (DHAV frames)', mime: 'video/x-dhav' };
const HIK = { id: 'hikvision-media', name: 'Hikvision media export (IMKH header, MPEG stream)', mime: 'video/MP2P' };
const HIK_PRIVATE = { id: 'hikvision-media-private', name: 'Hikvision media export (IMKH header, vendor framing)' };

/** Frame types ffmpeg's demuxer takes: audio, auxiliary, video, key video. */
const DHAV_TYPES: Record<number, string> = { 0xf0: 'audio', 0xf1: 'auxiliary', 0xfc: 'video', 0xfd: 'key video' };
const DHAV_HEADER = 24;
const DAHUA_FILE_HEADER = 1024;
/** Larger than any coded frame a recorder writes (an 8K key frame is a few MiB). */
const MAX_FRAME = 64 << 20;

/** System formats of the HIK_MEDIAINFO header. */
const HIK_SYSTEMS: Record<number, string> = {
  1: 'Hikvision private',
  2: 'MPEG-2 program stream',
  3: 'MPEG-2 transport stream',
  4: 'RTP',
  5: 'MPEG-4 over RTP',
};
const HIK_HEADER = 40;

/** Sizes of the header extensions ffmpeg's demuxer knows, by type (picture size, codec and rate, audio, …). */
const DHAV_EXT_SIZES: Record<number, number> = {
  0x80: 4,
  0x81: 4,
  0x82: 8,
  0x83: 4,
  0x84: 4,
  0x85: 4,
  0x88: 8,
  0x8b: 4,
  0x8c: 8,
  0x91: 8,
  0x92: 8,
  0x93: 8,
  0x94: 4,
  0x95: 8,
  0x96: 4,
  0x9a: 8,
  0x9b: 8,
  0xa0: 4,
  0xb2: 4,
  0xb3: 8,
  0xb4: 4,
};

/** The number of extensions in the header at `h`, when it declares some and every one is a known type that fits exactly. */
function knownExtensions(h: Uint8Array): number | undefined {
  const length = h[22]!;
  const ext = h.subarray(DHAV_HEADER, DHAV_HEADER + length);
  if (length === 0 || ext.length < length) return undefined;
  let count = 0;
  for (let at = 0; at < length; count++) {
    const size = DHAV_EXT_SIZES[ext[at]!];
    if (!size) return undefined;
    at += size;
    if (at > length) return undefined;
  }
  return count;
}

/** The DHAV packed date (6 bits year-2000, 4 month, 5 day, 5 hour, 6 minute, 6 second), when every field is in range. */
function dhavDate(v: number): string | undefined {
  const [sec, min, hour] = [v & 0x3f, (v >>> 6) & 0x3f, (v >>> 12) & 0x1f];
  const [day, month, year] = [(v >>> 17) & 0x1f, (v >>> 22) & 0x0f, ((v >>> 26) & 0x3f) + 2000];
  if (sec > 59 || min > 59 || hour > 23 || day < 1 || month < 1 || month > 12) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${year}-${p(month)}-${p(day)} ${p(hour)}:${p(min)}:${p(sec)}`;
}

/** The DHAV frame header at `at` of the probe when its fields are valid, and whether its trailer was seen. */
function dhavFrame(probe: Probe, at: number) {
  const h = probeBytes(probe, at, DHAV_HEADER);
  if (!h || ascii(h, 0, 4) !== 'DHAV') return undefined;
  const withExt = probeBytes(probe, at, DHAV_HEADER + h[22]!);
  const type = DHAV_TYPES[h[4]!];
  const length = u32le(h, 12)!;
  const date = dhavDate(u32le(h, 16)!);
  if (!type || !date || length < DHAV_HEADER + 8 || length > MAX_FRAME) return undefined;
  const end = probeBytes(probe, at + length - 8, 8);
  const closed = !!end && ascii(end, 0, 4) === 'dhav' && u32le(end, 4) === length;
  const unseen = !end; // the trailer's place is past the bytes the probe holds (or past the file's end)
  const extensions = withExt ? knownExtensions(withExt) : undefined;
  return { type, length, date, closed, unseen, extensions };
}

/** The frame that ends the file, when the file's last 8 bytes are a trailer pointing back at a valid, closed header. */
function lastDhavFrame(probe: Probe) {
  const last = probeBytes(probe, probe.size - 8, 8);
  const length = last && ascii(last, 0, 4) === 'dhav' ? u32le(last, 4)! : 0;
  if (length < DHAV_HEADER + 8 || length > probe.size) return undefined;
  const frame = dhavFrame(probe, probe.size - length);
  return frame?.closed ? frame : undefined;
}

/** Headers looked at past the start: a few, as each is checked to its trailer. */
const MAX_INNER_HEADERS = 16;

/** The first whole DHAV frame (valid header, its trailer where its length says) after the start of the head. */
function innerDhavFrame(probe: Probe) {
  const bytes = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length);
  let tries = 0;
  for (let at = bytes.indexOf('DHAV', 1, 'latin1'); at > 0 && tries < MAX_INNER_HEADERS; tries++) {
    const frame = dhavFrame(probe, at);
    if (frame?.closed) return { at, frame };
    at = bytes.indexOf('DHAV', at + 4, 'latin1');
  }
  return undefined;
}

function dahua(probe: Probe): Detection | undefined {
  const start = startsWith(probe.head, 'DAHUA') ? DAHUA_FILE_HEADER : 0;
  const first = dhavFrame(probe, start);
  // A first frame larger than the head is closed by the file's last frame instead (seen in the tail).
  const last = first?.closed ? undefined : lastDhavFrame(probe);
  let frame: { type: string; length: number; date: string } | undefined;
  let where: string;
  if (first && (first.closed || last)) {
    frame = first;
    where = `${start === 0 ? 'at the start' : 'after the 1 KiB "DAHUA" file header'}, its end confirmed by ${first.closed ? 'its "dhav" trailer' : 'a complete frame ending the file'}`;
  } else if (first?.extensions && first.unseen) {
    // A first frame whose trailer is out of sight (a large key frame, or a recording cut short), with no
    // complete frame ending the file: a full header whose extensions are all of types ffmpeg reads.
    frame = first;
    where = `${start === 0 ? 'at the start' : 'after the 1 KiB "DAHUA" file header'}, its trailer out of sight${first.length > probe.size - start ? ' (the file ends inside the frame)' : ''} but its ${first.extensions} header extensions all of types ffmpeg reads`;
  } else if (!first && start === 0 && last) {
    // No frame at the start (a zeroed or cut first sector): ffmpeg finds the frames by walking the trailers back.
    frame = last;
    where = 'ending the file, its "dhav" trailer pointing back at its header';
  } else if (!first && start === 0) {
    // A fragment that starts and ends inside frames (carved): a whole frame, header to trailer, in the head.
    const inner = innerDhavFrame(probe);
    if (!inner) return undefined;
    frame = inner.frame;
    where = `whole at byte ${inner.at} (the file starts inside another frame: a fragment or carved recording; \`ffmpeg -f dhav\` scans to it)`;
  } else return undefined;
  return plain('analysable', {
    ...DAV,
    confidence: frame === first ? (first.closed || last ? 0.9 : 0.8) : frame === last ? 0.9 : 0.85,
    code: 'DHAV_FRAME',
    message: `Dahua DAV video: a DHAV ${frame.type} frame (recorded ${frame.date}, ${frame.length} bytes) ${where}; ffmpeg's dhav demuxer plays it.`,
    figures: { frameType: frame.type, frameBytes: frame.length, recorded: frame.date },
  });
}

function hikvision(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h.length < HIK_HEADER + 4 || ascii(h, 0, 4) !== 'IMKH') return undefined;
  const system = u16le(h, 8)!;
  const kind = HIK_SYSTEMS[system];
  const [channels, bits] = [h[14]!, h[15]!];
  if (!kind || channels > 8 || (bits !== 0 && bits !== 8 && bits !== 16 && bits !== 24)) return undefined;
  const video = u16le(h, 10)!;
  const figures = { systemFormat: system, videoFormat: `0x${video.toString(16).padStart(4, '0')}` };
  const pack = h[HIK_HEADER] === 0 && h[HIK_HEADER + 1] === 0 && h[HIK_HEADER + 2] === 1 && h[HIK_HEADER + 3] === 0xba;
  const sync = h[HIK_HEADER] === 0x47 && (h.length < HIK_HEADER + 189 || h[HIK_HEADER + 188] === 0x47);
  if ((system === 2 && pack) || (system === 3 && sync)) {
    return plain('analysable', {
      ...HIK,
      mime: system === 2 ? 'video/MP2P' : 'video/MP2T',
      confidence: 0.9,
      code: 'HIKVISION_MEDIA_HEADER',
      message: `Hikvision "IMKH" media header (system format ${system}, ${kind}) followed by the stream's ${system === 2 ? 'pack header' : 'sync bytes'}: ffmpeg and VLC play it past the 40-byte header; the header marks no encryption.`,
      figures,
    });
  }
  if (system === 2 || system === 3) return undefined; // says MPEG but the stream does not start: not this header
  return plain('opaque', {
    ...HIK_PRIVATE,
    confidence: 0.8,
    code: 'HIKVISION_MEDIA_HEADER',
    message: `Hikvision "IMKH" media header with system format ${system} (${kind}): the frames are in Hikvision's own framing, read by its player (VSPlayer/PlayM4), not by general tools; the header marks no encryption.`,
    figures,
  });
}

export const cctvVideoDetector = defineDetector({
  meta: {
    id: 'cctv-video',
    version: '1.0.0',
    title: 'CCTV recorder video exports (Dahua DAV, Hikvision IMKH)',
    formats: [
      { ...DAV, status: 'analysable' as const, how: 'header-field' as const, extensions: ['dav'] },
      { ...HIK, status: 'analysable' as const, how: 'header-field' as const, extensions: ['mp4', 'ps', 'h264'] },
      { ...HIK_PRIVATE, status: 'opaque' as const, how: 'header-field' as const, extensions: ['mp4', 'h264', '264'] },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'DHAV' },
    { offset: 0, ascii: 'DAHUA' },
    { offset: 0, ascii: 'IMKH' },
    { offset: 4, ascii: 'dhav', fromEnd: true },
    { offset: 1, ascii: 'DHAV', within: 16 * 1024 },
  ],
  minSize: 32,
  priority: 60,
  detect(probe): Detection | undefined {
    return hikvision(probe) ?? dahua(probe);
  },
});
