/**
 * Resuming an interrupted manifest, NDJSON or JSON. A partial manifest is a header, the
 * items written so far in walk order, and (after Ctrl-C or SIGTERM) a closing
 * summary with `complete: false`; after a hard kill the last line may be torn.
 *
 * `findResumePoint` reads the file once, streaming, and finds the longest
 * prefix of whole records that can be kept: it drops the closing summary, a
 * torn last line, and the last top-level item when its nested members may be
 * incomplete (an archive whose expansion was cut short). `recordedItems`
 * streams the kept items back; the scan (`ScanOptions.resume`) checks they
 * are exactly the first entries of its walk, counts them into the summary and
 * skips them. Memory stays bounded: nothing per item is kept, only the
 * position in the file (the recorded paths form a prefix of the walk, so a
 * path-by-path comparison replaces a set of seen paths).
 *
 * A JSON document is resumable in the layout evtriage's JSON writer gives it
 * (writers/json.ts): the header on line 1, `"items":[` on line 2, one item a
 * line (each followed by `,` once the next one is written), then `],` and the
 * summary. The kept prefix then ends just after the last kept item's closing
 * brace, and the writer continues with `,` and the next item.
 *
 * Format: docs/forensic-soundness.md, "Interrupt and resume".
 */
import fs from 'node:fs';
import { ItemRecord, ManifestHeader, ManifestSummary } from '../model/manifest.js';
import type { EvidenceItem } from '../model/evidence-item.js';

/** A partial manifest that cannot be resumed, with what to do. */
export class ResumeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ResumeError';
    this.code = code;
  }
}

export interface ResumePoint {
  /** The header of the interrupted run (kept as the header of the finished manifest). */
  header: ManifestHeader;
  /** Bytes of the file to keep: the header and every item taken over. */
  keepBytes: number;
  /** Items taken over (all depths). */
  items: number;
  /** Top-level (depth 0) items taken over. */
  topLevelItems: number;
  /** Item lines after the kept prefix that will be redone (an archive whose members may be incomplete). */
  redone: number;
  /** What ended the file: the interrupted run's summary, a torn line (hard kill) or nothing. */
  ending: 'summary' | 'torn-line' | 'none';
  /** The manifest's encoding: NDJSON, or a JSON document in the writer's line layout. */
  encoding: 'ndjson' | 'json';
}

/** What one line of a manifest holds, whichever the encoding. */
type LineRecord = { kind: 'record'; value: unknown; bytes: number } | { kind: 'skip' } | { kind: 'bad' };

const JSON_HEAD = /^\{"header":(.*),$/s;
const JSON_SUMMARY = /^"summary":(.*)\}$/s;

/**
 * The record on a line. `bytes` is the length of the line's record text
 * (a JSON document's item line without its separating comma), so a kept
 * prefix can end right after it.
 */
function recordOf(text: string, n: number, encoding: 'ndjson' | 'json'): LineRecord {
  const parse = (t: string): LineRecord => {
    try {
      return { kind: 'record', value: JSON.parse(t), bytes: Buffer.byteLength(t) };
    } catch {
      return { kind: 'bad' };
    }
  };
  if (encoding === 'ndjson') return parse(text);
  if (n === 1) {
    const head = JSON_HEAD.exec(text);
    return head ? parse(head[1]!) : { kind: 'bad' };
  }
  const t = text.trim();
  if (t === '' || t === '"items":[' || t === '],' || t === ']') return { kind: 'skip' };
  const summary = JSON_SUMMARY.exec(t);
  if (summary) return parse(summary[1]!);
  const item = parse(t.endsWith(',') ? t.slice(0, -1) : t);
  if (item.kind === 'record' && typeof item.value === 'object' && item.value !== null && !('type' in item.value))
    (item.value as Record<string, unknown>)['type'] = 'item';
  return item;
}

/** NDJSON starts with a header record line; a JSON document with `{"header":`. */
async function encodingOf(file: string): Promise<'ndjson' | 'json'> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await fd.read(Buffer.alloc(16), 0, 16, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').startsWith('{"header":') ? 'json' : 'ndjson';
  } finally {
    await fd.close();
  }
}

const NL = 0x0a;

/**
 * Longest manifest line read when resuming. evtriage's records are far shorter (an item's details and
 * reasons are bounded: a few KiB, rarely 1 MiB); a longer line is damage, and holding it whole would swell the
 * process by its length (twice, while it is joined and decoded). Past it: `RESUME_CORRUPT`, nothing written.
 */
export const MAX_RESUME_LINE_BYTES = 64 * 1024 * 1024;

/** Streams the lines of a file with their byte offsets; the last element may lack its newline (`complete: false`). */
async function* linesWithOffsets(
  file: string,
  end?: number,
): AsyncGenerator<{ start: number; end: number; text: string; complete: boolean }> {
  const tooLong = (): ResumeError =>
    new ResumeError(
      'RESUME_CORRUPT',
      `${file} has a line longer than ${MAX_RESUME_LINE_BYTES} bytes from byte ${pendingStart}; evtriage writes no such line. Check the file or start a new scan.`,
    );
  const stream = fs.createReadStream(file, {
    highWaterMark: 1 << 20,
    ...(end !== undefined ? { start: 0, end: end - 1 } : {}),
  });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingStart = 0;
  let pos = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) {
      if (pendingBytes + i - from > MAX_RESUME_LINE_BYTES) {
        stream.destroy();
        throw tooLong();
      }
      pending.push(chunk.subarray(from, i));
      const text = Buffer.concat(pending).toString('utf8');
      const lineEnd = pos + i + 1;
      yield { start: pendingStart, end: lineEnd, text, complete: true };
      pending = [];
      pendingBytes = 0;
      pendingStart = lineEnd;
      from = i + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
      if (pendingBytes > MAX_RESUME_LINE_BYTES) {
        stream.destroy();
        throw tooLong();
      }
    }
    pos += chunk.length;
  }
  if (pending.length > 0)
    yield { start: pendingStart, end: pos, text: Buffer.concat(pending).toString('utf8'), complete: false };
}

/**
 * Finds how much of a partial NDJSON manifest can be kept.
 *
 * @param containerFormats Format ids that the scan expands as nested archives: a last
 *   top-level item of one of these formats is redone, because its members may be incomplete.
 * @example
 * const point = await findResumePoint('run.ndjson', ['zip', 'tar']);
 * fs.truncateSync('run.ndjson', point.keepBytes);
 */
export async function findResumePoint(file: string, containerFormats: readonly string[] = []): Promise<ResumePoint> {
  const encoding = await encodingOf(file);
  let header: ManifestHeader | undefined;
  let committed = { end: 0, items: 0, top: 0 };
  // The current top-level group: a depth-0 item and the nested members after it.
  let group: { start: number; end: number; items: number; hasMembers: boolean; container: boolean } | undefined;
  let ending: ResumePoint['ending'] = 'none';
  let n = 0;
  for await (const line of linesWithOffsets(file)) {
    n++;
    if (ending === 'summary') {
      if (line.text.trim() === '') continue;
      throw new ResumeError(
        'RESUME_NOT_PARTIAL',
        `${file} has records after its summary (line ${n}); it is not a manifest evtriage wrote.`,
      );
    }
    const rec = recordOf(line.text, n, encoding);
    if (rec.kind === 'bad') {
      if (!line.complete) {
        ending = 'torn-line';
        break;
      }
      if (encoding === 'json')
        throw new ResumeError(
          'RESUME_CORRUPT',
          `${file} line ${n} is not a record in the line layout evtriage writes JSON manifests in (one item a line); only a torn last line can be dropped. Check the file or start a new scan.`,
        );
      throw new ResumeError(
        'RESUME_CORRUPT',
        `${file} line ${n} is not JSON; only a torn last line can be dropped. Check the file or start a new scan.`,
      );
    }
    if (rec.kind === 'skip') {
      // A JSON document's `"items":[`: nothing kept yet goes up to here.
      if (line.complete && header && committed.items === 0 && !group && line.text.trim() === '"items":[')
        committed = { end: line.end, items: 0, top: 0 };
      continue;
    }
    const value = rec.value;
    // Where a kept prefix ending with this record stops: after the line (NDJSON), or after the item's brace (JSON).
    const recordEnd =
      encoding === 'json' ? line.start + rec.bytes + (line.text.length - line.text.trimStart().length) : line.end;
    if (!line.complete) {
      // A whole record without its newline: written up to the last byte. Redo it to be safe.
      ending = 'torn-line';
      break;
    }
    const type = (value as { type?: unknown }).type;
    if (n === 1) {
      const parsed = ManifestHeader.safeParse(value);
      if (!parsed.success)
        throw new ResumeError(
          'RESUME_NOT_NDJSON',
          `${file} does not start with a manifest header; --resume needs a JSON or NDJSON manifest written by evtriage scan.`,
        );
      header = parsed.data;
      committed = { end: line.end, items: 0, top: 0 };
      continue;
    }
    if (type === 'summary') {
      const parsed = ManifestSummary.safeParse(value);
      if (!parsed.success)
        throw new ResumeError('RESUME_CORRUPT', `${file} line ${n}: the summary record is malformed.`);
      if (parsed.data.complete)
        throw new ResumeError(
          'RESUME_ALREADY_COMPLETE',
          `${file} is a complete manifest (its summary says complete: true); there is nothing to resume.`,
        );
      ending = 'summary';
      continue;
    }
    if (type !== 'item') throw new ResumeError('RESUME_CORRUPT', `${file} line ${n} is not an item record.`);
    const item = value as { depth?: number; format?: { id?: string }; kind?: string };
    const depth = item.depth ?? 0;
    if (depth === 0) {
      if (group) committed = { end: group.end, items: committed.items + group.items, top: committed.top + 1 };
      group = {
        start: line.start,
        end: recordEnd,
        items: 1,
        hasMembers: false,
        container: item.kind === 'file' && containerFormats.includes(item.format?.id ?? ''),
      };
    } else {
      if (!group)
        throw new ResumeError('RESUME_CORRUPT', `${file} line ${n}: an archive member with no archive before it.`);
      group.items++;
      group.hasMembers = true;
      group.end = recordEnd;
    }
  }
  if (!header)
    throw new ResumeError(
      'RESUME_NOT_NDJSON',
      `${file} is empty or has no header; --resume needs a JSON or NDJSON manifest written by evtriage scan.`,
    );
  let redone = 0;
  if (group) {
    if (group.hasMembers || group.container) redone = group.items;
    else committed = { end: group.end, items: committed.items + group.items, top: committed.top + 1 };
  }
  return {
    header,
    keepBytes: committed.end,
    items: committed.items,
    topLevelItems: committed.top,
    redone,
    ending,
    encoding,
  };
}

/**
 * Streams the items of the kept prefix of a partial manifest (validated
 * against the model), for `ScanOptions.resume`.
 *
 * @example
 * scan(source, { plugins, resume: recordedItems('run.ndjson', point.keepBytes) });
 */
export async function* recordedItems(file: string, keepBytes: number): AsyncGenerator<EvidenceItem> {
  const encoding = await encodingOf(file);
  let n = 0;
  for await (const line of linesWithOffsets(file, keepBytes)) {
    n++;
    if (n === 1) continue;
    const rec = recordOf(line.text, n, encoding);
    if (rec.kind === 'skip') continue;
    if (rec.kind === 'bad') throw new ResumeError('RESUME_CORRUPT', `${file} line ${n}: not a valid item record.`);
    const parsed = ItemRecord.safeParse(rec.value);
    if (!parsed.success)
      throw new ResumeError(
        'RESUME_CORRUPT',
        `${file} line ${n}: not a valid item record (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
      );
    const { type: _type, ...item } = parsed.data;
    yield item;
  }
}

/** Resume progress as the scan sees it. */
export interface ResumeCursor {
  /** The next recorded top-level item, after counting the nested members before it; undefined once all are used. */
  nextTopLevel(): Promise<EvidenceItem | undefined>;
  /** True once the recorded items are used up. */
  readonly done: boolean;
}

/** Walks recorded items top-level item by top-level item, handing nested members to `onNested`. */
export function createResumeCursor(
  recorded: AsyncIterable<EvidenceItem>,
  onNested: (item: EvidenceItem) => void,
): ResumeCursor {
  const it = recorded[Symbol.asyncIterator]();
  let done = false;
  return {
    get done() {
      return done;
    },
    async nextTopLevel() {
      while (!done) {
        const next = await it.next();
        if (next.done) {
          done = true;
          return undefined;
        }
        if ((next.value.depth ?? 0) > 0) onNested(next.value);
        else return next.value;
      }
      return undefined;
    },
  };
}
