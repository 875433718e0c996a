/**
 * Mobile app attribution: Android and iOS path rules, iOS container metadata
 * and installed-app lists, with the app catalogue. Every rule is a regular
 * expression over the logical path that matches at any depth (extractions put
 * the device root under folders such as `Dump/` or `filesystem1/`).
 *
 * Android layout: app-private data in `data/data/<pkg>/`, `data/user/<n>/<pkg>/`
 * and `data/user_de/<n>/<pkg>/` (device-encrypted storage); app-specific
 * shared storage in `<storage>/Android/{data,media,obb}/<pkg>/`, where
 * `<storage>` is `data/media/<n>`, `sdcard`, `storage/emulated/<n>`...; APKs in
 * `data/app/[~~<r>/]<pkg>-<suffix>/`; app-owned shared folders (`WhatsApp/`,
 * `Telegram/`, `DCIM/`...). iOS: containers under
 * `private/var/mobile/Containers/...` and `private/var/containers/...` named by
 * UUID, mapped through `.com.apple.mobile_container_manager.metadata.plist`
 * (`MCMMetadataIdentifier`); system stores under `private/var/mobile/Library/`;
 * backup domains `AppDomain-<bundle>`, `AppDomainGroup-<group>`,
 * `AppDomainPlugin-<extension>`, `HomeDomain`, `MediaDomain`, `CameraRollDomain`.
 * References: AOSP storage docs (source.android.com/docs/core/storage),
 * ALEAPP/iLEAPP artifact paths, Apple's iOS backup domain names as MVT and
 * iLEAPP read them.
 */
import { defineAppRules, type AppPathRule } from '@evtriage/core/contract';
import { decodePlist } from '@evtriage/core/helpers';
import { appCatalogue } from './catalogue.js';
import { readApplicationState, readBackupInfoPlist, readPackagesList, readPackagesXml } from './package-lists.js';

/** An Android package name (at least two dot-separated parts). */
const PKG = '[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)+';
/** Any leading folders, or none. */
const AT = '(?:^|/)';
/** Roots of Android shared storage as extractions name them. */
const STORAGE = `${AT}(?:sdcard|storage/emulated/\\d+|storage/self/primary|mnt/sdcard|data/media/\\d+)/`;
const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/** Shared-storage folders an app creates and owns, relative to the storage root. */
export const androidSharedFolders: ReadonlyArray<{ folder: string; appId: string }> = [
  { folder: 'WhatsApp', appId: 'com.whatsapp' },
  { folder: 'WhatsApp Business', appId: 'com.whatsapp.w4b' },
  { folder: 'Telegram', appId: 'org.telegram.messenger' },
  { folder: 'Pictures/Telegram', appId: 'org.telegram.messenger' },
  { folder: 'Movies/Telegram', appId: 'org.telegram.messenger' },
  { folder: 'Signal', appId: 'org.thoughtcrime.securesms' },
  { folder: 'Threema', appId: 'ch.threema.app' },
  { folder: 'Viber', appId: 'com.viber.voip' },
  { folder: 'Pictures/Viber', appId: 'com.viber.voip' },
  { folder: 'Snapchat', appId: 'com.snapchat.android' },
  { folder: 'Pictures/Messenger', appId: 'com.facebook.orca' },
  { folder: 'Pictures/Instagram', appId: 'com.instagram.android' },
  { folder: 'Movies/Instagram', appId: 'com.instagram.android' },
  { folder: 'Pictures/Twitter', appId: 'com.twitter.android' },
  { folder: 'KakaoTalkDownload', appId: 'com.kakao.talk' },
  { folder: 'tencent/MicroMsg', appId: 'com.tencent.mm' },
  { folder: 'Pictures/WeiXin', appId: 'com.tencent.mm' },
  { folder: 'SystemAndroid/Data', appId: 'com.netqin.ps' },
  { folder: '.locked_vault', appId: 'com.lkd.calculator' },
  { folder: 'DCIM', appId: 'com.android.providers.media.module' },
  { folder: 'Pictures/Screenshots', appId: 'com.android.providers.media.module' },
];

/** Well-known iOS system stores (device paths under `private/var/mobile/`, and the same paths inside backup domains). */
export const iosSystemFolders: ReadonlyArray<{ folder: string; appId: string }> = [
  { folder: 'Library/SMS', appId: 'com.apple.MobileSMS' },
  { folder: 'Library/AddressBook', appId: 'com.apple.MobileAddressBook' },
  { folder: 'Library/CallHistoryDB', appId: 'com.apple.mobilephone' },
  { folder: 'Library/Voicemail', appId: 'com.apple.mobilephone' },
  { folder: 'Library/Calendar', appId: 'com.apple.mobilecal' },
  { folder: 'Library/Safari', appId: 'com.apple.mobilesafari' },
  { folder: 'Library/Notes', appId: 'com.apple.mobilenotes' },
  { folder: 'Library/Mail', appId: 'com.apple.mobilemail' },
  { folder: 'Library/Health', appId: 'com.apple.Health' },
  { folder: 'Library/Maps', appId: 'com.apple.Maps' },
  { folder: 'Library/Recordings', appId: 'com.apple.VoiceMemos' },
  { folder: 'Media/DCIM', appId: 'com.apple.mobileslideshow' },
  { folder: 'Media/PhotoData', appId: 'com.apple.mobileslideshow' },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The path rules, most specific first. */
export const mobileAppRules: readonly AppPathRule[] = [
  { id: 'android-data-data', platform: 'android', literal: 'data/data/', pattern: `${AT}data/data/(?<app>${PKG})/` },
  {
    id: 'android-data-user',
    platform: 'android',
    literal: 'data/user/',
    pattern: `${AT}data/user/\\d+/(?<app>${PKG})/`,
  },
  {
    id: 'android-data-user-de',
    platform: 'android',
    literal: 'data/user_de/',
    pattern: `${AT}data/user_de/\\d+/(?<app>${PKG})/`,
  },
  {
    id: 'android-media-app',
    platform: 'android',
    literal: 'Android/',
    pattern: `${AT}data/media/\\d+/Android/(?:data|media|obb)/(?<app>${PKG})/`,
  },
  {
    id: 'android-sdcard-app',
    platform: 'android',
    literal: 'Android/',
    pattern: `(?:${STORAGE}|^)Android/(?:data|media|obb)/(?<app>${PKG})/`,
  },
  {
    id: 'android-apk',
    platform: 'android',
    literal: 'data/app/',
    pattern: `${AT}data/app/(?:~~[^/]+/)?(?<app>${PKG})-[^/]+/`,
  },
  {
    id: 'android-system',
    platform: 'android',
    literal: 'data/system',
    pattern: `${AT}data/(?:system|system_ce/\\d+|system_de/\\d+)/`,
    appId: 'android',
  },
  ...androidSharedFolders.map((f): AppPathRule => ({
    id: `android-shared-${slug(f.folder)}`,
    platform: 'android',
    literal: `${f.folder}/`,
    pattern: `${STORAGE}${escape(f.folder)}/`,
    appId: f.appId,
  })),
  { id: 'ios-backup-app-domain', platform: 'ios', literal: 'AppDomain-', pattern: `${AT}AppDomain-(?<app>[^/]+)/` },
  {
    id: 'ios-backup-app-group',
    platform: 'ios',
    literal: 'AppDomainGroup-',
    pattern: `${AT}AppDomainGroup-(?<app>[^/]+)/`,
  },
  {
    id: 'ios-backup-app-plugin',
    platform: 'ios',
    literal: 'AppDomainPlugin-',
    pattern: `${AT}AppDomainPlugin-(?<app>[^/]+)/`,
  },
  ...iosSystemFolders.map((f): AppPathRule => ({
    id: `ios-${slug(f.folder)}`,
    platform: 'ios',
    literal: `${f.folder}/`,
    pattern: `${AT}${escape(f.folder)}/`,
    appId: f.appId,
  })),
];

/** The metadata file iOS's container manager writes in every container. */
export const IOS_CONTAINER_METADATA = '.com.apple.mobile_container_manager.metadata.plist';

/** An iOS container folder: `.../Containers/{Data/Application,Shared/AppGroup,Data/PluginKitPlugin,...}/<UUID>`. */
export const IOS_CONTAINER = `^(?<container>(?:.*/)?var/(?:mobile/Containers|containers)/(?:Data/Application|Shared/AppGroup|Data/PluginKitPlugin|Bundle/Application|Data/System|Shared/SystemGroup)/${UUID})/`;

/**
 * Reads `MCMMetadataIdentifier` from a container metadata plist.
 *
 * @example
 * containerOwner(fs.readFileSync('.../.com.apple.mobile_container_manager.metadata.plist')); // 'net.whatsapp.WhatsApp'
 */
export function containerOwner(bytes: Buffer): string | undefined {
  const value = decodePlist(bytes) as Record<string, unknown> | null;
  const id = value && typeof value === 'object' ? value['MCMMetadataIdentifier'] : undefined;
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) ? id : undefined;
}

export const mobileAppsRules = defineAppRules({
  meta: {
    id: 'mobile-apps',
    version: '1.0.0',
    title: 'Android and iOS app attribution and catalogue',
    description:
      'Attributes files to apps by Android and iOS path layouts, iOS container metadata and backup domains; lists installed apps from packages.xml, packages.list, applicationState.db and backup Info.plist.',
    // Where catalogued apps keep their keys, so key hints can say whether the key is in the extraction.
    indexPatterns: [...new Set(appCatalogue.flatMap((e) => e.keyHint?.lookFor ?? []))].sort(),
  },
  // Generic layouts name any app: tried after app-specific rules (priority 50), so those decide for their paths.
  priority: 90,
  rules: mobileAppRules,
  catalogue: appCatalogue,
  containerMetadata: [
    {
      id: 'ios-container-metadata',
      platform: 'ios',
      literal: 'ontainers/',
      container: IOS_CONTAINER,
      file: IOS_CONTAINER_METADATA,
      maxBytes: 1024 * 1024,
      resolve: (bytes) => containerOwner(bytes),
    },
  ],
  packageLists: [
    {
      id: 'android-packages-xml',
      platform: 'android',
      pattern: `${AT}data/system/packages\\.xml$`,
      maxBytes: 64 * 1024 * 1024,
      read: (bytes) => readPackagesXml(bytes),
    },
    {
      id: 'android-packages-list',
      platform: 'android',
      pattern: `${AT}data/system/packages\\.list$`,
      maxBytes: 16 * 1024 * 1024,
      read: (bytes) => readPackagesList(bytes),
    },
    {
      id: 'ios-application-state',
      platform: 'ios',
      pattern: `${AT}Library/FrontBoard/applicationState\\.db$`,
      maxBytes: 64 * 1024 * 1024,
      read: (bytes) => readApplicationState(bytes),
    },
    // Only a backup's own Info.plist (at its root, one or two folders down, or in a MobileSync/Backup/<udid>/ folder
    // of a computer image), never the thousands inside app bundles.
    {
      id: 'ios-backup-info',
      platform: 'ios',
      pattern: '^(?:[^/]+/){0,2}Info\\.plist$|(?:^|/)MobileSync/Backup/[^/]+/Info\\.plist$',
      maxBytes: 16 * 1024 * 1024,
      read: (bytes) => readBackupInfoPlist(bytes),
    },
  ],
});
