/**
 * Nested containers: archives found inside a source are opened as sources of
 * their own, within a depth limit and a scan-wide expansion budget (bomb-safe).
 */
import type { ScanLimits } from '../limits.js';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';

export interface ExpansionBudget {
  /** Bytes expanded so far across all nested archives. */
  expanded: number;
  /** Takes `bytes` from the budget; false (and nothing taken) when that would pass the limit. */
  take(bytes: number): boolean;
}

export function createExpansionBudget(limits: ScanLimits): ExpansionBudget {
  return {
    expanded: 0,
    take(bytes) {
      if (this.expanded + bytes > limits.maxExpandedBytes) return false;
      this.expanded += bytes;
      return true;
    },
  };
}

export interface ContainerContext {
  limits: ScanLimits;
  budget: ExpansionBudget;
  /** Depth the members will have. */
  depth: number;
}

export interface ContainerOpener {
  /** Format ids this opener expands (`zip`, `tar`, `gzip`...). */
  formats: readonly string[];
  /**
   * False when a source this opener makes holds memory in proportion to its members (7-Zip's listing): its
   * archives are then opened only when the walk reaches them, never ahead of it, where many small archives
   * are opened at once (docs/architecture.md, "Archives opened ahead").
   */
  openAhead?: boolean;
  open(entry: SourceEntry, item: EvidenceItem, ctx: ContainerContext): Promise<EvidenceSource>;
}
