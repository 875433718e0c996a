/**
 * SEG-Y seismic data (`.sgy`, `.segy`): the exchange format of reflection
 * seismology, read by segyio, ObsPy, OpendTect and Madagascar. A 3,200-byte
 * textual header of forty 80-column cards ("C 1 ", "C 2 ", … in EBCDIC or
 * ASCII), a 400-byte binary header, optional extended textual headers, then
 * traces of a 240-byte header and samples. libmagic 5.44 calls the EBCDIC
 * header "International EBCDIC text", a chance-prone answer evtriage does not
 * believe, so the file was opaque. Checked: the first cards start with "C"
 * in either code, the binary header's sample format code is a defined one
 * and its sample count is positive, and the traces fill the rest of the
 * file exactly (each 240 bytes plus the samples at the format's width).
 * Reference: SEG-Y revision 2.0 (SEG Technical Standards Committee, 2017)
 * §3 (textual header), §4 (binary header: 3217-3218 interval, 3221-3222
 * samples, 3225-3226 format code, 3505-3506 extended headers), §6 (traces).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16be } from './util.js';

const TEXT_HEADER = 3200;
const BINARY_HEADER = 400;
const TRACE_HEADER = 240;
/** Sample format codes with their bytes per sample. */
const FORMATS = new Map<number, number>([
  [1, 4],
  [2, 4],
  [3, 2],
  [5, 4],
  [6, 8],
  [8, 1],
  [9, 8],
  [10, 4],
  [11, 2],
  [12, 8],
  [15, 3],
  [16, 1],
]);
const EBCDIC_C = 0xc3;
const ASCII_C = 0x43;

export const segyDetector = defineDetector({
  meta: {
    id: 'seg-y',
    version: '1.0.0',
    title: 'SEG-Y seismic data (textual cards, binary header, traces that fill the file)',
    formats: [
      {
        id: 'seg-y',
        name: 'SEG-Y seismic data',
        status: 'analysable',
        how: 'structure',
        extensions: ['sgy', 'segy', 'seg'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: 'c3' },
    { offset: 0, ascii: 'C' },
  ],
  minSize: TEXT_HEADER + BINARY_HEADER + TRACE_HEADER,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < TEXT_HEADER + BINARY_HEADER) return undefined;
    const c = h[0];
    if (c !== EBCDIC_C && c !== ASCII_C) return undefined;
    // The first cards ("C 1", "C 2", "C 3") start with the same letter, 80 columns apart.
    for (let card = 1; card < 3; card++) if (h[card * 80] !== c) return undefined;
    const samples = u16be(h, 3220)!;
    const width = FORMATS.get(u16be(h, 3224)!);
    const extended = u16be(h, 3504)!;
    if (width === undefined || samples === 0 || extended > 100) return undefined;
    const traces = probe.size - TEXT_HEADER - BINARY_HEADER - extended * TEXT_HEADER;
    const trace = TRACE_HEADER + samples * width;
    if (traces <= 0 || traces % trace !== 0) return undefined;
    return plain('analysable', {
      id: 'seg-y',
      name: 'SEG-Y seismic data',
      confidence: 0.92,
      code: 'SEGY_HEADERS',
      message: `SEG-Y ${c === EBCDIC_C ? 'EBCDIC' : 'ASCII'} textual header cards, binary header with sample format ${u16be(h, 3224)} and ${samples} samples a trace, and ${traces / trace} traces of ${trace} bytes filling the file: read by segyio and seismic software without a secret.`,
      figures: { traces: traces / trace, samples },
      details: { text: c === EBCDIC_C ? 'ebcdic' : 'ascii' },
    });
  },
});
