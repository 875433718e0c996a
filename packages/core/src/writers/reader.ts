/**
 * Reading manifests back, streaming: NDJSON line by line; a JSON document is
 * streamed too, member by member and item by item, whatever its layout.
 */
import fs from 'node:fs';
import { EvidenceItem } from '../model/evidence-item.js';
import { JsonStreamError, streamJsonDocument } from './json-stream.js';
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

/**
 * Longest NDJSON line read (as `--resume` does, pipeline/resume.ts): evtriage's records are KiBs, and
 * readline would hold a longer line whole, however long. A longer line is skipped as a problem of its own.
 */
export const MAX_MANIFEST_LINE_BYTES = 64 * 1024 * 1024;

const NL = 0x0a;

/** The lines of a file (without CR/LF); a line past `MAX_MANIFEST_LINE_BYTES` is `undefined`, its bytes never held. */
async function* boundedLines(file: string): AsyncGenerator<string | undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  const take = (): string | undefined => {
    const text = tooLong ? undefined : Buffer.concat(pending).toString('utf8').replace(/\r$/, '');
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    return text;
  };
  const keep = (piece: Buffer): void => {
    if (tooLong) return;
    pendingBytes += piece.length;
    if (pendingBytes > MAX_MANIFEST_LINE_BYTES) {
      tooLong = true;
      pending = [];
    } else pending.push(piece);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) {
      keep(chunk.subarray(from, i));
      yield take();
      from = i + 1;
    }
    if (from < chunk.length) keep(chunk.subarray(from));
  }
  if (pendingBytes > 0 || tooLong) yield take();
}

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
export async function* readManifest(
  file: string,
  onProblem?: (p: ManifestProblem) => void,
): AsyncGenerator<ManifestRecord> {
  if (await isNdjson(file)) {
    let n = 0;
    for await (const line of boundedLines(file)) {
      n++;
      if (line === undefined) {
        onProblem?.({ where: `line ${n}`, message: `longer than ${MAX_MANIFEST_LINE_BYTES} bytes; not read` });
        continue;
      }
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
  // JSON document: streamed member by member and item by item (bounded memory; see json-stream.ts).
  const seen = new Set<string>();
  try {
    for await (const ev of streamJsonDocument(file, ['items'])) {
      if (ev.kind === 'array-end') continue;
      seen.add(ev.key);
      if (ev.kind === 'element') {
        const item = EvidenceItem.safeParse(ev.value);
        if (item.success) yield { type: 'item', item: item.data };
        else onProblem?.({ where: `items[${ev.index}] (line ${ev.line})`, message: formatIssue(item.error.issues[0]) });
      } else if (ev.key === 'header') {
        const header = ManifestHeader.safeParse(ev.value);
        if (header.success) yield { type: 'header', header: header.data };
        else onProblem?.({ where: `header (line ${ev.line})`, message: formatIssue(header.error.issues[0]) });
      } else if (ev.key === 'summary') {
        const summary = ManifestSummary.safeParse(ev.value);
        if (summary.success) yield { type: 'summary', summary: summary.data };
        else onProblem?.({ where: `summary (line ${ev.line})`, message: formatIssue(summary.error.issues[0]) });
      } else if (ev.key === 'items')
        onProblem?.({ where: `items (line ${ev.line})`, message: 'items is not an array' });
      else onProblem?.({ where: `${ev.key} (line ${ev.line})`, message: 'unknown top-level member' });
    }
  } catch (err) {
    if (err instanceof JsonStreamError) {
      onProblem?.({ where: `line ${err.line}`, message: `not JSON: ${err.message.replace(/^line \d+: /, '')}` });
      return;
    }
    throw err;
  }
  if (!seen.has('header')) onProblem?.({ where: 'header', message: 'missing header' });
  if (!seen.has('items')) onProblem?.({ where: 'items', message: 'missing items array' });
  if (!seen.has('summary')) onProblem?.({ where: 'summary', message: 'missing summary' });
}

function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid';
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
