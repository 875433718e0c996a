/**
 * JSON manifest: one document `{ "header", "items": [...], "summary" }`,
 * written as items arrive (never held in memory as a whole).
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';
import { writeChunk, type ManifestWriter } from './writer.js';

/**
 * `continuing`: the output already holds the header and at least one item
 * (a resumed manifest, see pipeline/resume.ts), so the next item starts with
 * its separator and onScanStart is not called.
 */
export function createJsonWriter(out: Writable, options: { continuing?: boolean } = {}): ManifestWriter {
  let first = options.continuing !== true;
  return {
    onScanStart: (header: ManifestHeader) => writeChunk(out, `{"header":${JSON.stringify(header)},\n"items":[\n`),
    onItem: (item: EvidenceItem) => {
      const chunk = (first ? '' : ',\n') + JSON.stringify(item);
      first = false;
      return writeChunk(out, chunk);
    },
    onScanEnd: (summary: ManifestSummary) => writeChunk(out, `\n],\n"summary":${JSON.stringify(summary)}}\n`),
  };
}
