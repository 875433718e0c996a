/**
 * The built-in source kinds, as a list callers pass to `openSource` (the
 * default when they pass none). Detection: a folder with Manifest.plist +
 * Manifest.db is an iOS backup; a file is a ZIP, TAR, TAR.GZ, TAR.XZ, TAR.ZST or TAR.BZ2 by
 * extension, else by magic (PK\x03\x04, "ustar" at 257, the compressor's: compressed.ts); any other folder is a
 * plain folder (last, so the specific kinds are asked first).
 */
import fs from 'node:fs';
import { DEFAULT_LIMITS } from '../limits.js';
import { headOf } from './archive-common.js';
import { defineSource, type SourceDefinition, type SourceOpenContext } from './definition.js';
import { FolderSource } from './folder.js';
import { iosBackupLayout, IosBackupSource, isIosBackupFolder } from './ios-backup.js';
import { SourceError } from './source-error.js';
import { codecOf } from './compressed.js';
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

export const tarGzSource = defineSource({
  id: 'tar.gz',
  guess: (p, st) => guessFile(p, st) === 'tar.gz',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
});

export const tarXzSource = defineSource({
  id: 'tar.xz',
  guess: (p, st) => guessFile(p, st) === 'tar.xz',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
});

export const tarZstSource = defineSource({
  id: 'tar.zst',
  guess: (p, st) => guessFile(p, st) === 'tar.zst',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
});

export const tarBz2Source = defineSource({
  id: 'tar.bz2',
  guess: (p, st) => guessFile(p, st) === 'tar.bz2',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
});

export const tarLzmaSource = defineSource({
  id: 'tar.lzma',
  guess: (p, st) => guessFile(p, st) === 'tar.lzma',
  open: (p, c) => TarSource.fromFile(p, p, 'tar.lzma', archiveOptions(c)),
});

export const tarLzSource = defineSource({
  id: 'tar.lz',
  guess: (p, st) => guessFile(p, st) === 'tar.lz',
  open: (p, c) => TarSource.fromFile(p, p, undefined, archiveOptions(c)),
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
  folderSource,
]);
