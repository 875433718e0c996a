/**
 * The built-in source kinds, as a list callers pass to `openSource` (the
 * default when they pass none). Detection: a folder with Manifest.plist +
 * Manifest.db is an iOS backup; a file is a ZIP, TAR or TAR.GZ by extension,
 * else by magic (PK\x03\x04, 1f 8b, "ustar" at 257); any other folder is a
 * plain folder (last, so the specific kinds are asked first).
 */
import fs from 'node:fs';
import { DEFAULT_LIMITS } from '../limits.js';
import { headOf } from './archive-common.js';
import { defineSource, type SourceDefinition, type SourceOpenContext } from './definition.js';
import { FolderSource } from './folder.js';
import { iosBackupLayout, IosBackupSource, isIosBackupFolder } from './ios-backup.js';
import { SourceError } from './source-error.js';
import { guessTar, TarSource } from './tar.js';
import { guessZip, ZipSource } from './zip.js';

function guessFile(file: string, stat: fs.Stats): 'zip' | 'tar' | 'tar.gz' | undefined {
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
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
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
  folderSource,
]);
