import { AppCategory, KeyHint } from '@evtriage/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appCatalogue } from './catalogue.js';
import { androidSharedFolders, iosSystemFolders, mobileAppRules } from './mobile-apps.js';

const PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const BUNDLE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A data folder under AppData, Application Support or ~/.config: path segments, no leading or trailing slash. */
const DESKTOP_FOLDER = /^[A-Za-z0-9._][A-Za-z0-9 ._-]*(\/[A-Za-z0-9._][A-Za-z0-9 ._-]*)*$/;

/** Extensions other programs write: never an app's own mark of its ciphertext. */
const COMMON_EXTENSIONS = new Set('jpg jpeg png gif mp4 mov db sqlite bin dat enc tmp txt json xml zip'.split(' '));

/** The catalogue's shape, as a schema: every entry must pass it. */
const CatalogueEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: z.string().min(2),
    category: AppCategory,
    android: z.array(z.string().regex(PACKAGE)).min(1).optional(),
    ios: z.array(z.string().regex(BUNDLE)).min(1).optional(),
    desktop: z.array(z.string().regex(DESKTOP_FOLDER)).min(1).optional(),
    artifacts: z
      .array(
        z
          .object({ path: z.string().min(1), what: z.string().min(3), platform: z.enum(['android', 'ios', 'desktop']) })
          .strict(),
      )
      .min(1),
    encryptionAtRest: z.string().min(10),
    keyHint: KeyHint.optional(),
    encryptedFields: z
      .array(
        z
          .object({
            artifact: z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+$/),
            fields: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/)).min(1),
            scheme: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
    // Extensions (lowercase, no dot) to the type each stands for; a common media extension would make every such file the app's.
    encryptedExtensions: z
      .record(
        z
          .string()
          .regex(/^[a-z0-9]{2,8}$/)
          .refine((x) => !COMMON_EXTENSIONS.has(x), 'a common extension'),
        z.string().regex(/^[a-z0-9]{2,8}$/),
      )
      .optional(),
  })
  .strict()
  .refine(
    (e) => e.android !== undefined || e.ios !== undefined,
    'an entry needs Android package names or iOS bundle ids',
  )
  .refine(
    (e) => e.artifacts.every((a) => e[a.platform] !== undefined),
    'an artifact names a platform the entry has no ids for',
  );

describe('app catalogue', () => {
  it('validates every entry against the catalogue schema', () => {
    for (const entry of appCatalogue) {
      const r = CatalogueEntry.safeParse(entry);
      expect(r.success, `${entry.id}: ${r.success ? '' : JSON.stringify(r.error.issues)}`).toBe(true);
    }
  });

  it('covers at least 40 apps, sorted by id, with unique ids', () => {
    expect(appCatalogue.length).toBeGreaterThanOrEqual(40);
    const ids = appCatalogue.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names each app id once per platform', () => {
    for (const platform of ['android', 'ios'] as const) {
      const seen = new Map<string, string>();
      for (const e of appCatalogue) {
        for (const id of e[platform] ?? []) {
          expect(seen.get(id), `${platform} id ${id} is in ${seen.get(id)} and ${e.id}`).toBeUndefined();
          seen.set(id, e.id);
        }
      }
    }
  });

  it('includes the apps the issue names', () => {
    const names = appCatalogue.map((e) => e.id);
    for (const id of [
      'whatsapp',
      'signal',
      'telegram',
      'threema',
      'wickr',
      'wire',
      'session',
      'element',
      'messenger',
      'instagram',
      'snapchat',
      'tiktok',
      'skype',
      'viber',
      'line',
      'wechat',
      'kakaotalk',
      'kik',
      'discord',
      'google-chat',
      'gmail',
      'chrome',
      'firefox',
      'samsung-internet',
      'apple-safari',
      'google-maps',
      'google-photos',
      'sms',
      'contacts',
      'apple-phone',
      'apple-calendar',
      'android-calendar',
      'apple-photos',
      'apple-notes',
    ]) {
      expect(names).toContain(id);
    }
  });

  it('names the desktop data folders and stores of apps that encrypt them on computers', () => {
    const desktop = (id: string) => appCatalogue.find((e) => e.id === id)!;
    const paths = (id: string) =>
      desktop(id)
        .artifacts.filter((a) => a.platform === 'desktop')
        .map((a) => a.path);
    expect(desktop('signal').desktop).toContain('Signal');
    expect(paths('signal')).toEqual(expect.arrayContaining(['sql/db.sqlite', 'config.json', 'Local State']));
    expect(paths('zoom')).toContain('data/zoomus.enc.db');
    expect(paths('dropbox')).toContain('instance1/config.dbx');
    expect(paths('chrome')).toEqual(expect.arrayContaining(['Local State', 'Default/Network/Cookies']));
    expect(paths('telegram')).toContain('tdata/key_datas');
    // Folder names are unique across entries, as package names are.
    const seen = appCatalogue.flatMap((e) => e.desktop ?? []);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('attributes every fixed-id path rule to a catalogued app (except Voice Memos, which is not catalogued)', () => {
    const known = new Set(appCatalogue.flatMap((e) => [...(e.android ?? []), ...(e.ios ?? [])]));
    for (const f of [...androidSharedFolders, ...iosSystemFolders])
      if (f.appId !== 'com.apple.VoiceMemos') expect(known.has(f.appId), f.appId).toBe(true);
    for (const r of mobileAppRules) expect(() => new RegExp(r.pattern)).not.toThrow();
  });
});
