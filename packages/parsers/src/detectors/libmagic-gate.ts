/**
 * When libmagic need not be asked: its answer can only be a chance match (recorded, never the winner),
 * so asking costs ~300 µs of CPU for nothing that could change a file's status or format.
 *
 * Why the conditions below are enough (judgeMagic in libmagic.ts, branch by branch):
 * - a rule marked `highEntropy` keeps its answer on random bytes: asked whenever one's `leads` (its magic
 *   in Magdir, a necessary condition; bench/libmagic-leads.mjs checks them against wasmagic) holds for the head;
 * - any other answer, mapped or not, on bytes that randomAfterHeader calls random is a chance match,
 *   except a magic of 4 bytes or more before random bytes in a file of DAMAGED_MIN_BYTES or more (a damaged
 *   file, or an archive's body): that needs libmagic's database to rule out, so such files are asked.
 * The first filter is the statistics' own verdict on the probe from its first byte (computed once and
 * shared with the statistics detector); randomAfterHeader, the exact test judgeMagic applies, decides.
 * docs/detection.md, "libmagic".
 */
import type { Probe } from '@evtriage/core/contract';
import { MAGIC_RULES } from './libmagic-rules.js';
import { randomAfterHeader } from './random-body.js';
import { uniformFromFirstByte } from './statistics-figures.js';

/** The smallest file whose random body can make a long magic a damaged or compressed file (libmagic.ts). */
export const DAMAGED_MIN_BYTES = 1280;

const HIGH_ENTROPY = MAGIC_RULES.filter((r) => r.highEntropy);

/** Whether libmagic's answer for this probe could only be a chance match (or nothing): then it is not asked. */
export function onlyChanceMatches(probe: Probe): boolean {
  if (probe.size >= DAMAGED_MIN_BYTES) return false;
  if (HIGH_ENTROPY.some((r) => !r.leads || r.leads(probe.head))) return false;
  return uniformFromFirstByte(probe) && randomAfterHeader(probe) !== undefined;
}
