/**
 * JBIG1 bi-level image entities (BIE, ITU-T T.82; fax, printers, jbigkit's `.jbg`, netpbm's pnmtojbig). Their
 * arithmetic-coded data looks uniformly random, so without this check a JBIG picture reaches the statistics as
 * ciphertext. There is no magic number; the structure decides:
 * - the 20-byte header (T.82 §6.2.2): DL ≤ D, P ≥ 1 bit planes, a zero fill byte, non-zero XD, YD and L0, MX ≤ 127,
 *   the upper four bits of the order byte and the top bit of the options byte zero; a private DP table of 1,728
 *   bytes follows when DPPRIV is set without DPLAST;
 * - the data: every 0xFF byte is an escape followed by STUFF (0x00), a stripe end (SDNORM 0x02, SDRST 0x03),
 *   ABORT (0x04), or a NEWLEN (0x05, 4 bytes), ATMOVE (0x06, 6 bytes) or COMMENT (0x07, a 4-byte length and text)
 *   marker segment, in every window read;
 * - the file ends with the last stripe's SDNORM or SDRST, or with a NEWLEN segment after it.
 * jbigkit, netpbm and ImageMagick read it: analysable.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const HEADER = 20;
const DP_TABLE = 1728;
const DPPRIV = 0x02;
const DPLAST = 0x01;

interface Header {
  planes: number;
  width: number;
  height: number;
  layers: number;
  dataAt: number;
}

function header(h: Uint8Array): Header | undefined {
  if (h.length < HEADER) return undefined;
  const [dl, d, p, fill] = [h[0]!, h[1]!, h[2]!, h[3]!];
  const [width, height, l0] = [u32be(h, 4)!, u32be(h, 8)!, u32be(h, 12)!];
  const [mx, order, options] = [h[16]!, h[18]!, h[19]!];
  if (dl > d || d > 31 || p < 1 || fill !== 0 || width === 0 || height === 0 || l0 === 0) return undefined;
  if (mx > 127 || (order & 0xf0) !== 0 || (options & 0x80) !== 0) return undefined;
  const dataAt = HEADER + ((options & DPPRIV) !== 0 && (options & DPLAST) === 0 ? DP_TABLE : 0);
  return { planes: p, width, height, layers: d - dl + 1, dataAt };
}

/** Bytes a marker segment carries after its two-byte escape, or undefined for a byte no escape may be followed by. */
function segmentBytes(b: Uint8Array, at: number): number | undefined {
  switch (b[at + 1]) {
    case 0x00: // STUFF
    case 0x02: // SDNORM
    case 0x03: // SDRST
    case 0x04: // ABORT
      return 0;
    case 0x05: // NEWLEN
      return 4;
    case 0x06: // ATMOVE
      return 6;
    case 0x07: // COMMENT: its length, then that many bytes
      return at + 6 <= b.length ? 4 + (u32be(b, at + 2) ?? 0) : 4;
    default:
      return undefined;
  }
}

/**
 * Escapes in `b` from `from`: how many stripe ends, or undefined when one is not a JBIG escape. When `b` ends where
 * the file ends, a marker segment must end inside it.
 */
function escapes(b: Uint8Array, from: number, endsFile: boolean): { stripeEnds: number; escapes: number } | undefined {
  let stripeEnds = 0;
  let count = 0;
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i)) {
    const extra = segmentBytes(b, i);
    if (extra === undefined || (endsFile && i + 2 + extra > b.length)) return undefined;
    count++;
    if (b[i + 1] === 0x02 || b[i + 1] === 0x03) stripeEnds++;
    i += 2 + extra;
  }
  return { stripeEnds, escapes: count };
}

/** Whether the file's last bytes end a stripe, or a NEWLEN segment follows the last stripe's end. */
function endsLikeJbig(last: Uint8Array): boolean {
  const n = last.length;
  const stripeEnd = (at: number) => last[at] === 0xff && (last[at + 1] === 0x02 || last[at + 1] === 0x03);
  return (n >= 2 && stripeEnd(n - 2)) || (n >= 8 && last[n - 6] === 0xff && last[n - 5] === 0x05 && stripeEnd(n - 8));
}

function verdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  const bih = header(h);
  if (!bih || probe.size < bih.dataAt + 2) return undefined;
  const last = probe.complete ? h : probe.tail;
  if (!endsLikeJbig(last)) return undefined;
  const inHead = escapes(h, bih.dataAt, probe.complete);
  // The tail may start inside a marker segment: its first escape decides nothing, so start past 8 bytes.
  const inTail = probe.complete ? { stripeEnds: 0, escapes: 0 } : escapes(probe.tail, 8, true);
  if (!inHead || !inTail) return undefined;
  const stripeEnds = inHead.stripeEnds + inTail.stripeEnds;
  return plain('analysable', {
    id: 'jbig',
    name: 'JBIG1 bi-level image (BIE)',
    confidence: 0.85,
    code: 'JBIG_HEADER_AND_ESCAPES',
    message:
      `JBIG1 header of a ${bih.width} × ${bih.height} picture (${bih.planes} bit plane${bih.planes > 1 ? 's' : ''}, ` +
      `${bih.layers} resolution layer${bih.layers > 1 ? 's' : ''}); each of the ${inHead.escapes + inTail.escapes} ` +
      `0xFF bytes read is a JBIG escape (stuffing or a marker), ${stripeEnds} end a stripe, and the file ends with ` +
      'the last stripe: arithmetic-coded picture data, not ciphertext.',
    figures: {
      width: bih.width,
      height: bih.height,
      planes: bih.planes,
      escapes: inHead.escapes + inTail.escapes,
      stripeEnds,
    },
  });
}

export const jbigDetector = defineDetector({
  meta: {
    id: 'jbig',
    version: '1.0.0',
    title: 'JBIG1 bi-level images (T.82 BIE), by header fields and escape markers',
    formats: [
      {
        id: 'jbig',
        name: 'JBIG1 bi-level image (BIE)',
        status: 'analysable',
        how: 'structure',
        mime: 'image/jbig',
        extensions: ['jbg', 'jbig', 'bie'],
      },
    ],
  },
  minSize: HEADER + 2,
  priority: 45,
  detect: verdict,
});
