/**
 * The built-in parsers as a list, in a module of their own: parse children
 * import it by URL (`builtinParsersModule`) and so load no detector (~100 ms
 * of module loading per child; docs/performance.md, "Start-up cost").
 * builtin-plugins.ts re-exports the list: the objects are the same.
 */
import type { ParserPlugin } from '@evtriage/core/contract';
import { bitcoinWalletParser } from './parsers/bitcoin-wallet.js';
import { firefoxKey4Parser } from './parsers/firefox-key4.js';
import { appleKeychainDbParser } from './parsers/apple-keychain-db.js';
import { lastpassLocalDbParser } from './parsers/lastpass-local-db.js';
import { iosKeychainBackupParser } from './parsers/ios-keychain-backup.js';
import { appleSystemKeybagParser } from './parsers/apple-system-keybag.js';
import { javaKeystoreEntriesParser } from './parsers/java-keystore-entries.js';
import { kdbxEmptyPasswordParser } from './parsers/kdbx-empty-password.js';
import { officeDefaultPasswordParser } from './parsers/office-default-password.js';
import { sfxArchivesParser } from './parsers/sfx-archives.js';
import { pgpWdeParser } from './parsers/pgp-wde.js';
import { encryptedPartitionsParser } from './parsers/encrypted-partitions.js';
import { androidSparseVolumeParser } from './parsers/android-sparse-volume.js';
import { qcow2VolumeParser } from './parsers/qcow2-volume.js';
import { ewfVolumeParser } from './parsers/ewf-volume.js';
import { affVolumeParser } from './parsers/aff-volume.js';
import { qedVolumeParser } from './parsers/qed-volume.js';
import { vdiVolumeParser } from './parsers/vdi-volume.js';
import { vhdVolumeParser } from './parsers/vhd-volume.js';
import { vhdxVolumeParser } from './parsers/vhdx-volume.js';
import { vmdkDescriptorParser } from './parsers/vmdk-descriptor.js';
import { vmdkVolumeParser } from './parsers/vmdk-volume.js';
import { androidFdeParser } from './parsers/android-fde.js';
import { androidPackagesParser } from './parsers/android-packages.js';
import { appPreferencesParser } from './parsers/app-preferences.js';
import { iosBackupInfoParser, iosBackupManifestParser } from './parsers/ios-backup-info.js';
import { iosContainerMetadataParser } from './parsers/ios-container-metadata.js';
import { plistSummaryParser } from './parsers/plist-summary.js';
import { sqliteArtifactParsers } from './parsers/sqlite-artifacts.js';
import { sqliteWalParser } from './parsers/sqlite-wal.js';
import { sqliteSummaryParser } from './parsers/sqlite-summary.js';
import { zipEncryptionParser } from './parsers/zip-encryption.js';
import { pdfEncryptionParser } from './parsers/pdf-encryption.js';
import { ole2EncryptionParser } from './parsers/ole2-encryption.js';
import { sevenzipEncryptionParser } from './parsers/sevenzip-encryption.js';
import { pkcs12PasswordParser } from './parsers/pkcs12-password.js';
import { pkcs8EmptyPasswordParser } from './parsers/pkcs8-empty-password.js';
import { deepSignaturesParser } from './parsers/deep-signatures.js';
import { mailHeadersParser } from './parsers/mail-headers.js';
import { mediaSamplesParser } from './parsers/media-samples.js';
import { mmkvMetaParser } from './parsers/mmkv-meta.js';
import { hlsSegmentsParser } from './parsers/hls-segments.js';
import { isoBmffBoxesParser } from './parsers/iso-bmff-boxes.js';
import { huaweiBackupParser } from './parsers/huawei-backup.js';
import { smartSwitchBackupParser } from './parsers/smart-switch-backup.js';
import { machoEncryptionParser } from './parsers/macho-encryption.js';

export const builtinParsers: readonly ParserPlugin[] = [
  ...sqliteArtifactParsers,
  androidFdeParser,
  androidPackagesParser,
  appPreferencesParser,
  appleKeychainDbParser,
  appleSystemKeybagParser,
  bitcoinWalletParser,
  deepSignaturesParser,
  mailHeadersParser,
  mediaSamplesParser,
  mmkvMetaParser,
  encryptedPartitionsParser,
  androidSparseVolumeParser,
  qcow2VolumeParser,
  ewfVolumeParser,
  affVolumeParser,
  qedVolumeParser,
  vdiVolumeParser,
  vhdVolumeParser,
  vhdxVolumeParser,
  vmdkVolumeParser,
  vmdkDescriptorParser,
  firefoxKey4Parser,
  hlsSegmentsParser,
  isoBmffBoxesParser,
  huaweiBackupParser,
  iosBackupInfoParser,
  iosBackupManifestParser,
  iosContainerMetadataParser,
  iosKeychainBackupParser,
  javaKeystoreEntriesParser,
  kdbxEmptyPasswordParser,
  lastpassLocalDbParser,
  machoEncryptionParser,
  ole2EncryptionParser,
  officeDefaultPasswordParser,
  pdfEncryptionParser,
  pgpWdeParser,
  pkcs12PasswordParser,
  pkcs8EmptyPasswordParser,
  plistSummaryParser,
  sevenzipEncryptionParser,
  smartSwitchBackupParser,
  sfxArchivesParser,
  sqliteSummaryParser,
  sqliteWalParser,
  zipEncryptionParser,
];

/** This module's URL, for `scan({ parserModules: [builtinParsersModule] })`: the built-in parsers run in parse children. */
export const builtinParsersModule: string = import.meta.url;
