/**
 * librsync signature and delta files ("rdiff"), as duplicity keeps one signature per backed-up file in its
 * `*.sigtar` volumes and rdiff-backup keeps deltas as its `.diff` increments. A signature is a 12-byte header
 * (magic, block length, strong-sum length) and one weak sum (4 bytes) and strong sum per block: hashes, so its
 * bytes read as random after the header and libmagic's answer alone is only a chance match. The length
 * arithmetic (header plus whole block entries) is what makes it one. A delta is the magic and a list of
 * commands (literal, copy, end) that must chain to its end.
 * Reference: librsync src/prototab.h, src/netint.c, doc/format (RS_*_SIG_MAGIC, RS_DELTA_MAGIC, RS_OP_*).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

/** 'rs' 0x01 + 0x36 MD4, 0x37 BLAKE2, 0x46 RabinKarp+MD4, 0x47 RabinKarp+BLAKE2. */
const SIG_KINDS: Record<number, { hash: string; maxStrong: number }> = {
  0x36: { hash: 'MD4', maxStrong: 16 },
  0x37: { hash: 'BLAKE2', maxStrong: 32 },
  0x46: { hash: 'RabinKarp+MD4', maxStrong: 16 },
  0x47: { hash: 'RabinKarp+BLAKE2', maxStrong: 32 },
};
const HEADER = 12;
/** librsync refuses block lengths it cannot hold; real ones are a few hundred bytes to a few MiB. */
const MAX_BLOCK = 1 << 28;
/** Commands walked in the head before the delta is believed. */
const MAX_COMMANDS = 4096;

function be(b: Uint8Array, at: number, width: number): number | undefined {
  if (at + width > b.length) return undefined;
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** Parameter widths of an opcode: [literal or offset width, length width], or undefined when reserved. */
function opWidths(op: number): { inline?: number; widths: number[] } | undefined {
  if (op >= 0x01 && op <= 0x40) return { inline: op, widths: [] };
  if (op >= 0x41 && op <= 0x44) return { widths: [1 << (op - 0x41)] };
  if (op >= 0x45 && op <= 0x54) {
    const i = op - 0x45;
    return { widths: [1 << (i >> 2), 1 << (i & 3)] };
  }
  return undefined;
}

/** Walks the delta's commands in the head: 'end' when END is the file's last byte, 'ok' when cut by the head. */
function walkDelta(h: Uint8Array, size: number): { verdict: 'end' | 'ok'; commands: number } | undefined {
  let at = 4;
  let commands = 0;
  while (at < Math.min(h.length, size) && commands < MAX_COMMANDS) {
    const op = h[at]!;
    if (op === 0x00) return at === size - 1 ? { verdict: 'end', commands } : undefined;
    const w = opWidths(op);
    if (!w) return undefined;
    at++;
    commands++;
    if (w.inline !== undefined) {
      at += w.inline;
      continue;
    }
    const first = be(h, at, w.widths[0]!);
    if (first === undefined) return { verdict: 'ok', commands };
    at += w.widths[0]!;
    if (w.widths.length === 1) {
      if (first === 0) return undefined;
      at += first; // literal bytes
      continue;
    }
    const len = be(h, at, w.widths[1]!);
    if (len === undefined) return { verdict: 'ok', commands };
    if (len === 0) return undefined;
    at += w.widths[1]!;
  }
  // A walk cut by the head (never past the file) counts once it met commands.
  return at < size && commands > 0 ? { verdict: 'ok', commands } : undefined;
}

export const librsyncDetector = defineDetector({
  meta: {
    id: 'librsync',
    version: '1.0.0',
    title: 'librsync (rdiff) signature and delta files',
    formats: [
      { id: 'librsync-signature', name: 'librsync signature (rdiff)', status: 'analysable', how: 'structure' },
      { id: 'librsync-delta', name: 'librsync delta (rdiff)', status: 'analysable', how: 'structure' },
    ],
  },
  signatures: [
    { offset: 0, hex: '72730136' },
    { offset: 0, hex: '72730137' },
    { offset: 0, hex: '72730146' },
    { offset: 0, hex: '72730147' },
    { offset: 0, hex: '72730236' },
  ],
  minSize: 5,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[2] === 0x02) {
      const walk = walkDelta(h, probe.size);
      if (!walk) return undefined;
      return plain('analysable', {
        id: 'librsync-delta',
        name: 'librsync delta (rdiff)',
        confidence: walk.verdict === 'end' ? 0.95 : 0.8,
        code: 'LIBRSYNC_DELTA',
        message: `A librsync delta ("rs\\x02\\x36"): ${walk.commands} literal/copy command${walk.commands === 1 ? '' : 's'} chained ${walk.verdict === 'end' ? 'to the END command at the last byte' : 'through the bytes read'}; rdiff patch applies it to the old file.`,
        figures: { commands: walk.commands, complete: walk.verdict === 'end' },
      });
    }
    const kind = SIG_KINDS[h[3]!];
    const block = u32be(h, 4);
    const strong = u32be(h, 8);
    if (!kind || block === undefined || strong === undefined) return undefined;
    if (block === 0 || block > MAX_BLOCK || strong === 0 || strong > kind.maxStrong) return undefined;
    const entries = (probe.size - HEADER) / (4 + strong);
    if (!Number.isInteger(entries)) return undefined;
    return plain('analysable', {
      id: 'librsync-signature',
      name: 'librsync signature (rdiff)',
      confidence: entries > 0 ? 0.95 : 0.85,
      code: 'LIBRSYNC_SIGNATURE',
      message: `A librsync signature (${kind.hash}): blocks of ${block} bytes, ${strong}-byte strong sums, and exactly ${entries} block entr${entries === 1 ? 'y' : 'ies'} after the 12-byte header; the sums are hashes, so they read as random by design.`,
      figures: { hash: kind.hash, blockLength: block, strongLength: strong, blocks: entries },
    });
  },
});
