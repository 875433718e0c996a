/**
 * Bytes appended after a structure that carries no magic of its own (its evidence is that a length field or whole
 * cipher blocks end it): only bytes that cannot be more of the structure are set aside, so the length check keeps its
 * weight. Also the NUL test of text detectors that refuse binary data cheaply before decoding.
 */
import type { Probe } from '@evtriage/core/contract';
import { afterStructureEnd, probeBytes } from './util.js';

/** The fewest text bytes to set aside after a structure: 32 random bytes are all text about once in 10^13. */
const MIN_TEXT = 32;

/**
 * The most text bytes the structure itself may end in when text follows it: ciphertext ends in 9 text bytes about
 * once in 6,000 files, so a length that merely lands inside appended text (a chance reading) is not taken.
 */
const MAX_TEXT_BEFORE = 8;

const isText = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);

/**
 * What follows a structure that ends at `end` (its own length field or blocks say so), when those bytes are clear
 * of it: NULs only (slack, a copy's byte, a sector pad: `zeroPadding`), one line end (LF, CR LF: a text tool's copy)
 * or at least MIN_TEXT bytes of text (a note appended, a carve that ran on into a log) (`trailingBytes`). Every byte
 * must be read in the probe. Undefined when nothing follows `end` and when the bytes after are anything else (random
 * bytes after a length would make a chance match of the length as likely as a real one). The bytes must start at
 * `end`, not before it: with NULs after, the structure's last byte is no NUL; with text after, it ends in at most
 * MAX_TEXT_BEFORE text bytes (else a length that lands anywhere inside padding or an appended log would pass).
 * `walked`: `end` is where a walk of the structure's records stopped at the first bytes that are no record (NULs are
 * none), not where one length points: its last byte may be a NUL (a false flag, a length's high byte). The text test
 * stays (a record cut short whose length now reaches into the appended text ends in text).
 */
export function clearBytesAfter(
  probe: Probe,
  end: number,
  walked = false,
): { zeroPadding: number } | { trailingBytes: number } | undefined {
  const n = probe.size - end;
  if (!(end >= 1 && n > 0)) return undefined;
  const after = probeBytes(probe, end, n);
  if (!after || after.length < n) return undefined;
  const lineEnd = (n === 1 && after[0] === 0x0a) || (n === 2 && after[0] === 0x0d && after[1] === 0x0a);
  const before = probeBytes(probe, Math.max(0, end - MAX_TEXT_BEFORE - 1), Math.min(end, MAX_TEXT_BEFORE + 1));
  if (!before || before.length === 0) return undefined;
  const last = before[Math.min(end, MAX_TEXT_BEFORE + 1) - 1]!;
  const zeros = (walked || last !== 0) && after.every((b) => b === 0);
  const text =
    n >= MIN_TEXT && after.every(isText) && !before.subarray(0, Math.min(end, MAX_TEXT_BEFORE + 1)).every(isText);
  return lineEnd || zeros || text ? afterStructureEnd(probe, end) : undefined;
}

/**
 * Whether the first `limit` bytes of `head` hold a NUL that is not part of NULs ending the head: binary data or
 * UTF-16, which a text detector refuses before decoding. Text followed only by NULs (one byte a copy added, slack)
 * passes; `textInfo` then reads the text without them and says how many were set aside.
 */
export function nulBeforeText(head: Uint8Array, limit = 1024): boolean {
  const at = head.subarray(0, limit).indexOf(0);
  if (at < 0) return false;
  for (let i = at; i < head.length; i++) if (head[i] !== 0) return true;
  return false;
}
