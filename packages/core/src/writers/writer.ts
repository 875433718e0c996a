/**
 * Manifest writers are reporters: objects with awaitable lifecycle hooks.
 * They write to a stream and await drain, so a slow disk slows the scan
 * instead of filling memory.
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';

export interface ManifestWriter {
  onScanStart?(header: ManifestHeader): Promise<void>;
  onItem(item: EvidenceItem): Promise<void>;
  onScanEnd?(summary: ManifestSummary): Promise<void>;
}

/** Writes a chunk and waits for drain when the stream's buffer is full. */
export function writeChunk(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A stream that failed after an earlier write resolved (a FIFO's reader gone: EPIPE) is
    // destroyed; writing again would throw ERR_STREAM_DESTROYED and hide the real error.
    if (out.errored) return reject(out.errored);
    const ok = out.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}

/** Ends a stream and waits until everything is flushed. */
export function endStream(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}
