/**
 * iOS backup source: an iTunes/Finder backup folder (iOS 10 and later:
 * `Manifest.db`, `Manifest.plist`, `Info.plist`, `Status.plist` and the files
 * stored as `xx/<sha1(domain-relativePath)>`). Entries are the folder's files,
 * walked read-only as any folder; each stored file keeps its hashed `path` and
 * gains `logicalPath` = `<domain>/<relativePath>` from `Manifest.db`'s Files
 * table, so format and app decisions use the real path.
 *
 * An encrypted backup (`IsEncrypted` in Manifest.plist) encrypts every stored
 * file and `Manifest.db` itself (AES-256 with keys wrapped by the BackupKeyBag,
 * unlocked by the backup password; Manifest.db's key is `ManifestKey`). Such
 * files are reported encrypted, with the backup password as the key hint; the
 * logical paths are then unknown, since the manifest cannot be read.
 * The same layout is recognised for a backup folder inside a folder source
 * (`iosBackupLayout`, declared by the ios-backup source in builtin.ts): its files get logical paths
 * prefixed with the backup folder's path.
 * Backups made by iOS 5-9 list their files in `Manifest.mbdb` (clear even when
 * the backup is encrypted) and store them flat as `<sha1>`: the same logical
 * paths come from it (`ios-mbdb.ts`).
 * References: libimobiledevice `idevicebackup2`; "iOS Security Guide"
 * (keybags, iTunes backup); Manifest.db schema `Files(fileID, domain,
 * relativePath, flags, file)`, flags 1 file, 2 directory, 4 symlink.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceInfo } from '../model/manifest.js';
import { decodePlist } from '../plugin/plist.js';
import { openSqliteFileCopySync } from '../plugin/sqlite-handle.js';
import { encryptedMemberFormat } from './encrypted-member.js';
import { readMbdb } from './ios-mbdb.js';
import { FolderSource } from './folder.js';
import type { FolderLayout, FolderLayoutIndex } from './folder-layout.js';
import type { EntryFacts, EvidenceSource, SourceEntry } from './source.js';

/** Stored files: `xx/<sha1>` (iOS 10 and later) or a flat `<sha1>` (Manifest.mbdb backups, iOS 5-9). */
const HASHED = /^(?:[0-9a-f]{2}\/)?[0-9a-f]{40}$/;
const MAX_MBDB_BYTES = 256 * 1024 * 1024;

/** Whether a folder looks like an iTunes/Finder backup. */
export function isIosBackupFolder(dir: string): boolean {
  return (
    fs.existsSync(path.join(dir, 'Manifest.plist')) &&
    (fs.existsSync(path.join(dir, 'Manifest.db')) || fs.existsSync(path.join(dir, 'Manifest.mbdb')))
  );
}

function readPlist(file: string): Record<string, unknown> | undefined {
  try {
    const v = decodePlist(fs.readFileSync(file));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function iso(v: unknown): string | undefined {
  return v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : typeof v === 'string' ? v : undefined;
}

/** Whether a folder holding these names is an iTunes/Finder backup (Manifest.plist or Manifest.db with the backup's other plists). */
export function isIosBackupNames(names: ReadonlySet<string>): boolean {
  const manifestDb = names.has('Manifest.db') || names.has('Manifest.mbdb');
  return (
    (names.has('Manifest.plist') && manifestDb) ||
    (manifestDb && (names.has('Info.plist') || names.has('Status.plist')))
  );
}

/**
 * What a backup folder says about its files: Manifest.plist (encrypted or
 * not, device facts) and Manifest.db (stored name -> domain path). Used by
 * the ios-backup source at the top and by a folder source for a backup
 * folder found inside it.
 */
export class IosBackupIndex implements FolderLayoutIndex {
  readonly metadata: Record<string, unknown>;
  readonly encrypted: boolean;
  private readonly logical = new Map<string, string>();
  private byLogical: Map<string, string> | undefined;
  /** Stored files sit flat in the folder (a Manifest.mbdb backup) rather than under `xx/`. */
  private flat = false;
  private readonly problem: { code: string; message: string } | undefined;

  constructor(dir: string) {
    const manifest = readPlist(path.join(dir, 'Manifest.plist'));
    const infoPlist = readPlist(path.join(dir, 'Info.plist'));
    const status = readPlist(path.join(dir, 'Status.plist'));
    const lockdown = (manifest?.['Lockdown'] as Record<string, unknown> | undefined) ?? {};
    this.encrypted = manifest?.['IsEncrypted'] === true;
    const metadata: Record<string, unknown> = {
      format: 'itunes-backup',
      encrypted: this.encrypted,
    };
    const put = (k: string, v: unknown) => {
      if (v !== undefined && v !== null && v !== '') metadata[k] = v;
    };
    put('deviceName', infoPlist?.['Device Name'] ?? lockdown['DeviceName']);
    put('iosVersion', infoPlist?.['Product Version'] ?? lockdown['ProductVersion']);
    put('productType', infoPlist?.['Product Type'] ?? lockdown['ProductType']);
    put('buildVersion', infoPlist?.['Build Version'] ?? lockdown['BuildVersion']);
    put('backupDate', iso(infoPlist?.['Last Backup Date']) ?? iso(manifest?.['Date']) ?? iso(status?.['Date']));
    put('manifestVersion', manifest?.['Version']);
    put('passcodeSet', manifest?.['WasPasscodeSet']);
    put('fullBackup', status?.['IsFullBackup']);
    if (this.encrypted) {
      put('hasBackupKeyBag', manifest?.['BackupKeyBag'] instanceof Uint8Array);
      put('hasManifestKey', manifest?.['ManifestKey'] instanceof Uint8Array);
    }
    if (!manifest) metadata['problem'] = 'Manifest.plist could not be read';

    let problem: { code: string; message: string } | undefined;
    const mbdbPath = path.join(dir, 'Manifest.mbdb');
    if (!fs.existsSync(path.join(dir, 'Manifest.db')) && fs.existsSync(mbdbPath)) {
      // iOS 5-9: the file list is Manifest.mbdb, clear even when the backup is encrypted.
      this.flat = true;
      metadata['manifestFormat'] = 'mbdb';
      problem = this.readLegacyManifest(mbdbPath, metadata);
    } else if (!this.encrypted) {
      try {
        const db = openSqliteFileCopySync(path.join(dir, 'Manifest.db'));
        try {
          for (const row of db.all('SELECT fileID, domain, relativePath FROM Files WHERE flags = 1') as Array<{
            fileID: string;
            domain: string;
            relativePath: string;
          }>) {
            this.logical.set(String(row.fileID).toLowerCase(), `${row.domain}/${row.relativePath}`);
          }
        } finally {
          db.close();
        }
        metadata['files'] = this.logical.size;
      } catch (err) {
        problem = {
          code: 'IOS_MANIFEST_UNREADABLE',
          message: `Manifest.db could not be read, so domain paths are unknown: ${(err as Error).message}`,
        };
        metadata['problem'] = problem.message;
      }
    }
    this.problem = problem;
    this.metadata = metadata;
  }

  private readLegacyManifest(
    file: string,
    metadata: Record<string, unknown>,
  ): { code: string; message: string } | undefined {
    try {
      if (fs.statSync(file).size > MAX_MBDB_BYTES) throw new Error(`larger than ${MAX_MBDB_BYTES} bytes`);
      const read = readMbdb(fs.readFileSync(file));
      for (const f of read.files) this.logical.set(f.fileId, `${f.domain}/${f.path}`);
      metadata['files'] = this.logical.size;
      if (read.files.some((f) => f.wrappedKey)) metadata['wrappedFileKeys'] = true;
      if (!read.problem) return undefined;
      metadata['problem'] = `Manifest.mbdb: ${read.problem}`;
      return { code: 'IOS_MANIFEST_UNREADABLE', message: `Manifest.mbdb could only be read in part: ${read.problem}` };
    } catch (err) {
      const message = `Manifest.mbdb could not be read, so domain paths are unknown: ${(err as Error).message}`;
      metadata['problem'] = message;
      return { code: 'IOS_MANIFEST_UNREADABLE', message };
    }
  }

  private encryptionFacts(what: string): NonNullable<EntryFacts['encryption']> {
    return {
      scheme: 'ios-backup-aes256',
      format: encryptedMemberFormat('ios-backup-aes256'),
      scope: 'full',
      keyHint: {
        description: 'the backup password set in iTunes/Finder (it unlocks the BackupKeyBag in Manifest.plist)',
        kind: 'password',
        present: 'unknown',
      },
      reason: `Manifest.plist says the backup is encrypted (IsEncrypted); ${what} is encrypted with a key from the backup keybag.`,
    };
  }

  annotate(
    e: SourceEntry,
    inside: string,
    prefix: string,
    readStored: (inside: string, maxBytes: number) => Promise<Buffer | undefined>,
  ): void {
    if (e.kind === 'file' && HASHED.test(inside) && inside.includes('/') !== this.flat) {
      const fileId = inside.slice(-40);
      const logical = this.logical.get(fileId);
      if (logical) {
        e.logicalPath = prefix ? `${prefix}/${logical}` : logical;
        // SQLite companions (-wal, -shm, -journal) are stored under their own hashed names.
        e.readSibling = async (suffix, maxBytes) => {
          const stored = this.storedOf(logical + suffix);
          return stored ? readStored(stored, maxBytes) : undefined;
        };
      }
      const container = { archive: 'ios-backup', fileId, ...(prefix ? { backup: prefix } : {}) };
      if (this.encrypted) e.facts = { ...e.facts, encryption: this.encryptionFacts('every stored file'), container };
      else if (!logical)
        e.facts = {
          ...e.facts,
          container,
          problems: [
            ...(this.problem ? [this.problem] : []),
            {
              code: 'IOS_FILE_NOT_IN_MANIFEST',
              message: `This stored file has no row in ${this.flat ? 'Manifest.mbdb' : 'Manifest.db'}; its domain path is unknown.`,
            },
          ],
        };
      else e.facts = { ...e.facts, container };
    } else if (inside === 'Manifest.db' && this.encrypted) {
      e.facts = { ...e.facts, encryption: this.encryptionFacts('Manifest.db (the file list)') };
    }
  }

  logicalOf(inside: string): string | undefined {
    return HASHED.test(inside) && inside.includes('/') !== this.flat ? this.logical.get(inside.slice(-40)) : undefined;
  }

  /** The hashed stored path of a domain path (`HomeDomain/Library/SMS/sms.db-wal` -> `xx/<sha1>`). */
  storedOf(logical: string): string | undefined {
    if (!this.byLogical) {
      this.byLogical = new Map();
      for (const [id, l] of this.logical) this.byLogical.set(l, this.flat ? id : `${id.slice(0, 2)}/${id}`);
    }
    return this.byLogical.get(logical);
  }

  clear(): void {
    this.logical.clear();
    this.byLogical = undefined;
  }
}

/** The backup layout, for backup folders found inside a folder source. */
export const iosBackupLayout: FolderLayout = {
  id: 'ios-backup',
  matches: isIosBackupNames,
  open: (dir) => new IosBackupIndex(dir),
};

export class IosBackupSource implements EvidenceSource {
  readonly info: SourceInfo;
  private readonly folder: FolderSource;
  private readonly index: IosBackupIndex;

  constructor(dir: string, given = dir) {
    // The backup is the source: its own layout is applied here, not again by the walk.
    this.folder = new FolderSource(dir, given);
    this.index = new IosBackupIndex(dir);
    this.info = { path: given, kind: 'ios-backup', metadata: this.index.metadata };
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    const readStored = (stored: string, maxBytes: number) => this.folder.readPath(stored, maxBytes);
    for await (const e of this.folder.entries(signal)) {
      this.index.annotate(e, e.path, '', readStored);
      yield e;
    }
  }

  /** On-disk paths, each followed by its domain path when known (plugins look for key files by real path). */
  async *listPaths(signal?: AbortSignal): AsyncIterable<string> {
    for await (const p of this.folder.listPaths(signal)) {
      yield p;
      const logical = this.index.logicalOf(p);
      if (logical) yield logical;
    }
  }

  /** Reads a small file by its on-disk path or, for stored files, by its domain path. */
  async readPath(p: string, maxBytes: number): Promise<Buffer | undefined> {
    return this.folder.readPath(this.index.storedOf(p) ?? p, maxBytes);
  }

  async close(): Promise<void> {
    this.index.clear();
  }
}
