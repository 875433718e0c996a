/**
 * `evtriage scan --resume <partial.ndjson|partial.json>`: finishing an
 * interrupted manifest, NDJSON or JSON (in the line layout evtriage writes). By default the partial file is completed in place: its closing
 * `complete: false` summary (and a torn last line, after a hard kill) is cut
 * off and the new items and a final summary are appended. With `-o <other>`
 * the kept part is copied to a new file and the partial one is left as it is.
 * Nothing is touched until the first new record is ready, so a resume that
 * is refused (other source, other options) or interrupted before doing
 * anything leaves the partial manifest unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type EvidenceItem, type ManifestHeader } from '@evtriage/core';
import { findResumePoint, recordedItems, type ResumePoint } from '@evtriage/core/internal';
import { CliError } from '../exit-codes.js';

export interface ResumePlan {
  file: string;
  point: ResumePoint;
  /** Where the finished manifest goes (the partial file itself unless -o names another). */
  output: string;
  /** Recorded items with at least one error-severity problem, counted as they are replayed (for the exit code). */
  readonly recordedWithErrors: number;
  /** The recorded items, streamed for `ScanOptions.resume`. */
  items(): AsyncIterable<EvidenceItem>;
}

/** Reads the partial manifest and works out what is kept (no writes). */
export async function planResume(
  file: string,
  output: string | undefined,
  containerFormats: readonly string[],
): Promise<ResumePlan> {
  if (!fs.existsSync(file))
    throw new CliError(`--resume: ${file} does not exist. Give the NDJSON manifest of the interrupted scan.`);
  let point: ResumePoint;
  try {
    point = await findResumePoint(file, containerFormats);
  } catch (err) {
    throw new CliError(`--resume: ${(err as Error).message}`);
  }
  let withErrors = 0;
  return {
    file,
    point,
    output: output ?? file,
    get recordedWithErrors() {
      return withErrors;
    },
    async *items() {
      for await (const item of recordedItems(file, point.keepBytes)) {
        if (item.errors.some((e) => e.severity === 'error')) withErrors++;
        yield item;
      }
    },
  };
}

/** Why a report format or standard output cannot be resumed, in words for the analyst, and what to do next time. */
export const WHY_NOT_RESUMABLE =
  'Only a JSON or NDJSON manifest written to a file can be finished with --resume: it is written one item a line, so an interrupted one has a last whole record to continue from; a report (HTML, CSV, CASE, DFXML) is laid out from the summary at the end, and standard output cannot be reopened. Run the scan again with -o manifest.ndjson (or .json) and make the report from it with evtriage report.';

/** Header fields that must match for the recorded items and the new ones to belong to one manifest. */
function comparable(h: ManifestHeader): Record<string, unknown> {
  const {
    concurrency: _c,
    format: _f,
    hashSource: _h,
    limits,
    ...options
  } = h.options as Record<string, unknown> & { limits?: Record<string, unknown> };
  // Timeouts, the parse children's heap cap and concurrency change how long a scan takes,
  // not what it records for items that finish.
  const { itemTimeoutMs: _i, pluginTimeoutMs: _p, workerHeapMb: _w, ...stableLimits } = limits ?? {};
  return {
    tool: h.tool,
    contractVersion: h.contractVersion,
    schemaVersion: h.schemaVersion,
    plugins: h.plugins,
    sourceKind: h.source.kind,
    options: { ...options, limits: stableLimits },
    case: h.case,
  };
}

/** Refuses a resume whose settings differ from the interrupted run's, naming what differs. */
export function checkCompatible(recorded: ManifestHeader, current: ManifestHeader): void {
  const a = comparable(recorded);
  const b = comparable(current);
  const differs = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (differs.length > 0) {
    throw new CliError(
      `--resume: the interrupted scan used different ${differs.join(', ')} (recorded: ${differs.map((k) => JSON.stringify(a[k])).join('; ')}). Resume with the same options and evtriage version, or start a new scan.`,
    );
  }
}

/**
 * The output stream of a resumed manifest: on the first write it cuts the
 * partial file to the kept prefix (or copies that prefix to a new file),
 * then appends. Writes are synchronous positional writes, one record each.
 */
export function createResumeOutput(plan: ResumePlan): Writable & { readonly touched: boolean } {
  let fd: number | undefined;
  let position = plan.point.keepBytes;
  const inPlace = path.resolve(plan.output) === path.resolve(plan.file);
  const open = () => {
    if (inPlace) {
      fd = fs.openSync(plan.file, 'r+');
      fs.ftruncateSync(fd, plan.point.keepBytes);
    } else {
      fs.copyFileSync(plan.file, plan.output);
      fd = fs.openSync(plan.output, 'r+');
      fs.ftruncateSync(fd, plan.point.keepBytes);
    }
  };
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        if (fd === undefined) open();
        for (let off = 0; off < chunk.length;) {
          const n = fs.writeSync(fd!, chunk, off, chunk.length - off, position);
          off += n;
          position += n;
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    final(cb) {
      try {
        if (fd !== undefined) {
          fs.fsyncSync(fd);
          fs.closeSync(fd);
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  return Object.defineProperty(stream, 'touched', { get: () => fd !== undefined }) as Writable & {
    readonly touched: boolean;
  };
}
