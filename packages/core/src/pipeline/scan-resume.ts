/**
 * Resuming inside the walk: the items an interrupted run recorded are
 * matched, in order, against the first top-level entries of this walk;
 * matched ones (and the nested members recorded under them) are counted into
 * the summary and not processed again. Any mismatch is a ResumeError: the
 * partial manifest came from another source or other options.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { SourceEntry } from '../sources/source.js';
import { createResumeCursor, ResumeError } from './resume.js';
import type { SummaryAggregator } from './summary.js';

export interface ResumeTracker {
  /** Recorded items matched so far (nested members included). */
  readonly resumed: number;
  /** Whether a top-level entry was already recorded (then counted, not processed); throws on a mismatch. */
  alreadyRecorded(entry: SourceEntry): Promise<boolean>;
  /** After the walk: throws when the partial manifest records more top-level items than the source has. */
  checkNoneLeft(): Promise<void>;
}

export function createResumeTracker(
  recorded: AsyncIterable<EvidenceItem>,
  aggregator: SummaryAggregator,
): ResumeTracker {
  let resumed = 0;
  // Recorded nested members are counted as enumerated and written items; they are not walked again.
  const cursor = createResumeCursor(recorded, (nested) => {
    aggregator.enumerated++;
    aggregator.add(nested);
    resumed++;
  });
  return {
    get resumed() {
      return resumed;
    },
    async alreadyRecorded(entry) {
      if (cursor.done) return false;
      const item = await cursor.nextTopLevel();
      if (!item) return false;
      if (item.path !== entry.path || item.rawPath !== entry.rawPath || item.kind !== entry.kind) {
        throw new ResumeError(
          'RESUME_MISMATCH',
          `The partial manifest records ${JSON.stringify(item.path)} (${item.kind}) where this source has ${JSON.stringify(entry.path)} (${entry.kind}), after ${resumed} matching items; it was made from a different source, the source changed, or the options differ. Start a new scan.`,
        );
      }
      aggregator.add(item);
      resumed++;
      return true;
    },
    async checkNoneLeft() {
      const extra = await cursor.nextTopLevel();
      if (extra)
        throw new ResumeError(
          'RESUME_MISMATCH',
          `The partial manifest records ${JSON.stringify(extra.path)}, which this source does not have (${resumed} recorded items matched); it was made from a different source or with other options. Start a new scan.`,
        );
    },
  };
}
