/**
 * The built-in source kinds, as a list callers pass to `openSource` (the
 * default when they pass none). Detection: a folder with Manifest.plist +
 * Manifest.db is an iOS backup; a file is a ZIP, TAR, TAR.GZ, TAR.XZ, TAR.ZST, TAR.BZ2, TAR.LZMA or TAR.LZ by
 * extension, else by magic (PK\x03\x04, "ustar" at 257, the compressor's: compressed.ts); any other folder is a
 * plain folder (last, so the specific kinds are asked first). A compressed file whose expansion does not start
 * with a TAR header is one member, its expanded stream, as it is inside a source (nested.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS } from '../limits.js';
import { headOf } from './archive-common.js';
import { defineSource, type SourceDefinition, type SourceOpenContext } from './definition.js';
import { FolderSource } from './folder.js';
import { iosBackupLayout, IosBackupSource, isIosBackupFolder } from './ios-backup.js';
import { SourceError } from './source-error.js';
import { CODEC_HEAD_BYTES, codecOf } from './compressed.js';
import type { EvidenceSource } from './source.js';
import { openLocalReader } from './folder.js';
import { GzipSource, gzipMemberName, measureGzip, GZIP_WHOLE_BYTES } from './gzip.js';
import { firstInflated, looksLikeTarHeader } from './nested.js';
import { readFully } from './readers.js';
import { guessTar, TAR_KINDS, TarSource } from './tar.js';
import { guessZip, ZipSource } from './zip.js';

function guessFile(file: string, stat: fs.Stats): 'zip' | NonNullable<ReturnType<typeof guessTar>> | undefined {
  if (!stat.isFile()) return undefined;
  let head: Buffer;
  try {
    head = headOf(file, 512);
  } catch {
    return undefined;
  }
  const tar = guessTar(file, head);
  if (tar) return tar;
  if (guessZip(file, head)) return 'zip';
  const codec = codecOf(head);
  if (codec) return TAR_KINDS[codec];
  return undefined;
}

/**
 * The archive the analyst chose is the evidence: it is read whole, with no
 * expansion-ratio guard (a LUKS or FAT image of zeros legitimately expands
 * 900:1). Its members and streams stay bounded by the expanded-bytes and
 * member limits; archives found inside it get the ratio guard as well.
 */
const archiveOptions = (c: SourceOpenContext) => ({
  limits: { ...DEFAULT_LIMITS, ...c.limits, maxExpansionRatio: Number.POSITIVE_INFINITY },
});

export const iosBackupSource = defineSource({
  id: 'ios-backup',
  guess: (p, st) => st.isDirectory() && isIosBackupFolder(p),
  open: async (p) => new IosBackupSource(p),
  // The same backup layout inside a folder source (MobileSync/Backup/<udid>/ in a computer image or a collected folder).
  folderLayout: iosBackupLayout,
});

export const zipSource = defineSource({
  id: 'zip',
  guess: (p, st) => guessFile(p, st) === 'zip',
  open: (p, c) => ZipSource.fromFile(p, p, archiveOptions(c)),
});

export const tarSource = defineSource({
  id: 'tar',
  guess: (p, st) => guessFile(p, st) === 'tar',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
});

/**
 * A compressed file given as the source: a TAR inside (its first 512 expanded bytes are a TAR header) is read
 * as a TAR; any other stream (`evidence.img.xz`, a lone `.gz`) is a source of one member, its expansion, named
 * as inside a source (`gzipMemberName`), measured in one pass within the expanded-bytes limit (no ratio guard:
 * the source is the evidence). Before, such a stream was read as a TAR: no items, or only a TAR error.
 */
async function openCompressedFile(p: string, c: SourceOpenContext, kind?: 'tar.lzma'): Promise<EvidenceSource> {
  const opts = archiveOptions(c);
  const reader = await openLocalReader(p);
  try {
    // LZMA-alone has no magic: a `.lzma`, `.tlz` or `.tar.lzma` name is what says it is one (kind).
    const codec =
      codecOf(await readFully(reader, 0, Math.min(reader.size, CODEC_HEAD_BYTES))) ?? (kind ? 'lzma' : undefined);
    if (codec && !looksLikeTarHeader(await firstInflated(reader, 512, codec))) {
      const measured = await measureGzip(reader, opts, GZIP_WHOLE_BYTES, codec);
      const name = gzipMemberName(path.basename(p), await readFully(reader, 0, Math.min(reader.size, 1024)), codec);
      return new GzipSource(
        reader,
        () => reader.close(),
        {
          name,
          size: measured.size,
          ...(measured.problem ? { problem: measured.problem } : {}),
          ...(measured.whole ? { whole: measured.whole } : {}),
          ...(measured.note ? { note: measured.note } : {}),
        },
        { path: p, kind: 'file' },
        opts,
        codec,
      );
    }
  } catch (err) {
    await reader.close();
    throw err;
  }
  await reader.close();
  return TarSource.fromFile(p, p, kind, opts);
}

export const tarGzSource = defineSource({
  id: 'tar.gz',
  guess: (p, st) => guessFile(p, st) === 'tar.gz',
  open: openCompressedFile,
});

export const tarXzSource = defineSource({
  id: 'tar.xz',
  guess: (p, st) => guessFile(p, st) === 'tar.xz',
  open: openCompressedFile,
});

export const tarZstSource = defineSource({
  id: 'tar.zst',
  guess: (p, st) => guessFile(p, st) === 'tar.zst',
  open: openCompressedFile,
});

export const tarBz2Source = defineSource({
  id: 'tar.bz2',
  guess: (p, st) => guessFile(p, st) === 'tar.bz2',
  open: openCompressedFile,
});

export const tarLzmaSource = defineSource({
  id: 'tar.lzma',
  guess: (p, st) => guessFile(p, st) === 'tar.lzma',
  open: (p, c) => openCompressedFile(p, c, 'tar.lzma'),
});

export const tarLzSource = defineSource({
  id: 'tar.lz',
  guess: (p, st) => guessFile(p, st) === 'tar.lz',
  open: openCompressedFile,
});

export const tarLz4Source = defineSource({
  id: 'tar.lz4',
  guess: (p, st) => guessFile(p, st) === 'tar.lz4',
  open: openCompressedFile,
});

export const tarZSource = defineSource({
  id: 'tar.Z',
  guess: (p, st) => guessFile(p, st) === 'tar.Z',
  open: openCompressedFile,
});

export const tarLzoSource = defineSource({
  id: 'tar.lzo',
  guess: (p, st) => guessFile(p, st) === 'tar.lzo',
  open: openCompressedFile,
});

/** A plain folder, walked with the layouts of the other sources in the list. */
export const folderSource = defineSource({
  id: 'folder',
  guess: (_p, st) => st.isDirectory(),
  open: async (p, c) => {
    try {
      fs.readdirSync(p);
    } catch (err) {
      throw new SourceError('SOURCE_UNREADABLE', `${p} cannot be listed: ${(err as Error).message}`);
    }
    return new FolderSource(p, p, { layouts: c.layouts });
  },
});

/** Every built-in source kind, specific ones first. */
export const builtinSources: readonly SourceDefinition[] = Object.freeze([
  iosBackupSource,
  zipSource,
  tarSource,
  tarGzSource,
  tarXzSource,
  tarZstSource,
  tarBz2Source,
  tarLzmaSource,
  tarLzSource,
  tarLz4Source,
  tarZSource,
  tarLzoSource,
  folderSource,
]);
