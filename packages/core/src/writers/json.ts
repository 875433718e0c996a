/**
 * JSON manifest: one document `{ "header", "items": [...], "summary" }`,
 * written as items arrive (never held in memory as a whole).
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';
import { writeChunk, type ManifestWriter } from './writer.js';

export function createJsonWriter(out: Writable): ManifestWriter {
  let first = true;
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
