/**
 * The built-in detectors as a list (sorted by id), in a module of their own:
 * probe workers import it by URL (`builtinDetectorsModule`) and load nothing
 * else of this package — no parser, no app rule. The parsers are listed in
 * parser-plugins.ts (what parse children import), and builtin-plugins.ts puts
 * the three lists together (`builtinPlugins`, `builtinPluginsModule`).
 */
import type { DetectorPlugin } from '@evtriage/core/contract';
import { accessDatabasesDetector } from './detectors/access-databases.js';
import { androidBinaryXmlDetector } from './detectors/android-binary-xml.js';
import { annexbVideoDetector } from './detectors/annexb-video.js';
import { archivesDetector } from './detectors/archives.js';
import { asn1DerDetector } from './detectors/asn1-der.js';
import { ageDetector } from './detectors/age.js';
import { androidBackupDetector } from './detectors/android-backup.js';
import { phoneBackupsDetector } from './detectors/phone-backups.js';
import { lgBackupDetector } from './detectors/lg-backup.js';
import { samsungBackupsDetector } from './detectors/samsung-backups.js';
import { fileEncryptionToolsDetector } from './detectors/file-encryption-tools.js';
import { fileEncryptionAppsDetector } from './detectors/file-encryption-apps.js';
import { peaDetector } from './detectors/pea.js';
import { javaKeystoreDetector } from './detectors/java-keystore.js';
import { javaSerializedDetector } from './detectors/java-serialized.js';
import { keepassDetector } from './detectors/keepass.js';
import { exodusSecoDetector } from './detectors/exodus-seco.js';
import { alzipDetector } from './detectors/alzip.js';
import { affDetector } from './detectors/aff.js';
import { ewf2Detector } from './detectors/ewf2.js';
import { accessdataDetector } from './detectors/accessdata.js';
import { dpapiBase64Detector } from './detectors/dpapi-base64.js';
import { dpapiTextDetector } from './detectors/dpapi-text.js';
import { oscryptTextDetector } from './detectors/oscrypt-text.js';
import { encodedTextDetector } from './detectors/encoded-text.js';
import { uuencodedDetector } from './detectors/uuencoded.js';
import { ciphertextPayloadDetector } from './detectors/ciphertext-payload.js';
import { firefoxStorageDetector } from './detectors/firefox-storage.js';
import { encDataVaultDetector } from './detectors/encdatavault.js';
import { financeDocumentsDetector } from './detectors/finance-documents.js';
import { sqlAnywhereDetector } from './detectors/sql-anywhere.js';
import { oublietteDetector } from './detectors/oubliette.js';
import { pgpDiskDetector } from './detectors/pgp-disk.js';
import { moneroWalletDetector } from './detectors/monero-wallet.js';
import { dataStorePreferencesDetector } from './detectors/datastore-preferences.js';
import { hiveBoxDetector } from './detectors/hive-box.js';
import { mdbxDetector } from './detectors/mdbx.js';
import { mmkvDetector } from './detectors/mmkv.js';
import { hlsPlaylistDetector } from './detectors/hls-playlist.js';
import { bitcoinjWalletDetector } from './detectors/bitcoinj-wallet.js';
import { dashlaneDetector } from './detectors/dashlane.js';
import { openpgpDetector } from './detectors/openpgp.js';
import { opensslSaltedDetector } from './detectors/openssl-salted.js';
import { pemDetector } from './detectors/pem.js';
import { signalBackupDetector } from './detectors/signal-backup.js';
import { textVaultsDetector } from './detectors/text-vaults.js';
import { xmlEncryptionDetector } from './detectors/xml-encryption.js';
import { softHsmObjectsDetector } from './detectors/softhsm-objects.js';
import { whatsappBackupDetector } from './detectors/whatsapp-backup.js';
import { emptyDetector } from './detectors/empty.js';
import { fileTypeDetector } from './detectors/file-type.js';
import { plistDetector } from './detectors/plist.js';
import { sqliteDetector } from './detectors/sqlite.js';
import { statisticsDetector } from './detectors/statistics.js';
import { textDetector } from './detectors/text.js';
import { rarDetector } from './detectors/rar.js';
import { pdfDetector } from './detectors/pdf.js';
import { duckdbDetector } from './detectors/duckdb.js';
import { featherV1Detector } from './detectors/feather-v1.js';
import { fernetDetector } from './detectors/fernet.js';
import { frameworkSecretsDetector } from './detectors/framework-secrets.js';
import { innodbDetector } from './detectors/innodb.js';
import { innodbRedoLogDetector } from './detectors/innodb-redo-log.js';
import { ariaDetector } from './detectors/aria.js';
import { mysqlBinlogDetector } from './detectors/mysql-binlog.js';
import { postgresqlDetector } from './detectors/postgresql.js';
import { firebirdDetector } from './detectors/firebird.js';
import { etcdWalDetector } from './detectors/etcd-wal.js';
import { mysqlCsvMetaDetector } from './detectors/mysql-csv-meta.js';
import { jbigDetector } from './detectors/jbig.js';
import { mimeMultipartDetector } from './detectors/mime-multipart.js';
import { parquetEncryptionDetector } from './detectors/parquet-encryption.js';
import { pictureFormatsDetector } from './detectors/picture-formats.js';
import { rasterHeadersDetector } from './detectors/raster-headers.js';
import { zipPrefixedDetector } from './detectors/zip-prefixed.js';
import { cabPrefixedDetector } from './detectors/cab-prefixed.js';
import { zipSplitVolumeDetector } from './detectors/zip-split-volume.js';
import { excelBiffDetector } from './detectors/excel-biff.js';
import { exvDetector } from './detectors/exv.js';
import { androidResourcesDetector } from './detectors/android-resources.js';
import { iworkArchiveDetector } from './detectors/iwork-archive.js';
import { cameraMediaFormatsDetector } from './detectors/camera-media-formats.js';
import { pythonPickleDetector } from './detectors/python-pickle.js';
import { appleBiomeDetector } from './detectors/apple-biome.js';
import { msKeyBlobsDetector } from './detectors/ms-key-blobs.js';
import { jweDetector } from './detectors/jwe.js';
import { appleEncryptedArchiveDetector } from './detectors/apple-encrypted-archive.js';
import { appleFirmwareDetector } from './detectors/apple-firmware.js';
import { appleAppFilesDetector } from './detectors/apple-app-files.js';
import { appleArchiveDetector } from './detectors/apple-archive.js';
import { appleUnifiedLogDetector } from './detectors/apple-unified-log.js';
import { appleKeyboardLexiconDetector } from './detectors/apple-keyboard-lexicon.js';
import { appleSystemRecordsDetector } from './detectors/apple-system-records.js';
import { linuxLoginRecordsDetector } from './detectors/linux-login-records.js';
import { xbaseMemoDetector } from './detectors/xbase-memo.js';
import { terminfoDetector } from './detectors/terminfo.js';
import { erlangTermDetector } from './detectors/erlang-term.js';
import { erlangStorageDetector } from './detectors/erlang-storage.js';
import { rSerializedDetector } from './detectors/r-serialized.js';
import { appleCompressionDetector } from './detectors/apple-compression.js';
import { androidFirmwareDetector } from './detectors/android-firmware.js';
import { avbKeysDetector } from './detectors/avb-keys.js';
import { javaHprofDetector } from './detectors/java-hprof.js';
import { gameConsolesDetector } from './detectors/game-consoles.js';
import { androidKeystoreBlobDetector } from './detectors/android-keystore-blob.js';
import { androidVoldKeysDetector } from './detectors/android-vold-keys.js';
import { androidSystemFilesDetector } from './detectors/android-system-files.js';
import { androidLockFilesDetector } from './detectors/android-lock-files.js';
import { randomSeedFilesDetector } from './detectors/random-seed-files.js';
import { systemdCredentialsDetector } from './detectors/systemd-credentials.js';
import { systemdCredentialSecretDetector } from './detectors/systemd-credential-secret.js';
import { ostreeObjectsDetector } from './detectors/ostree-objects.js';
import { macosVmFilesDetector } from './detectors/macos-vm-files.js';
import { tpm2BlobsDetector } from './detectors/tpm2-blobs.js';
import { appleKernelcacheDetector } from './detectors/apple-kernelcache.js';
import { systemdJournalFssDetector } from './detectors/systemd-journal-fss.js';
import { appleFseventsDetector } from './detectors/apple-fsevents.js';
import { androidSyntheticPasswordDetector } from './detectors/android-synthetic-password.js';
import { telegramDesktopDetector } from './detectors/telegram-desktop.js';
import { lastpassDetector } from './detectors/lastpass.js';
import { linuxPasswordStoresDetector } from './detectors/linux-password-stores.js';
import { ole2Detector } from './detectors/ole2.js';
import { sevenzipDetector } from './detectors/sevenzip.js';
import { diskEncryptionDetector } from './detectors/disk-encryption.js';
import { diskImagesDetector } from './detectors/disk-images.js';
import { pkcs12Detector } from './detectors/pkcs12.js';
import { compressedStreamsDetector } from './detectors/compressed-streams.js';
import { leveldbDetector } from './detectors/leveldb.js';
import { libmagicDetector } from './detectors/libmagic.js';
import { forensicRecordsDetector } from './detectors/forensic-records.js';
import { sqlcipherDetector } from './detectors/sqlcipher.js';
import { ebmlDetector } from './detectors/ebml.js';
import { exoplayerCacheIndexDetector } from './detectors/exoplayer-cache-index.js';
import { mobileHttpCachesDetector } from './detectors/mobile-http-caches.js';
import { embeddedStreamsDetector } from './detectors/embedded-streams.js';
import { isoBmffDetector } from './detectors/iso-bmff.js';
import { mediaFragmentsDetector } from './detectors/media-fragments.js';
import { obfuscatedMediaDetector } from './detectors/obfuscated-media.js';
import { damagedPicturesDetector } from './detectors/damaged-pictures.js';
import { pdfBodyDetector } from './detectors/pdf-body.js';
import { musepackLegacyDetector } from './detectors/musepack-legacy.js';
import { audioElementaryDetector } from './detectors/audio-elementary.js';
import { soundHeadersDetector } from './detectors/sound-headers.js';
import { omaDcf1Detector } from './detectors/oma-dcf1.js';
import { asfDrmDetector } from './detectors/asf-drm.js';
import { xorObfuscatedDetector } from './detectors/xor-obfuscated.js';
import { silkAudioDetector } from './detectors/silk-audio.js';
import { wechatDatDetector } from './detectors/wechat-dat.js';
import { protobufDetector } from './detectors/protobuf.js';
import { msgpackDetector } from './detectors/msgpack.js';
import { cborDetector } from './detectors/cbor.js';
import { bsonDetector } from './detectors/bson.js';
import { goGobDetector } from './detectors/go-gob.js';
import { phpSerializedDetector } from './detectors/php-serialized.js';
import { ubjsonDetector } from './detectors/ubjson.js';
import { windowsArtifactsDetector } from './detectors/windows-artifacts.js';
import { windowsLegacyRecordsDetector } from './detectors/windows-legacy-records.js';
import { printSpoolDetector } from './detectors/print-spool.js';
import { kerberosDetector } from './detectors/kerberos.js';
import { maxmindDbDetector } from './detectors/maxmind-db.js';
import { bindJournalDetector } from './detectors/bind-journal.js';
import { frameStreamsDetector } from './detectors/frame-streams.js';
import { emfDetector } from './detectors/emf.js';
import { dnscryptCertDetector } from './detectors/dnscrypt-cert.js';
import { macAliasDetector } from './detectors/mac-alias.js';
import { systemdJournalExportDetector } from './detectors/systemd-journal-export.js';
import { linuxBinaryStateDetector } from './detectors/linux-binary-state.js';
import { lastlogDetector } from './detectors/lastlog.js';
import { emuleDetector } from './detectors/emule.js';
import { snappyRawDetector } from './detectors/snappy-raw.js';
import { windowsCachesDetector } from './detectors/windows-caches.js';
import { windowsMemoryFilesDetector } from './detectors/windows-memory-files.js';
import { memoryImagesDetector } from './detectors/memory-images.js';
import { defenderQuarantineDetector } from './detectors/defender-quarantine.js';
import { avQuarantineDetector } from './detectors/av-quarantine.js';
import { mcafeeBupDetector } from './detectors/mcafee-bup.js';
import { malwarebytesQuarantineDetector } from './detectors/malwarebytes-quarantine.js';
import { ransomwareMarkersDetector } from './detectors/ransomware-markers.js';
import { ransomwarePartialDetector } from './detectors/ransomware-partial.js';
import { outlookPstDetector } from './detectors/outlook-pst.js';
import { windowsKeyContainersDetector } from './detectors/windows-key-containers.js';
import { ntfsMetadataFilesDetector } from './detectors/ntfs-metadata-files.js';
import { xarDetector } from './detectors/xar.js';
import { pharDetector } from './detectors/phar.js';
import { derKeysDetector } from './detectors/der-keys.js';
import { gocryptfsDetector } from './detectors/gocryptfs.js';
import { legacyArchivesDetector } from './detectors/legacy-archives.js';
import { lrzipDetector } from './detectors/lrzip.js';
import { darDetector } from './detectors/dar.js';
import { andotpBackupDetector } from './detectors/andotp-backup.js';
import { bcryptBfeDetector } from './detectors/bcrypt-bfe.js';
import { wordperfectDetector } from './detectors/wordperfect.js';
import { lotusWorksheetsDetector } from './detectors/lotus-worksheets.js';
import { dbaseDetector } from './detectors/dbase.js';
import { paradoxDetector } from './detectors/paradox.js';
import { hwp3Detector } from './detectors/hwp3.js';
import { onenoteDetector } from './detectors/onenote.js';
import { nextcloudEncryptionDetector } from './detectors/nextcloud-encryption.js';
import { syncthingEncryptedDetector } from './detectors/syncthing-encrypted.js';
import { librsyncDetector } from './detectors/librsync.js';
import { baculaDetector } from './detectors/bacula.js';
import { dropboxDbxDetector } from './detectors/dropbox-dbx.js';
import { nextcloudKeyStorageDetector } from './detectors/nextcloud-key-storage.js';
import { nextcloudE2eeDetector } from './detectors/nextcloud-e2ee.js';
import { stratumBackupDetector } from './detectors/stratum-backup.js';
import { arcDetector } from './detectors/arc.js';
import { bupDetector } from './detectors/bup.js';
import { gitDataDetector } from './detectors/git-data.js';
import { gitLooseObjectsDetector } from './detectors/git-loose-objects.js';
import { mercurialDetector, mercurialStoreDetector } from './detectors/mercurial.js';
import { subversionFsfsDetector, subversionFsfsPackDetector } from './detectors/subversion-fsfs.js';
import { bazaarDetector } from './detectors/bazaar.js';
import { zpaqDetector, zpaqEncryptedDetector } from './detectors/zpaq.js';
import { fsarchiverDetector } from './detectors/fsarchiver.js';
import { grzipDetector } from './detectors/grzip.js';
import { codeEncodersDetector } from './detectors/code-encoders.js';
import { scriptBytecodeDetector } from './detectors/script-bytecode.js';
import { pyinstallerKeyedModuleDetector, pyinstallerPyzDetector } from './detectors/pyinstaller-pyz.js';
import { cocos2dXxteaDetector } from './detectors/cocos2d-xxtea.js';
import { idlSaveDetector } from './detectors/idl-save.js';
import { sasXportDetector } from './detectors/sas-xport.js';
import { netcdfClassicDetector } from './detectors/netcdf-classic.js';
import { gisRastersDetector } from './detectors/gis-rasters.js';
import { iso8211Detector } from './detectors/iso8211.js';
import { bloscDetector } from './detectors/blosc.js';
import { fileGeodatabaseDetector } from './detectors/file-geodatabase.js';
import { gnssReceiverLogDetector } from './detectors/gnss-receiver-log.js';
import { garminFitDetector } from './detectors/garmin-fit.js';
import { mapDataDetector } from './detectors/map-data.js';
import { tomtomOv2Detector } from './detectors/tomtom-ov2.js';
import { gpsExchangeDetector } from './detectors/gps-exchange.js';
import { fortranUnformattedDetector } from './detectors/fortran-unformatted.js';
import { n5Detector } from './detectors/n5.js';
import { asdfDetector } from './detectors/asdf.js';
import { neuroimagingDetector } from './detectors/neuroimaging.js';
import { dicomDetector } from './detectors/dicom.js';
import { segyDetector } from './detectors/seg-y.js';
import { lz4BlockDetector } from './detectors/lz4-block.js';
import { msCompressDetector } from './detectors/ms-compress.js';
import { webArchivesDetector } from './detectors/web-archives.js';
import { stuffitDetector } from './detectors/stuffit.js';
import { binhexDetector } from './detectors/binhex.js';
import { jbig2Detector } from './detectors/jbig2.js';
import { lhaDetector } from './detectors/lha.js';
import { makeselfDetector } from './detectors/makeself.js';
import { appPackagesDetector } from './detectors/app-packages.js';
import { mobiDetector } from './detectors/mobi.js';
import { readerEbooksDetector } from './detectors/reader-ebooks.js';
import { kindleFilesDetector } from './detectors/kindle-files.js';
import { unpackedEpubDetector } from './detectors/unpacked-epub.js';
import { realmDetector } from './detectors/realm.js';
import { credentialStoresDetector } from './detectors/credential-stores.js';
import { ecryptfsWrappedPassphraseV1Detector } from './detectors/ecryptfs-wrapped-passphrase-v1.js';
import { singularityImageDetector } from './detectors/singularity-image.js';
import { exifBlockDetector } from './detectors/exif-block.js';
import { canonicalSexpDetector } from './detectors/canonical-sexp.js';
import { olePropertySetDetector } from './detectors/ole-property-set.js';
import { tlsStreamDetector } from './detectors/tls-stream.js';
import { cardVerifiableCertificateDetector } from './detectors/card-verifiable-certificate.js';
import { ssh1PrivateKeyDetector } from './detectors/ssh1-private-key.js';
import { delphiFormDetector } from './detectors/delphi-form.js';
import { windowsVaultDetector } from './detectors/windows-vault.js';
import { remoteAccessStoresDetector } from './detectors/remote-access-stores.js';
import { cryptoWalletsDetector } from './detectors/crypto-wallets.js';
import { cryptomatorDetector } from './detectors/cryptomator.js';
import { dovecotFilesDetector } from './detectors/dovecot-files.js';
import { dovecotMailCryptDetector } from './detectors/dovecot-mail-crypt.js';
import { nssKeydbDetector } from './detectors/nss-keydb.js';
import { nssCheckFileDetector } from './detectors/nss-check-file.js';
import { filterCascadeDetector } from './detectors/filter-cascade.js';
import { browserCachesDetector } from './detectors/browser-caches.js';
import { electronAsarDetector } from './detectors/electron-asar.js';
import { unityAssetsDetector, unityResourceStreamDetector } from './detectors/unity-assets.js';
import { gameArchivesDetector } from './detectors/game-archives.js';
import { crashReportsDetector } from './detectors/crash-reports.js';
import { safeBrowsingDetector } from './detectors/safe-browsing.js';
import { v8SnapshotDetector } from './detectors/v8-snapshot.js';
import { firefoxCache1Detector } from './detectors/firefox-cache1.js';
import { firefoxCache2Detector } from './detectors/firefox-cache2.js';
import { gnupgAgentKeyDetector } from './detectors/gnupg-agent-key.js';
import { gitCryptDetector } from './detectors/git-crypt.js';
import { borgDetector } from './detectors/borg.js';
import { cmsDetector } from './detectors/cms.js';
import { encryptionCliFilesDetector } from './detectors/encryption-cli-files.js';
import { encryptedEmailDetector } from './detectors/encrypted-email.js';
import { yuv4mpegDetector } from './detectors/yuv4mpeg.js';
import { cctvVideoDetector } from './detectors/cctv-video.js';
import { mlModelsDetector } from './detectors/ml-models.js';
import { mlProtobufModelsDetector } from './detectors/ml-protobuf-models.js';
import { mlWeightShardsDetector } from './detectors/ml-weight-shards.js';
import { routerBackupsDetector } from './detectors/router-backups.js';
import { secureTarDetector } from './detectors/securetar.js';
import { configExportArmourDetector } from './detectors/config-export-armour.js';
import { publishedKeyBackupsDetector } from './detectors/published-key-backups.js';
import { djiFlightRecordDetector } from './detectors/dji-flight-record.js';
import { networkConfigTextDetector } from './detectors/network-config-text.js';
import { synologyCloudSyncDetector } from './detectors/synology-cloud-sync.js';
import { synologyArchiveDetector } from './detectors/synology-archive.js';
import { buildArtifactsDetector } from './detectors/build-artifacts.js';
import { cacheControlDetector } from './detectors/cachecontrol.js';
import { goSumdbTilesDetector } from './detectors/go-sumdb-tiles.js';
import { models3dDetector } from './detectors/models-3d.js';
import { cadExchangeDetector } from './detectors/cad-exchange.js';
import { fontTextDetector } from './detectors/font-text.js';
import { tgaDetector } from './detectors/tga.js';
import { packetCapturesDetector } from './detectors/packet-captures.js';
import { berkeleyDbDetector, berkeleyDbRegionDetector } from './detectors/berkeley-db.js';
import { lmdbDetector } from './detectors/lmdb.js';
import { kvStoresDetector } from './detectors/kv-stores.js';
import { resticRepositoryDetector } from './detectors/restic-repository.js';
import { rcloneCryptDetector } from './detectors/rclone-crypt.js';
import { zbackupDetector, zbackupRepositoryDetector } from './detectors/zbackup.js';
import { fitsDetector } from './detectors/fits.js';
import { cffFontDetector } from './detectors/cff-font.js';
import { icuDataDetector } from './detectors/icu-data.js';
import { av1ObuDetector } from './detectors/av1-obu.js';
import { sshPublicKeysDetector } from './detectors/ssh-public-keys.js';

export const builtinDetectors: readonly DetectorPlugin[] = [
  accessDatabasesDetector,
  accessdataDetector,
  affDetector,
  ageDetector,
  alzipDetector,
  androidBackupDetector,
  phoneBackupsDetector,
  lgBackupDetector,
  samsungBackupsDetector,
  androidBinaryXmlDetector,
  annexbVideoDetector,
  archivesDetector,
  asn1DerDetector,
  bitcoinjWalletDetector,
  borgDetector,
  browserCachesDetector,
  electronAsarDetector,
  unityAssetsDetector,
  unityResourceStreamDetector,
  gameArchivesDetector,
  crashReportsDetector,
  safeBrowsingDetector,
  v8SnapshotDetector,
  firefoxCache1Detector,
  bsonDetector,
  goGobDetector,
  cborDetector,
  cmsDetector,
  compressedStreamsDetector,
  credentialStoresDetector,
  ecryptfsWrappedPassphraseV1Detector,
  singularityImageDetector,
  exifBlockDetector,
  canonicalSexpDetector,
  olePropertySetDetector,
  tlsStreamDetector,
  cardVerifiableCertificateDetector,
  ssh1PrivateKeyDetector,
  delphiFormDetector,
  windowsVaultDetector,
  remoteAccessStoresDetector,
  cryptoWalletsDetector,
  cryptomatorDetector,
  dovecotMailCryptDetector,
  dovecotFilesDetector,
  bcryptBfeDetector,
  wordperfectDetector,
  lotusWorksheetsDetector,
  dbaseDetector,
  paradoxDetector,
  hwp3Detector,
  onenoteDetector,
  nextcloudEncryptionDetector,
  nextcloudKeyStorageDetector,
  nextcloudE2eeDetector,
  syncthingEncryptedDetector,
  librsyncDetector,
  baculaDetector,
  dropboxDbxDetector,
  andotpBackupDetector,
  stratumBackupDetector,
  bupDetector,
  gitDataDetector,
  gitLooseObjectsDetector,
  mercurialDetector,
  mercurialStoreDetector,
  subversionFsfsDetector,
  subversionFsfsPackDetector,
  bazaarDetector,
  darDetector,
  dashlaneDetector,
  dataStorePreferencesDetector,
  derKeysDetector,
  diskEncryptionDetector,
  diskImagesDetector,
  dpapiBase64Detector,
  dpapiTextDetector,
  oscryptTextDetector,
  encodedTextDetector,
  uuencodedDetector,
  ciphertextPayloadDetector,
  firefoxStorageDetector,
  ebmlDetector,
  exoplayerCacheIndexDetector,
  mobileHttpCachesDetector,
  embeddedStreamsDetector,
  isoBmffDetector,
  mediaFragmentsDetector,
  damagedPicturesDetector,
  pdfBodyDetector,
  musepackLegacyDetector,
  audioElementaryDetector,
  soundHeadersDetector,
  omaDcf1Detector,
  asfDrmDetector,
  obfuscatedMediaDetector,
  xorObfuscatedDetector,
  silkAudioDetector,
  wechatDatDetector,
  emptyDetector,
  encDataVaultDetector,
  encryptedEmailDetector,
  encryptionCliFilesDetector,
  ewf2Detector,
  exodusSecoDetector,
  fileEncryptionToolsDetector,
  fileEncryptionAppsDetector,
  peaDetector,
  fileTypeDetector,
  filterCascadeDetector,
  financeDocumentsDetector,
  sqlAnywhereDetector,
  firefoxCache2Detector,
  forensicRecordsDetector,
  fsarchiverDetector,
  gitCryptDetector,
  gnupgAgentKeyDetector,
  gocryptfsDetector,
  grzipDetector,
  codeEncodersDetector,
  scriptBytecodeDetector,
  pyinstallerPyzDetector,
  pyinstallerKeyedModuleDetector,
  cocos2dXxteaDetector,
  idlSaveDetector,
  sasXportDetector,
  netcdfClassicDetector,
  gisRastersDetector,
  iso8211Detector,
  bloscDetector,
  fileGeodatabaseDetector,
  gnssReceiverLogDetector,
  garminFitDetector,
  mapDataDetector,
  tomtomOv2Detector,
  gpsExchangeDetector,
  fortranUnformattedDetector,
  n5Detector,
  asdfDetector,
  neuroimagingDetector,
  dicomDetector,
  segyDetector,
  lz4BlockDetector,
  msCompressDetector,
  webArchivesDetector,
  stuffitDetector,
  binhexDetector,
  hiveBoxDetector,
  hlsPlaylistDetector,
  javaKeystoreDetector,
  javaSerializedDetector,
  jbig2Detector,
  keepassDetector,
  lastpassDetector,
  linuxPasswordStoresDetector,
  legacyArchivesDetector,
  leveldbDetector,
  lhaDetector,
  libmagicDetector,
  lrzipDetector,
  mdbxDetector,
  zpaqDetector,
  zpaqEncryptedDetector,
  mmkvDetector,
  msgpackDetector,
  mobiDetector,
  readerEbooksDetector,
  kindleFilesDetector,
  unpackedEpubDetector,
  moneroWalletDetector,
  nssCheckFileDetector,
  nssKeydbDetector,
  ole2Detector,
  openpgpDetector,
  opensslSaltedDetector,
  oublietteDetector,
  pdfDetector,
  pemDetector,
  sshPublicKeysDetector,
  pgpDiskDetector,
  pharDetector,
  phpSerializedDetector,
  duckdbDetector,
  featherV1Detector,
  fernetDetector,
  frameworkSecretsDetector,
  innodbDetector,
  innodbRedoLogDetector,
  ariaDetector,
  mysqlBinlogDetector,
  postgresqlDetector,
  firebirdDetector,
  etcdWalDetector,
  mysqlCsvMetaDetector,
  jbigDetector,
  mimeMultipartDetector,
  parquetEncryptionDetector,
  pictureFormatsDetector,
  rasterHeadersDetector,
  pkcs12Detector,
  plistDetector,
  protobufDetector,
  rarDetector,
  realmDetector,
  sevenzipDetector,
  signalBackupDetector,
  sqlcipherDetector,
  sqliteDetector,
  statisticsDetector,
  telegramDesktopDetector,
  textDetector,
  textVaultsDetector,
  xmlEncryptionDetector,
  softHsmObjectsDetector,
  ubjsonDetector,
  whatsappBackupDetector,
  windowsArtifactsDetector,
  windowsLegacyRecordsDetector,
  printSpoolDetector,
  kerberosDetector,
  maxmindDbDetector,
  bindJournalDetector,
  frameStreamsDetector,
  emfDetector,
  dnscryptCertDetector,
  macAliasDetector,
  systemdJournalExportDetector,
  linuxBinaryStateDetector,
  lastlogDetector,
  makeselfDetector,
  appPackagesDetector,
  emuleDetector,
  snappyRawDetector,
  windowsCachesDetector,
  windowsMemoryFilesDetector,
  memoryImagesDetector,
  defenderQuarantineDetector,
  avQuarantineDetector,
  mcafeeBupDetector,
  malwarebytesQuarantineDetector,
  ransomwareMarkersDetector,
  ransomwarePartialDetector,
  outlookPstDetector,
  windowsKeyContainersDetector,
  ntfsMetadataFilesDetector,
  xarDetector,
  zipPrefixedDetector,
  cabPrefixedDetector,
  zipSplitVolumeDetector,
  excelBiffDetector,
  exvDetector,
  msKeyBlobsDetector,
  jweDetector,
  appleEncryptedArchiveDetector,
  appleFirmwareDetector,
  appleAppFilesDetector,
  appleArchiveDetector,
  appleUnifiedLogDetector,
  appleKeyboardLexiconDetector,
  appleSystemRecordsDetector,
  linuxLoginRecordsDetector,
  xbaseMemoDetector,
  terminfoDetector,
  erlangTermDetector,
  erlangStorageDetector,
  rSerializedDetector,
  arcDetector,
  appleCompressionDetector,
  androidFirmwareDetector,
  avbKeysDetector,
  javaHprofDetector,
  gameConsolesDetector,
  androidKeystoreBlobDetector,
  androidVoldKeysDetector,
  androidSystemFilesDetector,
  androidLockFilesDetector,
  randomSeedFilesDetector,
  systemdCredentialsDetector,
  systemdCredentialSecretDetector,
  ostreeObjectsDetector,
  macosVmFilesDetector,
  tpm2BlobsDetector,
  appleKernelcacheDetector,
  systemdJournalFssDetector,
  appleFseventsDetector,
  androidSyntheticPasswordDetector,
  androidResourcesDetector,
  iworkArchiveDetector,
  cameraMediaFormatsDetector,
  pythonPickleDetector,
  appleBiomeDetector,
  yuv4mpegDetector,
  cctvVideoDetector,
  mlModelsDetector,
  mlProtobufModelsDetector,
  mlWeightShardsDetector,
  routerBackupsDetector,
  secureTarDetector,
  configExportArmourDetector,
  publishedKeyBackupsDetector,
  djiFlightRecordDetector,
  networkConfigTextDetector,
  synologyCloudSyncDetector,
  synologyArchiveDetector,
  buildArtifactsDetector,
  cacheControlDetector,
  goSumdbTilesDetector,
  tgaDetector,
  fitsDetector,
  cffFontDetector,
  icuDataDetector,
  av1ObuDetector,
  packetCapturesDetector,
  berkeleyDbDetector,
  berkeleyDbRegionDetector,
  lmdbDetector,
  kvStoresDetector,
  resticRepositoryDetector,
  rcloneCryptDetector,
  zbackupDetector,
  zbackupRepositoryDetector,
  models3dDetector,
  cadExchangeDetector,
  fontTextDetector,
];

/**
 * This module's URL, for `scan({ workerDetectorModules: [builtinDetectorsModule] })`:
 * the built-in detectors then run on the probe worker threads (docs/performance.md),
 * which load them alone.
 */
export const builtinDetectorsModule: string = import.meta.url;
