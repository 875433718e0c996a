/**
 * Frame Streams files: what name servers and resolvers write for dnstap (BIND's `dnstap-output file`,
 * Unbound, Knot, PowerDNS, CoreDNS; `fstrm_capture`), a log of every DNS query and response with client
 * addresses and times. The file opens with a control frame (an escape of four zero bytes, the frame's
 * length, the START type 2 and its fields, one a CONTENT_TYPE such as "protobuf:dnstap.Dnstap"), then
 * data frames (a non-zero 32-bit length and the payload) and, once the writer closed it, a STOP control
 * frame (escape, length 4, type 3) at the end. Accepted: the START frame whose fields fill its length
 * exactly, with a printable content type, and data frames that chain to a STOP frame ending the file, or
 * to the end of the file (a capture still being written), or out of the head of a larger file.
 * Analysable: `fstrm_dump` and `dnstap-read` read it.
 * Reference: Frame Streams Protocol (farsightsecurity/fstrm, fstrm/control.h and the protocol
 * description in its README).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const CONTROL_START = 2;
const CONTROL_STOP = 3;
const FIELD_CONTENT_TYPE = 1;
/** Control frames are short (the protocol caps them at 512 bytes). */
const MAX_CONTROL = 512;
/** Data frames walked at most. */
const MAX_FRAMES = 100_000;

interface Start {
  contentType: string;
  /** Where the first data frame starts. */
  end: number;
}

/** The START control frame at the file's start: its fields must fill its length, one a printable content type. */
function startFrame(h: Uint8Array): Start | undefined {
  if (u32be(h, 0) !== 0) return undefined;
  const length = u32be(h, 4);
  if (length === undefined || length < 4 || length > MAX_CONTROL || 8 + length > h.length) return undefined;
  if (u32be(h, 8) !== CONTROL_START) return undefined;
  const end = 8 + length;
  let at = 12;
  let contentType: string | undefined;
  while (at < end) {
    const type = u32be(h, at);
    const n = u32be(h, at + 4);
    if (type === undefined || n === undefined || at + 8 + n > end) return undefined;
    if (type === FIELD_CONTENT_TYPE) {
      const bytes = h.subarray(at + 8, at + 8 + n);
      if (n === 0 || bytes.some((c) => c < 0x20 || c > 0x7e)) return undefined;
      contentType = Buffer.from(bytes).toString('latin1');
    }
    at += 8 + n;
  }
  return at === end && contentType !== undefined ? { contentType, end } : undefined;
}

interface Frames {
  frames: number;
  /** How the walk ended: a STOP frame at the end, the end of the file, or the end of the head. */
  ending: 'stop' | 'open' | 'head';
}

function dataFrames(probe: Probe, from: number): Frames | undefined {
  const h = probe.head;
  let at = from;
  let frames = 0;
  while (frames < MAX_FRAMES) {
    if (at === probe.size) return { frames, ending: 'open' };
    const length = u32be(h, at);
    if (length === undefined) return frames > 0 && probe.size > h.length ? { frames, ending: 'head' } : undefined;
    if (length === 0) {
      // An escape: only the STOP frame that ends the file may follow data frames.
      const stop = u32be(h, at + 4) === 4 && u32be(h, at + 8) === CONTROL_STOP && at + 12 === probe.size;
      return stop ? { frames, ending: 'stop' } : undefined;
    }
    if (at + 4 + length > probe.size) return undefined;
    at += 4 + length;
    frames++;
  }
  return { frames, ending: 'head' };
}

function frameStreamsVerdict(probe: Probe): Detection | undefined {
  const start = startFrame(probe.head);
  if (!start) return undefined;
  const walk = dataFrames(probe, start.end);
  if (!walk || (walk.frames === 0 && walk.ending !== 'stop')) return undefined;
  const dnstap = start.contentType === 'protobuf:dnstap.Dnstap';
  const ending = {
    stop: 'then the STOP frame that ends the file',
    open: 'to the end of the file (no STOP frame: a capture still being written, or cut at a frame boundary)',
    head: 'as far as the head goes',
  }[walk.ending];
  return plain('analysable', {
    id: 'frame-streams',
    name: 'Frame Streams capture (dnstap)',
    confidence: walk.ending === 'stop' ? 0.95 : 0.9,
    code: 'FRAME_STREAMS_FRAMES',
    message:
      `Frame Streams file, content type "${start.contentType}"${dnstap ? ' (dnstap: DNS queries and responses a name server logged)' : ''}: ` +
      `the START control frame, ${walk.frames} data frame(s) chaining by their lengths ${ending}. fstrm_dump reads it; not encrypted.`,
    figures: { contentType: start.contentType, frames: walk.frames, stopFrame: walk.ending === 'stop' },
  });
}

export const frameStreamsDetector = defineDetector({
  meta: {
    id: 'frame-streams',
    version: '1.0.0',
    title: 'Frame Streams files (dnstap logs) by their control and data frames',
    formats: [
      {
        id: 'frame-streams',
        name: 'Frame Streams capture (dnstap)',
        status: 'analysable',
        how: 'structure',
        extensions: ['fstrm', 'dnstap', 'tap'],
      },
    ],
  },
  minSize: 24,
  priority: 30,
  signatures: [{ offset: 8, hex: '00000002' }],
  detect(probe): Detection | undefined {
    return frameStreamsVerdict(probe);
  },
});
