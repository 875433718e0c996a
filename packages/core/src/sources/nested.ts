/**
 * Openers for archives found inside a source (ZIP, TAR, a lone GZIP, xz,
 * Zstandard, bzip2, LZMA, lzip, LZ4, compress (.Z) or lzop stream, or a TAR inside one). Each one checks the limits before the container item is written:
 * the member count, the expansion ratio (per member from the ZIP directory,
 * per stream for GZIP) and the scan-wide expansion budget. What it finds is
 * recorded on the container item; a container that cannot be opened at all
 * throws, and the scan records that on the item.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ContainerContext, ContainerOpener } from '../pipeline/containers.js';
import { randomAccess, type ArchiveOptions } from './archive-common.js';
import { CODEC_HEAD_BYTES, codecFor, decompress, type StreamCodec } from './compressed.js';
import { GzipSource, gzipMemberName, measureGzip, trailingNote, GZIP_WHOLE_BYTES } from './gzip.js';
import { nextChunk, readableFrom, readFully, sliceReader, type RandomRead } from './readers.js';
import type { EvidenceSource, SourceEntry } from './source.js';
import { TAR_KINDS, TarSource } from './tar.js';
import { ZipSource } from './zip.js';

function record(item: EvidenceItem, code: string, message: string, severity: 'warning' | 'error' = 'error'): void {
  item.errors.push({ stage: 'container', code, message, severity });
}

function budgetError(what: string, bytes: number, ctx: ContainerContext): Error {
  return Object.assign(
    new Error(
      `${what} would expand to ${bytes} bytes, past what is left of the scan-wide expansion budget (${ctx.limits.maxExpandedBytes} bytes, ${ctx.budget.expanded} used; a zip-bomb guard; raise --max-expanded to open it)`,
    ),
    { code: 'ARCHIVE_EXPANSION_LIMIT' },
  );
}

function optionsOf(ctx: ContainerContext): ArchiveOptions {
  return { limits: ctx.limits, budget: ctx.budget, nested: true };
}

async function withBase<T>(
  entry: SourceEntry,
  use: (base: RandomRead, close: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const { reader, close } = await randomAccess(entry);
  try {
    return await use(reader, close);
  } catch (err) {
    await close();
    throw err;
  }
}

/** Opens a TAR over random-access bytes, after a listing pass that checks the limits. */
async function openTar(
  base: RandomRead,
  close: () => Promise<void>,
  item: EvidenceItem,
  ctx: ContainerContext,
): Promise<EvidenceSource> {
  const tar = new TarSource({ kind: 'random', reader: base, close }, { path: item.path, kind: 'tar' }, optionsOf(ctx));
  const check = await tar.check();
  if (check.problem?.code === 'ARCHIVE_RATIO_LIMIT')
    throw Object.assign(new Error(check.problem.message), { code: check.problem.code });
  if (check.problem) record(item, check.problem.code, check.problem.message);
  if (!ctx.budget.take(check.expanded)) throw budgetError('its members', check.expanded, ctx);
  return tar;
}

/**
 * ZIP archives, including those with encrypted members (listed, each member
 * flagged). App packages and office documents (apk, ipa, jar, docx...) are
 * identified as such and not expanded: their members are code and parts, not
 * evidence files, and an extraction holds thousands of them. Bundles of
 * packages are expanded: their members are packages (and an XAPK's OBB
 * files), each with a verdict of its own.
 */
export const zipContainer: ContainerOpener = {
  formats: ['zip', 'zip-encrypted', 'apks', 'xapk', 'apkm', 'msixbundle'],
  open: (entry, item, ctx) => withBase(entry, (base, close) => openZipOver(base, close, item, ctx)),
};

/** A ZIP over random-access bytes; what its directory check finds is recorded on the container item. */
async function openZipOver(
  bytes: RandomRead,
  close: () => Promise<void>,
  item: EvidenceItem,
  ctx: ContainerContext,
): Promise<EvidenceSource> {
  const { source, problems } = await ZipSource.nested(bytes, close, { path: item.path, kind: 'zip' }, optionsOf(ctx));
  for (const p of problems) record(item, p.code, p.message, p.severity);
  return source;
}

/**
 * Where a ZIP behind a prefix lies, from its detector's figures: `offsetDelta`
 * (what the directory's offsets lack: the prefix for an archive appended as
 * written, 0 once `zip -A` shifted them) and `trailingBytes` after its end
 * record (which unzip tolerates and yauzl does not).
 */
function prefixedZipView(item: EvidenceItem): { start: number; trailing: number } | undefined {
  for (const r of item.classification?.reasons ?? []) {
    const { offsetDelta, trailingBytes } = r.figures ?? {};
    if (typeof offsetDelta !== 'number' || typeof trailingBytes !== 'number') continue;
    if (offsetDelta < 0 || trailingBytes < 0 || offsetDelta + trailingBytes >= item.size) return undefined;
    return { start: offsetDelta, trailing: trailingBytes };
  }
  return undefined;
}

/**
 * ZIP archives behind a prefix (a self-extractor stub, a launcher script),
 * read as a ZIP over the bytes the detector located: from the prefix on when
 * the offsets count from the archive's own start, whole when they count from
 * the file's, without bytes after the end record.
 */
export const prefixedZipContainer: ContainerOpener = {
  formats: ['zip-prefixed', 'zip-prefixed-encrypted'],
  open: (entry, item, ctx) => {
    const where = prefixedZipView(item);
    if (!where) return Promise.reject(new Error('its detector did not say where the ZIP behind the prefix lies'));
    return withBase(entry, (base, close) =>
      openZipOver(sliceReader(base, where.start, base.size - where.start - where.trailing), close, item, ctx),
    );
  },
};

export const tarContainer: ContainerOpener = {
  formats: ['tar'],
  open: (entry, item, ctx) => withBase(entry, (base, close) => openTar(base, close, item, ctx)),
};

/** Whether 512 bytes look like a TAR header (ustar magic or a valid header checksum). */
export function looksLikeTarHeader(block: Buffer): boolean {
  if (block.length < 512) return false;
  if (block.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored && sum !== 256;
}

/** Up to `length` bytes from the start of `codec`'s expansion of `base` (fewer when the stream ends or breaks first). */
export async function firstInflated(base: RandomRead, length: number, codec: StreamCodec): Promise<Buffer> {
  const g = decompress(codec, readableFrom(base, 0, base.size, 64 * 1024));
  const parts: Buffer[] = [];
  let n = 0;
  try {
    // nextChunk, not the stream's async iterator: no AbortError with its stack when it is left (readers.ts).
    while (n < length) {
      const c = await nextChunk(g);
      if (c === null) break;
      parts.push(c);
      n += c.length;
    }
  } catch {
    // A damaged stream: whatever came out is what we look at.
  } finally {
    g.destroy();
  }
  return Buffer.concat(parts).subarray(0, length);
}

/**
 * A lone compressed stream (GZIP, xz, Zstandard, bzip2, LZMA, lzip, LZ4 and Firefox's mozLz4, compress's .Z, lzop): a TAR inside it (its first
 * expanded 512 bytes are a TAR header) is opened as a TAR read in one pass per
 * use; anything else is one member, named by the stream's name without its suffix.
 */
export const gzipContainer: ContainerOpener = {
  formats: [
    'gzip',
    'tar.gz',
    'xz',
    'tar.xz',
    'zstd',
    'tar.zst',
    'bzip2',
    'tar.bz2',
    'lzma',
    'lz',
    'lz4',
    'lz4-legacy',
    'mozlz4',
    'tar.lz4',
    'compress-z',
    'lzop',
  ],
  open: (entry, item, ctx) =>
    withBase(entry, async (base, close) => {
      const codec = codecFor(await readFully(base, 0, Math.min(base.size, CODEC_HEAD_BYTES)), item.format?.id);
      if (!codec) throw new Error(`its first bytes are not the magic of a ${item.format?.id ?? 'compressed'} stream`);
      const head = await firstInflated(base, 512, codec);
      if (looksLikeTarHeader(head)) {
        let counted = 0;
        const tar = new TarSource(
          {
            kind: 'stream',
            open: () => {
              counted = 0;
              const raw = readableFrom(base, 0, base.size, 1024 * 1024, (n) => (counted += n));
              // Bytes after the last GZIP member or bzip2 stream: said once, on the container item (a warning: the TAR is whole).
              return decompress(codec, raw, (t) => {
                const note = trailingNote(t, codec);
                if (!item.errors.some((e) => e.code === note.code)) record(item, note.code, note.message, 'warning');
              });
            },
            compressedBytes: () => counted,
            close,
          },
          { path: item.path, kind: TAR_KINDS[codec] },
          optionsOf(ctx),
        );
        // One listing pass first: count, ratio, truncation and size are known before the container item is written.
        const check = await tar.check();
        if (check.problem?.code === 'ARCHIVE_RATIO_LIMIT')
          throw Object.assign(new Error(check.problem.message), { code: check.problem.code });
        if (check.problem) record(item, check.problem.code, check.problem.message);
        if (!ctx.budget.take(check.expanded)) throw budgetError('its members', check.expanded, ctx);
        return tar;
      }
      const measured = await measureGzip(base, optionsOf(ctx), GZIP_WHOLE_BYTES, codec);
      if (measured.problem?.code === 'ARCHIVE_RATIO_LIMIT')
        throw Object.assign(new Error(measured.problem.message), { code: measured.problem.code });
      if (measured.problem) record(item, measured.problem.code, measured.problem.message);
      if (!ctx.budget.take(measured.size)) throw budgetError('the stream', measured.size, ctx);
      const name = gzipMemberName(
        item.path.split('!/').pop() ?? item.path,
        await readFully(base, 0, Math.min(base.size, 1024)),
        codec,
      );
      return new GzipSource(
        base,
        close,
        {
          name,
          size: measured.size,
          ...(measured.problem ? { problem: measured.problem } : {}),
          ...(measured.whole ? { whole: measured.whole } : {}),
          ...(measured.note ? { note: measured.note } : {}),
        },
        { path: item.path, kind: 'file' },
        optionsOf(ctx),
        codec,
      );
    }),
};
