/**
 * The known-file part of the scan summary: how many items matched known-good
 * and known-bad sets (with bounded examples of known-bad paths), and whether
 * known-good items were collapsed, that is, counted here and left out of the
 * format, app and encrypted tables so the analyst sees what is left.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { KnownSummary } from '../model/manifest.js';
import type { KnownSet } from './known-sets.js';

const EXAMPLES = 20;

export class KnownTally {
  private readonly good = { count: 0, bytes: 0 };
  private readonly bad = { count: 0, bytes: 0, examples: [] as string[] };
  private readonly perSet = new Map<string, number>();

  constructor(
    private readonly sets: readonly KnownSet[],
    readonly collapseGood: boolean,
  ) {}

  /** Counts the item; true when it is known-good and collapsed (left out of the other tables). */
  add(item: EvidenceItem): boolean {
    const k = item.known;
    if (!k) return false;
    this.perSet.set(k.set, (this.perSet.get(k.set) ?? 0) + 1);
    if (k.status === 'known-bad') {
      this.bad.count++;
      this.bad.bytes += item.size;
      if (this.bad.examples.length < EXAMPLES) this.bad.examples.push(item.path);
      return false;
    }
    this.good.count++;
    this.good.bytes += item.size;
    return this.collapseGood;
  }

  finish(): KnownSummary {
    return {
      sets: this.sets.map((s) => ({
        name: s.name,
        status: s.status,
        format: s.format,
        entries: s.entries,
        matched: this.perSet.get(s.name) ?? 0,
      })),
      knownGood: { ...this.good },
      knownBad: { count: this.bad.count, bytes: this.bad.bytes, examples: [...this.bad.examples] },
      collapsed: this.collapseGood,
    };
  }
}
