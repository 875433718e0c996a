/**
 * `evtriage summary <manifest>`: prints the summary tables of a saved
 * manifest again. A manifest without its summary record (an interrupted or
 * truncated scan) gets totals rebuilt from the items it has, marked
 * incomplete, as `report` does.
 */
import type { ManifestProblem, ManifestSummary } from '@evtriage/core';
import { readManifest, SummaryAggregator } from '@evtriage/core/internal-manifest';
import { EXIT } from '../exit-codes.js';
import { withManifestFile } from '../manifest-input.js';
import { summaryText } from '../summary-text.js';

export async function runSummary(file: string): Promise<number> {
  return withManifestFile(file, async (readable, shown) => {
    const problems: ManifestProblem[] = [];
    const rebuilt = new SummaryAggregator();
    let summary: ManifestSummary | undefined;
    for await (const rec of readManifest(readable, (p) => problems.push(p))) {
      if (rec.type === 'summary') summary = rec.summary;
      else if (rec.type === 'item') {
        rebuilt.enumerated++;
        rebuilt.add(rec.item);
      }
    }
    if (summary) {
      process.stdout.write(summaryText(summary) + '\n');
      return EXIT.OK;
    }
    const where =
      problems.length > 0
        ? ` (${problems[problems.length - 1]!.where}: ${problems[problems.length - 1]!.message})`
        : '';
    const partial = rebuilt.finish({
      complete: false,
      interruption: `${shown} has no summary record${where}; totals were rebuilt from the items it holds`,
    });
    process.stdout.write(summaryText(partial) + '\n');
    process.stderr.write(
      `evtriage: ${shown} is partial (an interrupted or truncated scan); the totals above cover only the items it holds. Run evtriage validate ${file} for details.\n`,
    );
    return EXIT.ITEM_ERRORS;
  });
}
