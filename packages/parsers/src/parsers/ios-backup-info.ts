/**
 * iOS backup `Info.plist` and `Manifest.plist`: the device and backup facts
 * an analyst needs first — device name, model, iOS version, serial number,
 * IMEI, phone number, when the backup was made, whether it is encrypted and
 * whether a passcode was set, and how many apps were installed.
 * Reference: the keys iLEAPP and MVT read from backups (`Info.plist`:
 * "Device Name", "Product Type", "Product Version", "Last Backup Date",
 * "Installed Applications"...; `Manifest.plist`: "IsEncrypted",
 * "WasPasscodeSet", "Lockdown", "Applications").
 */
import { defineParser } from '@evtriage/core/contract';

const INFO_KEYS = [
  'Device Name',
  'Display Name',
  'Product Type',
  'Product Version',
  'Build Version',
  'Serial Number',
  'IMEI',
  'MEID',
  'Phone Number',
  'ICCID',
  'Unique Identifier',
  'Target Identifier',
  'GUID',
  'Last Backup Date',
  'iTunes Version',
] as const;

function scalar(v: unknown): string | number | boolean | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'string') return v.slice(0, 500);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

export const iosBackupInfoParser = defineParser({
  meta: { id: 'ios-backup-info', version: '1.0.0', title: 'iOS backup Info.plist', formats: ['bplist', 'xml-plist'] },
  requires: { plistKeys: ['Unique Identifier', 'Product Version'], maxSize: 64 * 1024 * 1024 },
  priority: 30,
  parse(ctx) {
    const value = ctx.plist as Record<string, unknown>;
    const details: Record<string, unknown> = {};
    for (const k of INFO_KEYS) {
      const v = scalar(value[k]);
      if (v !== undefined) details[k] = v;
    }
    const apps = value['Installed Applications'];
    if (Array.isArray(apps)) details['installedApplications'] = apps.length;
    return {
      details,
      artifact: {
        id: 'ios:backup-info',
        name: 'iOS backup Info.plist',
        counts: Array.isArray(apps) ? { apps: apps.length } : {},
      },
    };
  },
});

export const iosBackupManifestParser = defineParser({
  meta: {
    id: 'ios-backup-manifest',
    version: '1.0.0',
    title: 'iOS backup Manifest.plist',
    formats: ['bplist', 'xml-plist'],
  },
  requires: { plistKeys: ['IsEncrypted', 'Lockdown'], maxSize: 64 * 1024 * 1024 },
  priority: 30,
  parse(ctx) {
    const value = ctx.plist as Record<string, unknown>;
    const lockdown = (value['Lockdown'] ?? {}) as Record<string, unknown>;
    const apps = value['Applications'];
    const details: Record<string, unknown> = { isEncrypted: value['IsEncrypted'] === true };
    for (const [k, out] of [
      ['WasPasscodeSet', 'wasPasscodeSet'],
      ['Version', 'version'],
      ['Date', 'date'],
      ['SystemDomainsVersion', 'systemDomainsVersion'],
    ] as const) {
      const v = scalar(value[k]);
      if (v !== undefined) details[out] = v;
    }
    for (const k of [
      'DeviceName',
      'ProductType',
      'ProductVersion',
      'BuildVersion',
      'SerialNumber',
      'UniqueDeviceID',
    ] as const) {
      const v = scalar(lockdown[k]);
      if (v !== undefined) details[k] = v;
    }
    const appCount = apps && typeof apps === 'object' ? Object.keys(apps).length : 0;
    details['applications'] = appCount;
    return {
      details,
      artifact: { id: 'ios:backup-manifest', name: 'iOS backup Manifest.plist', counts: { apps: appCount } },
    };
  },
});
