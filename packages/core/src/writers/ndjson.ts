/**
 * NDJSON manifest: a `header` line, one `item` line per entry, a `summary`
 * line. A manifest without its summary line is a partial one (an interrupted
 * scan); readers say so.
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';
import { writeChunk, type ManifestWriter } from './writer.js';

export function createNdjsonWriter(out: Writable): ManifestWriter {
  return {
    onScanStart: (header: ManifestHeader) => writeChunk(out, JSON.stringify(header) + '\n'),
    onItem: (item: EvidenceItem) => writeChunk(out, JSON.stringify({ type: 'item', ...item }) + '\n'),
    onScanEnd: (summary: ManifestSummary) => writeChunk(out, JSON.stringify(summary) + '\n'),
  };
}
