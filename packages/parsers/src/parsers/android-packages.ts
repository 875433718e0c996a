/**
 * Android `packages.xml` (plain XML, or Android Binary XML since Android 12):
 * the packages installed on the device. The same file feeds the summary's
 * installed-app list through the app rules (`packageLists`); this parser
 * makes it an artifact with a headline count, and records the SDK version.
 * Reference: AOSP PackageManager `Settings` (`<packages>` root,
 * `<version sdkVersion=...>`, one `<package name=...>` per package).
 */
import { defineParser } from '@evtriage/core/contract';
import { abxEvents, isAbx } from '../apps/abx.js';
import { readPackagesXml } from '../apps/package-lists.js';

export const androidPackagesParser = defineParser({
  meta: {
    id: 'android-packages',
    version: '1.0.0',
    title: 'Android installed packages (packages.xml)',
    formats: ['xml', 'android-binary-xml'],
    diagnostics: { ANDROID_PACKAGES_MALFORMED: 'The package list could not be read completely.' },
  },
  requires: { maxSize: 64 * 1024 * 1024 },
  priority: 30,
  async parse(ctx) {
    const head = Buffer.from(ctx.probe.head);
    const abx = isAbx(head);
    // Cheap gate on the head: the root element must be <packages>.
    if (abx ? !head.includes(Buffer.from('packages')) : !/<packages[\s>]/.test(head.toString('utf8', 0, 2048)))
      return undefined;
    const bytes = await ctx.readAll();
    let packages: Array<{ id: string }>;
    try {
      if (abx) {
        const first = abxEvents(bytes).next().value;
        if (!first || first.type !== 'start' || first.name !== 'packages') return undefined;
      }
      packages = readPackagesXml(bytes);
    } catch (err) {
      ctx.report({ code: 'ANDROID_PACKAGES_MALFORMED', severity: 'warning', message: (err as Error).message });
      return undefined;
    }
    const sdk = abx ? sdkFromAbx(bytes) : /<version\s[^<>]*sdkVersion="(\d+)"/.exec(bytes.toString('utf8'))?.[1];
    return {
      details: {
        encoding: abx ? 'abx' : 'xml',
        packages: packages.length,
        ...(sdk !== undefined ? { sdkVersion: Number(sdk) } : {}),
        first: packages.slice(0, 50).map((p) => p.id),
      },
      artifact: { id: 'android:packages', name: 'Android installed packages', counts: { packages: packages.length } },
    };
  },
});

function sdkFromAbx(bytes: Buffer): number | undefined {
  try {
    for (const ev of abxEvents(bytes)) {
      if (ev.type === 'start' && ev.name === 'version') {
        const v = ev.attributes['sdkVersion'];
        return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : undefined;
      }
    }
  } catch {
    // Reported by the package pass above.
  }
  return undefined;
}
