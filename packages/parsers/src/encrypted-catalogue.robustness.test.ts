/**
 * Damaged input never breaks the encrypted-format catalogue: truncated and
 * bit-flipped copies of every detector and parser fixture go through the real
 * pipeline, and no plugin throws, times out, returns a result outside the
 * contract or reports an undeclared diagnostic. Problems in the input must be
 * diagnostics on the item, never a crash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from './index.js';

const FOLDERS = [
  'age',
  'linux-password-stores',
  'encryption-cli-files',
  'andotp-backup',
  'alzip',
  'android-backup',
  'phone-backups',
  'huawei-backup',
  'lg-backup',
  'samsung-backups',
  'smart-switch-backup',
  'android-fde',
  'android-firmware',
  'game-consoles',
  'android-keystore-blob',
  'android-resources',
  'android-synthetic-password',
  'android-vold-keys',
  'android-system-files',
  'ostree-objects',
  'macos-vm-files',
  'tpm2-blobs',
  'apple-kernelcache',
  'systemd-journal-fss',
  'apple-fsevents',
  'systemd-credentials',
  'systemd-credential-secret',
  'android-lock-files',
  'annexb-video',
  'apple-app-files',
  'apple-archive',
  'apple-unified-log',
  'apple-keyboard-lexicon',
  'apple-system-records',
  'linux-login-records',
  'windows-legacy-records',
  'print-spool',
  'mac-alias',
  'systemd-journal-export',
  'linux-binary-state',
  'lastlog',
  'makeself',
  'code-encoders',
  'script-bytecode',
  'pyinstaller-pyz',
  'pyinstaller-keyed-module',
  'cocos2d-xxtea',
  'emule',
  'snappy-raw',
  'xbase-memo',
  'terminfo',
  'text',
  'uuencoded',
  'apple-biome',
  'apple-compression',
  'apple-encrypted-archive',
  'apple-firmware',
  'arc',
  'bcrypt-bfe',
  'berkeley-db',
  'berkeley-db-region',
  'bson',
  'cbor',
  'cff-font',
  'chromium-cookies',
  'chromium-web-data',
  'nextcloud-encryption',
  'nextcloud-key-storage',
  'nextcloud-e2ee',
  'syncthing-encrypted',
  'librsync',
  'bacula',
  'dropbox-dbx',
  'onepassword-b5-items',
  'bitcoin-wallet',
  'borg',
  'browser-caches',
  'electron-asar',
  'game-archives',
  'unity-assets',
  'unity-resource-stream',
  'crash-reports',
  'safe-browsing',
  'v8-snapshot',
  'firefox-cache1',
  'bup',
  'git-data',
  'mercurial',
  'subversion-fsfs',
  'bazaar',
  'cab-prefixed',
  'camera-media-formats',
  'cms',
  'compressed-streams',
  'credential-stores',
  'ecryptfs-wrapped-passphrase-v1',
  'singularity-image',
  'exif-block',
  'random-seed-files',
  'windows-vault',
  'remote-access-stores',
  'crypto-wallets',
  'cryptomator',
  'dovecot-mail-crypt',
  'dovecot-files',
  'datastore-preferences',
  'dar',
  'deep-signatures',
  'der-keys',
  'disk-encryption',
  'disk-images',
  'ciphertext-payload',
  'dpapi-base64',
  'dpapi-text',
  'ebml',
  'exoplayer-cache-index',
  'mobile-http-caches',
  'embedded-streams',
  'iso-bmff',
  'media-fragments',
  'obfuscated-media',
  'damaged-pictures',
  'pdf-body',
  'musepack-legacy',
  'tga',
  'xor-obfuscated',
  'silk-audio',
  'audio-elementary',
  'sound-headers',
  'oma-dcf1',
  'asf-drm',
  'wechat-dat',
  'encdatavault',
  'finance-documents',
  'sql-anywhere',
  'encoded-text',
  'encrypted-email',
  'excel-biff',
  'exv',
  'file-encryption-tools',
  'file-encryption-apps',
  'pea',
  'firefox-storage',
  'fsarchiver',
  'file-type',
  'filter-cascade',
  'firefox-cache2',
  'firefox-key4',
  'forensic-records',
  'git-crypt',
  'gnupg-agent-key',
  'gocryptfs',
  'icu-data',
  'grzip',
  'idl-save',
  'sas-xport',
  'netcdf-classic',
  'gis-rasters',
  'iso8211',
  'blosc',
  'file-geodatabase',
  'gnss-receiver-log',
  'garmin-fit',
  'map-data',
  'tomtom-ov2',
  'gps-exchange',
  'fortran-unformatted',
  'n5',
  'asdf',
  'neuroimaging',
  'seg-y',
  'lz4-block',
  'ms-compress',
  'web-archives',
  'stuffit',
  'binhex',
  'hive-box',
  'hls-playlist',
  'iwork-archive',
  'java-keystore',
  'java-serialized',
  'jbig2',
  'jwe',
  'kdbx-empty-password',
  'keepass',
  'kv-stores',
  'lastpass-local-db',
  'legacy-archives',
  'leveldb',
  'lha',
  'lmdb',
  'lrzip',
  'macho-encryption',
  'mdbx',
  'mmkv',
  'msgpack',
  'models-3d',
  'cad-exchange',
  'font-text',
  'mobi',
  'reader-ebooks',
  'kindle-files',
  'oscrypt-text',
  'unpacked-epub',
  'ms-key-blobs',
  'card-verifiable-certificate',
  'delphi-form',
  'nss-check-file',
  'nss-keydb',
  'office-default-password',
  'ole2',
  'ole2-encryption',
  'wordperfect',
  'lotus-worksheets',
  'dbase',
  'paradox',
  'hwp3',
  'onenote',
  'openpgp',
  'openssl-salted',
  'router-backups',
  'securetar',
  'config-export-armour',
  'published-key-backups',
  'dji-flight-record',
  'network-config-text',
  'synology-cloud-sync',
  'synology-archive',
  'packet-captures',
  'oubliette',
  'pdf',
  'pdf-encryption',
  'pem',
  'pgp-wde',
  'duckdb',
  'feather-v1',
  'fernet',
  'framework-secrets',
  'innodb',
  'jbig',
  'mime-multipart',
  'parquet-encryption',
  'picture-formats',
  'raster-headers',
  'phar',
  'php-serialized',
  'pkcs12',
  'protobuf',
  'python-pickle',
  'rar',
  'rclone-crypt',
  'realm',
  'restic-repository',
  'sevenzip',
  'sfx-archives',
  'signal-backup',
  'sqlcipher',
  'ssh-public-keys',
  'stratum-backup',
  'text-vaults',
  'ubjson',
  'whatsapp-backup',
  'windows-artifacts',
  'windows-memory-files',
  'memory-images',
  'windows-caches',
  'defender-quarantine',
  'av-quarantine',
  'mcafee-bup',
  'malwarebytes-quarantine',
  'ransomware-markers',
  'ransomware-partial',
  'outlook-pst',
  'windows-key-containers',
  'ntfs-metadata-files',
  'xar',
  'zbackup',
  'yuv4mpeg',
  'cctv-video',
  'ml-models',
  'ml-protobuf-models',
  'ml-weight-shards',
  'build-artifacts',
  'cachecontrol',
  'go-sumdb-tiles',
  'zip-encryption',
  'zip-split-volume',
  'zpaq',
  'zpaq-encrypted',
];
const CONTRACT_BREACHES = new Set([
  'PLUGIN_THREW',
  'PLUGIN_TIMEOUT',
  'PLUGIN_BAD_RESULT',
  'PLUGIN_UNDECLARED_DIAGNOSTIC',
  'PLUGIN_BAD_DIAGNOSTIC',
]);

/** A small deterministic generator, so a failure names the same damaged file every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && !/\.(sh|mjs)$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name));
}

describe('encrypted-format catalogue on damaged input', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-damaged-'));
  const items: EvidenceItem[] = [];
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  beforeAll(async () => {
    const rand = prng(20261128);
    const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');
    for (const folder of FOLDERS) {
      for (const file of listFiles(path.join(fixtures, folder))) {
        const bytes = fs.readFileSync(file);
        if (bytes.length === 0) continue;
        const base = `${folder}__${path.basename(file)}`;
        const flipped = Buffer.from(bytes);
        for (let i = 0; i < 1 + bytes.length / 256; i++)
          flipped[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        fs.writeFileSync(path.join(root, `half__${base}`), bytes.subarray(0, Math.max(1, bytes.length >> 1)));
        fs.writeFileSync(path.join(root, `head__${base}`), bytes.subarray(0, Math.min(bytes.length, 48)));
        fs.writeFileSync(path.join(root, `flipped__${base}`), flipped);
      }
    }
    // Budgets far above the defaults (10 s a plugin call): on a loaded machine a detector's key-derivation check
    // may pass 10 s and be recorded PLUGIN_TIMEOUT without anything being wrong with it. A plugin that never
    // ends on damaged input still reaches these and fails the test below.
    const limits = { pluginTimeoutMs: 120_000, itemTimeoutMs: 180_000 };
    for await (const item of scan(new FolderSource(root), {
      plugins: builtinPlugins,
      containers: builtinContainers,
      limits,
    }))
      items.push(item);
  }, 240_000);

  it('classifies every damaged file', () => {
    expect(items.length).toBeGreaterThan(400);
    for (const item of items) expect(item.classification.reasons.length).toBeGreaterThan(0);
  });

  it('records problems as diagnostics, never as a plugin breaking the contract', () => {
    const breaches = items.flatMap((item) =>
      item.errors
        .filter((e) => CONTRACT_BREACHES.has(e.code))
        .map((e) => `${item.path}: ${e.code} ${e.plugin ?? ''} ${e.message}`),
    );
    expect(breaches, breaches.join('\n')).toEqual([]);
  });
});
