/**
 * Python pickles (protocols 2 to 5): what Python programs, scikit-learn and
 * PyTorch models, Jupyter caches and many desktop apps save their objects in.
 * A readable serialisation (pickletools lists its opcodes without running
 * them), so analysable; libmagic has no rule for it. Unpickling runs code the
 * file names: analysts read it with pickletools, not pickle.load.
 * The check: the PROTO opcode (0x80) and a protocol from 2 to 5; from
 * protocol 4 a FRAME opcode whose length fits the file, before that an
 * opcode a pickler writes first; and the STOP opcode (".") as the last byte
 * (or before a final line end).
 * Reference: CPython Lib/pickletools.py (opcode table), PEP 307 and PEP 3154.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u64le } from './util.js';

const PROTO = 0x80;
const FRAME = 0x95;
const STOP = 0x2e;
/** Opcodes a protocol 2 or 3 pickler writes right after PROTO: a global, a container, a mark or a scalar. */
const FIRST_OPCODES = new Set(
  [...'c}])(XUKJMNGTB'].map((c) => c.charCodeAt(0)).concat([0x8a, 0x88, 0x89, 0x8c, 0x81, 0x85, 0x86, 0x87]),
);

export const pythonPickleDetector = defineDetector({
  meta: {
    id: 'python-pickle',
    version: '1.1.0',
    title: 'Python pickles (protocols 2 to 5)',
    formats: [
      {
        id: 'python-pickle',
        name: 'Python pickle',
        status: 'analysable',
        how: 'structure',
        extensions: ['pkl', 'pickle', 'p', 'pck', 'pt', 'pth', 'joblib'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '8002' },
    { offset: 0, hex: '8003' },
    { offset: 0, hex: '8004' },
    { offset: 0, hex: '8005' },
  ],
  minSize: 4,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const protocol = h[1] ?? 0;
    if (h[0] !== PROTO || protocol < 2 || protocol > 5) return undefined;
    const end = probe.complete ? h : probe.tail;
    // Unpickling stops at STOP: a line end written after it (a text-mode copy, an editor) changes nothing.
    let at = end.length - 1;
    if (end[at] === 0x0a) at--;
    if (end[at] === 0x0d) at--;
    if (end[at] !== STOP) return undefined;
    let frame: number | undefined;
    if (protocol >= 4) {
      frame = h[2] === FRAME ? u64le(h, 3) : undefined;
      if (frame === undefined || frame < 1 || 11 + frame > probe.size) return undefined;
    } else if (!FIRST_OPCODES.has(h[2] ?? -1)) return undefined;
    return plain('analysable', {
      id: 'python-pickle',
      name: 'Python pickle',
      confidence: protocol >= 4 ? 0.92 : 0.85,
      code: 'PICKLE_OPCODES',
      message: `PROTO opcode for pickle protocol ${protocol}${frame !== undefined ? `, a FRAME of ${frame} bytes inside the file` : ', then an opcode a pickler writes first'}, and the STOP opcode as the last byte: a Python pickle (list it with pickletools; loading it runs code).`,
      figures: { protocol, ...(frame !== undefined ? { firstFrame: frame } : {}) },
    });
  },
});
