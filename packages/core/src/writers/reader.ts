/**
 * Reading manifests back, streaming: NDJSON line by line; a JSON document is
 * parsed whole (it was written for people and small tools; use NDJSON for huge dumps).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { EvidenceItem } from '../model/evidence-item.js';
import { ManifestHeader, ManifestLine, ManifestSummary } from '../model/manifest.js';

export interface ManifestProblem {
  /** 1-based line for NDJSON; a JSON pointer-like path for JSON documents. */
  where: string;
  message: string;
}

export type ManifestRecord =
  | { type: 'header'; header: ManifestHeader }
  | { type: 'item'; item: EvidenceItem }
  | { type: 'summary'; summary: ManifestSummary };

/** Whether the file looks like NDJSON (first line is a complete header record). */
export async function isNdjson(file: string): Promise<boolean> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await fd.read(Buffer.alloc(64), 0, 64, 0);
    return /^\s*\{"type":"header"/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await fd.close();
  }
}

/** Streams the records of a manifest (NDJSON or JSON), validating each with the zod schemas. */
export async function* readManifest(file: string, onProblem?: (p: ManifestProblem) => void): AsyncGenerator<ManifestRecord> {
  if (await isNdjson(file)) {
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        onProblem?.({ where: `line ${n}`, message: `not JSON: ${(err as Error).message}` });
        continue;
      }
      const parsed = ManifestLine.safeParse(value);
      if (!parsed.success) {
        onProblem?.({ where: `line ${n}`, message: formatIssue(parsed.error.issues[0]) });
        continue;
      }
      const rec = parsed.data;
      if (rec.type === 'header') yield { type: 'header', header: rec };
      else if (rec.type === 'summary') yield { type: 'summary', summary: rec };
      else {
        const { type: _type, ...item } = rec;
        yield { type: 'item', item };
      }
    }
    return;
  }
  const doc = JSON.parse(await fs.promises.readFile(file, 'utf8')) as { header?: unknown; items?: unknown[]; summary?: unknown };
  const header = ManifestHeader.safeParse(doc.header);
  if (header.success) yield { type: 'header', header: header.data };
  else onProblem?.({ where: 'header', message: formatIssue(header.error.issues[0]) });
  for (const [i, raw] of (Array.isArray(doc.items) ? doc.items : []).entries()) {
    const item = EvidenceItem.safeParse(raw);
    if (item.success) yield { type: 'item', item: item.data };
    else onProblem?.({ where: `items[${i}]`, message: formatIssue(item.error.issues[0]) });
  }
  if (!Array.isArray(doc.items)) onProblem?.({ where: 'items', message: 'missing items array' });
  const summary = ManifestSummary.safeParse(doc.summary);
  if (summary.success) yield { type: 'summary', summary: summary.data };
  else onProblem?.({ where: 'summary', message: formatIssue(summary.error.issues[0]) });
}

function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid';
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
