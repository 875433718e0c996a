/**
 * Registers the built-in source kinds (ZIP, TAR, TAR.GZ, iOS backup) with
 * `openSource`, so `evtriage scan dump.zip` or a backup folder works without
 * the caller naming the kind. Imported for its effect by the package index.
 * Detection: a folder with Manifest.plist + Manifest.db is an iOS backup; a
 * file is a ZIP, TAR or TAR.GZ by extension, else by magic (PK\x03\x04,
 * 1f 8b, "ustar" at 257).
 */
import type fs from 'node:fs';
import { headOf } from './archive-common.js';
import { iosBackupLayout, IosBackupSource, isIosBackupFolder } from './ios-backup.js';
import { registerFolderLayout } from './folder-layout.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { registerSourceKind, type SourceOpenOptions } from './open.js';
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
const archiveOptions = (o?: SourceOpenOptions) => ({
  limits: { ...DEFAULT_LIMITS, ...o?.limits, maxExpansionRatio: Number.POSITIVE_INFINITY },
});

registerSourceKind(
  'zip',
  (p, o) => ZipSource.fromFile(p, p, archiveOptions(o)),
  (p, st) => (guessFile(p, st) === 'zip' ? 'zip' : undefined),
);
registerSourceKind(
  'tar',
  (p, o) => TarSource.fromFile(p, p, undefined, archiveOptions(o)),
  (p, st) => (guessFile(p, st) === 'tar' ? 'tar' : undefined),
);
registerSourceKind(
  'tar.gz',
  (p, o) => TarSource.fromFile(p, p, undefined, archiveOptions(o)),
  (p, st) => (guessFile(p, st) === 'tar.gz' ? 'tar.gz' : undefined),
);
registerSourceKind(
  'ios-backup',
  async (p) => new IosBackupSource(p),
  (p, st) => (st.isDirectory() && isIosBackupFolder(p) ? 'ios-backup' : undefined),
);
// The same backup layout inside a folder source (MobileSync/Backup/<udid>/ in a computer image or a collected folder).
registerFolderLayout(iosBackupLayout);
