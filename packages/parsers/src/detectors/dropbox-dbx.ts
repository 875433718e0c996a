/**
 * The Dropbox desktop client's databases (`config.dbx`, `filecache.dbx`, `instance.dbx` and the other `.dbx`
 * files under `~/.dropbox/` on Linux and macOS or `AppData/Local/Dropbox/` on Windows, in `instance1/`,
 * `instance_db/`…). They are SQLite databases encrypted whole with the SQLite Encryption Extension, so nothing of
 * SQLite's header is left and the statistics alone could only call them unknown ciphertext. A `.dbx` name (the
 * extension Outlook Express also used, whose files have a clear header and are not random), a Dropbox folder
 * on the path, whole 512-byte pages and uniformly random bytes name them. The key is derived from a per-user
 * secret the client keeps in the operating system's store (Windows: DPAPI-protected under
 * HKCU\Software\Dropbox\ks in NTUSER.DAT; macOS and Linux: ~/.dropbox/hostkeys).
 * References: the dbx-keygen research (Ruff and Ledoux; dbx-keygen-linux), Dropbox's desktop client layout.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { randomUnderNamedPath } from './statistics-figures.js';
import { locked } from './util.js';

/** A folder of the Dropbox client's data on the path. */
const DROPBOX_FOLDER = /(?:^|\/)(?:\.dropbox|Dropbox)\/(?:[^/]+\/)*[^/]+\.dbx$/i;
/** SQLite pages are at least 512 bytes and the file is whole pages. */
const PAGE = 512;

const KEY_HINT: KeyHint = {
  description:
    "The Dropbox client's per-user key store: on Windows the DPAPI-protected value under HKCU\\Software\\Dropbox\\ks (NTUSER.DAT, with the user's DPAPI master key); on macOS and Linux ~/.dropbox/hostkeys. The database key is derived from it (dbx-keygen).",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/.dropbox/hostkeys', '**/NTUSER.DAT', '**/Protect/S-1-*/*'],
};

export const dropboxDbxDetector = defineDetector({
  meta: {
    id: 'dropbox-dbx',
    version: '1.0.0',
    title: "Dropbox desktop client's SEE-encrypted .dbx databases",
    formats: [
      {
        id: 'dropbox-dbx',
        name: 'Dropbox .dbx database (SQLite Encryption Extension)',
        status: 'encrypted',
        how: 'path',
        extensions: ['dbx'],
      },
    ],
    indexPatterns: ['**/.dropbox/hostkeys'],
  },
  minSize: PAGE,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.extension !== 'dbx' || probe.size % PAGE !== 0) return undefined;
    if (!DROPBOX_FOLDER.test(probe.logicalPath.replaceAll('\\', '/'))) return undefined;
    const e = randomUnderNamedPath(probe);
    if (!e) return undefined;
    return {
      ...locked({
        id: 'dropbox-dbx',
        name: 'Dropbox .dbx database (SQLite Encryption Extension)',
        confidence: 0.85,
        code: 'DROPBOX_DBX_PATH',
        message: `A Dropbox client database: a .dbx file in the client's data folder, ${probe.size / PAGE} whole 512-byte units long, its bytes uniformly random from the first (entropy ${e.shannon}): SQLite encrypted whole with the SQLite Encryption Extension, keyed from the per-user key store.`,
        figures: { shannon: e.shannon, pages512: probe.size / PAGE },
        scheme: 'sqlite-see',
        keyHint: KEY_HINT,
      }),
      entropy: e,
      basis: 'path',
    };
  },
});
