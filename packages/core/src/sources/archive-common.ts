/**
 * What the archive sources share: options (limits, the scan-wide expansion
 * budget), the entry for a problem with the archive itself, random access to
 * a nested archive's bytes, and the expansion-ratio rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, type ScanLimits } from '../limits.js';
import type { ExpansionBudget } from '../pipeline/containers.js';
import { probePlan } from '../pipeline/probe.js';
import { openLocalReader } from './folder.js';
import { escapePathBangs } from './manifest-paths.js';
import { openReadOnly } from './read-only.js';
import { bufferReader, collect, InflatingReader, readableFrom, withLocalFile, type RandomRead } from './readers.js';
import type { ByteReader, SourceEntry } from './source.js';
import { Spool, type SpoolLimits } from './spool.js';

export interface ArchiveOptions {
  limits?: ScanLimits;
  /** Scan-wide budget for bytes nested archives expand to (absent for the top-level source). */
  budget?: ExpansionBudget;
  /** True when the archive sits inside another source: problems with it are recorded on its container item. */
  nested?: boolean;
  /** Where a streamed member's bytes are kept (TAR.GZ, GZIP). */
  spool?: SpoolLimits;
  /** Bytes a streamed archive may hold for companions read beside a member (companions.ts; COMPANION_HOLD_BYTES). */
  companionBytes?: number;
}

/**
 * Archives with more members than this get no path index (ZIP's readPath and siblings, TAR's companions): it would
 * cost too much memory (a name and a few numbers a member).
 */
export const INDEX_MAX_MEMBERS = 1_000_000;

/**
 * Members that expand to no more than this are never refused for their ratio: a LUKS header file, a mostly empty
 * disk or file-system image, a database of zeroed pages compress 1000:1 and more, and are evidence; expanding one
 * costs a fraction of a second, and the scan-wide expanded-bytes budget bounds how many. (Autopsy's extractor
 * checks the ratio only from 500 MB; this stays far below that.)
 */
export const RATIO_FLOOR_BYTES = 32 * 1024 * 1024;

/**
 * Why a member or stream expanding from `compressed` to `expanded` bytes is
 * refused, or undefined. The source archive itself is opened with no ratio
 * limit (it is the evidence, read whole; see builtin.ts), so the
 * expanded-bytes limit is what bounds it.
 */
export function ratioProblem(
  what: string,
  expanded: number,
  compressed: number,
  limits: ScanLimits,
): string | undefined {
  if (expanded > limits.maxExpandedBytes) {
    return `${what} expands past ${limits.maxExpandedBytes} bytes, the expanded-bytes limit; not expanded further (a zip-bomb guard; raise --max-expanded to read it).`;
  }
  if (expanded <= RATIO_FLOOR_BYTES) return undefined;
  const ratio = expanded / Math.max(1, compressed);
  if (ratio <= limits.maxExpansionRatio) return undefined;
  return `${what} expands ${Math.round(ratio)}:1 (${expanded} bytes from ${compressed}), past the expansion-ratio limit of ${limits.maxExpansionRatio}:1; not expanded (a zip-bomb guard; raise --max-ratio to read it).`;
}

/**
 * Members that are themselves archives are held to the old floor: a nested zip bomb is built of archives of a few
 * MiB that expand hundreds to one (42.zip's inner levels), each opening sixteen more.
 */
export const NESTED_RATIO_FLOOR_BYTES = 1024 * 1024;

/**
 * Why a member that expanded from `compressed` to `size` bytes in its archive is not itself opened as an archive,
 * or undefined: past the nested floor and the ratio limit, it is read and classified, but its members are not listed.
 */
export function denseArchiveProblem(size: number, compressed: number, limits: ScanLimits): string | undefined {
  if (size <= NESTED_RATIO_FLOOR_BYTES) return undefined;
  const ratio = size / Math.max(1, compressed);
  if (ratio <= limits.maxExpansionRatio) return undefined;
  return `Its members are not listed: the archive expanded ${Math.round(ratio)}:1 (${size} bytes from ${compressed}) in the archive holding it, past the expansion-ratio limit of ${limits.maxExpansionRatio}:1 for archives inside archives (a guard against nested zip bombs; raise --max-ratio to list them).`;
}

export function limitsOf(opts: ArchiveOptions): ScanLimits {
  return opts.limits ?? DEFAULT_LIMITS;
}

/** The windows a probe will ask for in a member of `size` bytes. */
export function probeWindows(size: number, limits: ScanLimits): Array<{ offset: number; length: number }> {
  const plan = probePlan(size, limits);
  const out = [{ offset: 0, length: plan.head }];
  for (const s of plan.samples) out.push({ offset: s, length: limits.probeSampleBytes });
  if (plan.tail) out.push({ offset: size - plan.tail, length: plan.tail });
  return out;
}

/** An entry standing for a problem with the archive itself (a truncated or corrupt stream found while listing). */
export function archiveProblemEntry(archivePath: string, nested: boolean, code: string, message: string): SourceEntry {
  return {
    path: nested ? '' : `${escapePathBangs(path.basename(archivePath))}!/`,
    kind: 'other',
    size: 0,
    times: {},
    depth: 0,
    error: { code, message },
  };
}

/** Bytes of a nested archive held in memory at most; larger ones that need random access are spooled to a temporary file. */
export const NESTED_MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * Random access to an entry's bytes, for a nested ZIP (central directory at
 * the end) or TAR. Local files and members read in place are used as they
 * are; a member that must be inflated is inflated once into memory (up to
 * 64 MiB) or into a private temporary file.
 */
export async function randomAccess(entry: SourceEntry): Promise<{ reader: RandomRead; close: () => Promise<void> }> {
  if (entry.localPath !== undefined) {
    const r = await openLocalReader(entry.localPath);
    // A nested archive that is a local file: its members can be read where they lie (zip-member.ts).
    return { reader: withLocalFile(r, entry.localPath), close: () => r.close() };
  }
  if (!entry.open) throw Object.assign(new Error('the archive has no readable content'), { code: 'ENOCONTENT' });
  const r = await entry.open();
  if (!(r instanceof InflatingReader)) return { reader: r, close: () => r.close() };
  try {
    // Already inflated whole (the probe read it): no second pass.
    const whole = r.kept;
    if (whole && whole.length === r.size) return { reader: bufferReader(whole), close: async () => undefined };
    if (r.size <= NESTED_MEMORY_BYTES) {
      const bytes = await collect(readableFrom(r, 0, r.size, 1024 * 1024), r.size);
      return { reader: bufferReader(bytes), close: async () => undefined };
    }
    const spool = new Spool({ memberMemoryBytes: 0, poolBytes: 0, spoolMaxBytes: Number.MAX_SAFE_INTEGER });
    const w = spool.begin(r.size, []);
    for (let pos = 0; pos < r.size;) {
      const chunk = await r.read(pos, Math.min(4 * 1024 * 1024, r.size - pos));
      if (chunk.length === 0) break;
      w.write(chunk);
      pos += chunk.length;
    }
    const kept = w.finish();
    const reader: ByteReader = await kept.open();
    return {
      reader,
      close: async () => {
        kept.release();
        spool.close();
      },
    };
  } finally {
    await r.close();
  }
}

/** Whether a path names a regular file (for source-kind guessing). */
export function isFile(stat: fs.Stats): boolean {
  return stat.isFile();
}

/** Reads the first bytes of a local file (for magic checks when guessing a source kind). */
export function headOf(file: string, length: number): Buffer {
  const fd = openReadOnly(file);
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
