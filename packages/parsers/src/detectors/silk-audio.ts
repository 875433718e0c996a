/**
 * SILK v3 voice audio: Skype's speech codec, kept as files by WeChat (voice messages under
 * `MicroMsg/<hash>/voice2/…/msg_*.amr`, despite the name), QQ and Skype-derived tools. The file is the
 * text "#!SILK_V3" (WeChat and QQ put one byte 0x02 before it), then packets, each a little-endian 16-bit
 * length and that many bytes of coded speech; the Skype SDK's encoder ends the file with a length of -1.
 * Coded speech reads as random bytes: without this the statistics call a voice message ciphertext.
 * It is audio with a published codec (Skype's SILK SDK, the IETF draft-vos-silk) and no key: analysable.
 * The packet chain is followed through the bytes read to confirm the header. Reference: Skype's SILK
 * SDK 1.0.9 test programs (Encoder.c, Decoder.c).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le } from './util.js';

const FORMAT = { id: 'silk-audio', name: 'SILK v3 voice audio (Skype, WeChat, QQ)', mime: 'audio/SILK' } as const;
const MAGIC = '#!SILK_V3';
/** The decoder's limit on one packet (MAX_BYTES_PER_FRAME × MAX_INPUT_FRAMES of the SDK is 1,250; speech is far below). */
const MAX_PACKET = 1250;
/** Packets to follow before the chain is taken as confirmed when the file is longer than the bytes read. */
const ENOUGH_PACKETS = 3;

interface Chain {
  packets: number;
  /** 'terminator' (a length of -1 ends the file), 'end' (the last packet ends the file), 'cut' (it runs past the end), 'read' (the bytes read end first). */
  ends: 'terminator' | 'end' | 'cut' | 'read';
}

/** The packets from `at`, through the head (the whole file when the head holds it). */
function packets(probe: Probe, at: number): Chain | undefined {
  const h = probe.head;
  const whole = h.length >= probe.size;
  let n = 0;
  // Each step moves at least 3 bytes: bounded by the head.
  for (;;) {
    if (at === probe.size) return { packets: n, ends: 'end' };
    if (at + 2 > h.length) return whole ? { packets: n, ends: 'cut' } : { packets: n, ends: 'read' };
    const len = u16le(h, at)!;
    if (len === 0xffff) return at + 2 === probe.size ? { packets: n, ends: 'terminator' } : undefined;
    if (len === 0 || len > MAX_PACKET) return undefined;
    at += 2 + len;
    n++;
    if (at > probe.size) return { packets: n, ends: 'cut' };
  }
}

const ENDS: Record<Chain['ends'], string> = {
  terminator: 'the end-of-stream length -1 ends the file',
  end: 'the last packet ends exactly at the end of the file',
  cut: 'the last packet runs past the end of the file (cut short)',
  read: 'the bytes read end inside the stream',
};

export const silkAudioDetector = defineDetector({
  meta: {
    id: 'silk-audio',
    version: '1.0.0',
    title: 'SILK v3 voice audio (WeChat and QQ voice messages, Skype) by its header and packet chain',
    formats: [{ ...FORMAT, status: 'analysable', how: 'signature', extensions: ['silk', 'slk', 'amr'] }],
  },
  signatures: [
    { offset: 0, ascii: MAGIC },
    { offset: 1, ascii: MAGIC },
  ],
  minSize: 9,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const tencent = h[0] === 0x02;
    const start = (tencent ? 1 : 0) + MAGIC.length;
    if (String.fromCharCode(...h.subarray(start - MAGIC.length, start)) !== MAGIC) return undefined;
    const chain = packets(probe, start);
    // A header and nothing after it (a voice message cancelled at once) is still the format; a broken chain is not.
    if (!chain || (chain.ends === 'read' && chain.packets < ENOUGH_PACKETS)) return undefined;
    const who = tencent ? 'with the 0x02 byte WeChat and QQ write before it' : 'as the Skype SDK writes it';
    return plain('analysable', {
      ...FORMAT,
      confidence: chain.ends === 'cut' ? 0.85 : 0.95,
      code: 'SILK_V3_PACKETS',
      message:
        `The "#!SILK_V3" header (${who}), then ${chain.packets} packets chaining by their 16-bit lengths; ` +
        `${ENDS[chain.ends]}. SILK speech audio (a voice message): no key, decoded by Skype's published SILK codec.`,
      figures: { packets: chain.packets, tencent, ends: chain.ends },
    });
  },
});
