/**
 * When the walk itself fails (a source that throws mid-listing, a bug), the
 * error reaches the caller and the summary still resolves, marked incomplete
 * with the error named and the items so far counted: the CLI ends its
 * manifest with it and exits 70.
 */
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../model/manifest.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';
import { scan } from './scan.js';

class BrokenSource implements EvidenceSource {
  readonly info: SourceInfo = { path: 'broken', kind: 'folder' };
  async *entries(): AsyncIterable<SourceEntry> {
    for (const p of ['a', 'b']) yield { path: p, kind: 'other', size: 0, times: {}, depth: 0 };
    throw new Error('the listing broke');
  }
  async close(): Promise<void> {}
}

describe('scan() when the walk fails', () => {
  it('rethrows, and resolves the summary marked incomplete with the error', async () => {
    const run = scan(new BrokenSource(), { plugins: [], concurrency: 1 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of run) seen.push(item.path);
      })(),
    ).rejects.toThrow('the listing broke');
    const summary = await run.summary;
    expect(summary.complete).toBe(false);
    expect(summary.interruption).toBe('the scan stopped on an error: the listing broke');
    expect(summary.counts.items).toBe(seen.length);
  });
});
