/**
 * Readers for device lists of installed apps: Android `packages.xml` (plain
 * XML, or Android Binary XML since Android 12), Android `packages.list`
 * (one line per package: name, uid, debuggable flag, data folder, ...),
 * iOS FrontBoard `applicationState.db` (`application_identifier_tab`) and the
 * `Installed Applications` array of an iOS backup's `Info.plist`.
 * References: AOSP `PackageManagerService` settings (`<package name=...>`
 * elements under `<packages>`); iLEAPP `applicationstate` artifact.
 */
import { decodePlist } from '@evtriage/core/helpers';
import { openSqliteCopy } from '@evtriage/core/internal-sqlite';
import { abxEvents, isAbx } from './abx.js';

/**
 * Package names listed at most from one file: one more than the engine keeps (core's `MAX_APPS_PER_LIST`),
 * so that a longer list reaches it longer and is reported (`APP_LIST_TRUNCATED`), never cut silently.
 */
export const MAX_LISTED_PACKAGES = 20_001;

const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const BUNDLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * A `<package ...>` start tag and its attributes. The attributes cannot hold `<` (XML 1.0 §3.1, AttValue), so a
 * search that finds no `>` stops at the next tag: with `[^>]*` each of 400,000 unclosed `<package ` searched to
 * the end of a 7.6 MB file (quadratic), and the summary's app pass, which reads data/system/packages.xml on the
 * main thread, held the scan for good.
 */
const PACKAGE_TAG = /<package\s([^<>]*)>/g;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!);
}

/**
 * Installed packages from `packages.xml`: every `<package name="...">`
 * element (not `<updated-package>`, which records a replaced system app).
 *
 * @example
 * readPackagesXml(fs.readFileSync('data/system/packages.xml')); // [{ id: 'com.whatsapp' }, ...]
 */
export function readPackagesXml(bytes: Buffer): Array<{ id: string }> {
  const ids = new Set<string>();
  if (isAbx(bytes)) {
    for (const ev of abxEvents(bytes)) {
      if (ev.type !== 'start' || ev.name !== 'package') continue;
      const name = ev.attributes['name'];
      if (typeof name === 'string' && PACKAGE_NAME.test(name)) ids.add(name);
      if (ids.size >= MAX_LISTED_PACKAGES) break;
    }
  } else {
    const text = bytes.toString('utf8');
    if (!/<packages[\s>]/.test(text)) throw new Error('not a packages.xml: no <packages> element');
    for (const m of text.matchAll(PACKAGE_TAG)) {
      const name = /(?:^|\s)name="([^"]*)"/.exec(m[1]!)?.[1];
      if (name !== undefined && PACKAGE_NAME.test(unescapeXml(name))) ids.add(unescapeXml(name));
      if (ids.size >= MAX_LISTED_PACKAGES) break;
    }
  }
  return [...ids].sort().map((id) => ({ id }));
}

/** Installed packages from `packages.list` (space-separated; the first field is the package name). */
export function readPackagesList(bytes: Buffer): Array<{ id: string }> {
  const ids = new Set<string>();
  for (const line of bytes.toString('utf8').split('\n')) {
    const name = line.split(' ', 1)[0]!.trim();
    if (name && PACKAGE_NAME.test(name) && name.includes('.')) ids.add(name);
    if (ids.size >= MAX_LISTED_PACKAGES) break;
  }
  return [...ids].sort().map((id) => ({ id }));
}

/** Bundle ids from iOS FrontBoard `applicationState.db`. */
export function readApplicationState(bytes: Buffer): Array<{ id: string }> {
  const db = openSqliteCopy(bytes);
  try {
    const rows = db.all(
      `SELECT application_identifier AS id FROM application_identifier_tab LIMIT ${MAX_LISTED_PACKAGES}`,
    ) as Array<{ id: unknown }>;
    return [...new Set(rows.map((r) => String(r.id)).filter((id) => BUNDLE_ID.test(id)))].sort().map((id) => ({ id }));
  } finally {
    db.close();
  }
}

/** Bundle ids from an iOS backup's `Info.plist` (`Installed Applications`); none when the key is absent. */
export function readBackupInfoPlist(bytes: Buffer): Array<{ id: string }> {
  const value = decodePlist(bytes) as Record<string, unknown> | null;
  const list = value && typeof value === 'object' ? value['Installed Applications'] : undefined;
  if (!Array.isArray(list)) return [];
  return [
    ...new Set(
      list.filter((x): x is string => typeof x === 'string' && BUNDLE_ID.test(x)).slice(0, MAX_LISTED_PACKAGES),
    ),
  ]
    .sort()
    .map((id) => ({ id }));
}
