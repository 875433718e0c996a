/**
 * Fortran unformatted sequential files (`.dat`, `.bin`, `.unf`, `fort.NN`):
 * what `WRITE` to a file opened FORM='UNFORMATTED' leaves, the raw output
 * format of many numerical models and simulation codes. Each record is its
 * byte length, the record's bytes, and the same length again (4-byte markers
 * in gfortran's and ifort's default, 8-byte ones in old g77 builds; in the
 * writing machine's byte order). There is no header, so the evidence is the
 * chain: every record's two markers agree and the records end exactly at the
 * file's end (or, for a file longer than the bytes read, at least three
 * records agree). What the bytes mean (types, shapes) only the program that
 * wrote them knows: no general tool reads them, so they are named and left
 * opaque. A fallback: any detector or libmagic answer outranks it.
 * Reference: GNU Fortran manual, "-frecord-marker" and "Unformatted
 * sequential file format"; scipy 1.10 scipy/io/_fortran.py (FortranFile).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, probeBytes } from './util.js';

/** Records needed when the chain cannot be followed to the file's end. */
const MIN_RECORDS_CUT = 3;
/** Smaller files are a length word and a few bytes: chance. */
const MIN_SIZE = 24;

type Order = 'little' | 'big';

/** The marker at `at`, from the probe's head or tail (a big record's trailing marker is in the tail). */
function marker(probe: Probe, at: number, width: 4 | 8, order: Order): number | undefined {
  const b = probeBytes(probe, at, width);
  if (b === undefined) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, width);
  if (width === 4) return view.getUint32(0, order === 'little');
  const v = view.getBigUint64(0, order === 'little');
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
}

interface Chain {
  records: number;
  /** The chain ends exactly at the file's end. */
  whole: boolean;
  largest: number;
}

function chain(probe: Probe, width: 4 | 8, order: Order): Chain | undefined {
  const size = probe.size;
  let at = 0;
  let records = 0;
  let largest = 0;
  while (at < size) {
    const n = marker(probe, at, width, order);
    if (n === undefined) break;
    const end = at + width + n;
    if (end + width > size) return undefined;
    const trailing = marker(probe, end, width, order);
    if (trailing === undefined) break;
    if (trailing !== n) return undefined;
    records++;
    largest = Math.max(largest, n);
    at = end + width;
  }
  if (records === 0 || largest === 0) return undefined;
  if (at === size) return { records, whole: true, largest };
  return records >= MIN_RECORDS_CUT ? { records, whole: false, largest } : undefined;
}

export const fortranUnformattedDetector = defineDetector({
  meta: {
    id: 'fortran-unformatted',
    version: '1.0.0',
    title: 'Fortran unformatted sequential files (record length markers chained to the end)',
    formats: [
      {
        id: 'fortran-unformatted',
        name: 'Fortran unformatted sequential file',
        status: 'opaque',
        how: 'structure',
        extensions: ['dat', 'bin', 'unf'],
      },
    ],
  },
  fallback: true,
  minSize: MIN_SIZE,
  priority: 90,
  detect(probe): Detection | undefined {
    for (const width of [4, 8] as const)
      for (const order of ['little', 'big'] as const) {
        const c = chain(probe, width, order);
        if (!c) continue;
        return plain('opaque', {
          id: 'fortran-unformatted',
          name: 'Fortran unformatted sequential file',
          confidence: 0.6,
          code: 'FORTRAN_RECORD_MARKERS',
          message: `${c.records} record${c.records === 1 ? '' : 's'} framed by ${width}-byte ${order}-endian length markers that agree at both ends${c.whole ? ' and end exactly at the end of the file' : ' (as far as the bytes read go)'}: Fortran unformatted sequential output, whose types and shapes only the program that wrote it knows.`,
          figures: { records: c.records, markerBytes: width, largestRecord: c.largest },
          details: { markerBytes: width, order, whole: c.whole },
        });
      }
    return undefined;
  },
});
