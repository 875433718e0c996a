import { describe, expect, it } from 'vitest';
import { abx } from '../../../../test/fixtures/apps/writers.js';
import { AbxError, abxEvents, isAbx } from './abx.js';
import { readPackagesList, readPackagesXml } from './package-lists.js';

const doc = abx({
  name: 'packages',
  children: [
    {
      name: 'version',
      attributes: [
        ['sdkVersion', 34],
        ['fingerprint', 'x/y'],
      ],
    },
    {
      name: 'package',
      attributes: [
        ['name', 'com.whatsapp'],
        ['ft', 1700000000000n],
        ['isOrphaned', true],
        ['codePath', '/data/app/a'],
      ],
    },
    {
      name: 'package',
      attributes: [
        ['name', 'org.telegram.messenger'],
        ['codePath', '/data/app/a'],
        ['isOrphaned', false],
      ],
    },
    { name: 'updated-package', attributes: [['name', 'com.android.chrome']] },
  ],
});

describe('Android binary XML (ABX) reader', () => {
  it('reads tags, typed attributes and interned strings', () => {
    expect(isAbx(doc)).toBe(true);
    const events = [...abxEvents(doc)];
    const starts = events.filter((e) => e.type === 'start');
    expect(starts.map((e) => e.type === 'start' && e.name)).toEqual([
      'packages',
      'version',
      'package',
      'package',
      'updated-package',
    ]);
    const wa = starts[2]!;
    expect(wa.type === 'start' && wa.attributes).toEqual({
      name: 'com.whatsapp',
      ft: 1700000000000n,
      isOrphaned: true,
      codePath: '/data/app/a',
    });
    // The second package reuses the interned "codePath" key and value.
    expect(starts[3]!.type === 'start' && starts[3]!.attributes['codePath']).toBe('/data/app/a');
    expect(events.filter((e) => e.type === 'end')).toHaveLength(5);
  });

  it('lists packages from ABX and from plain XML alike, ignoring updated-package and shared-user', () => {
    expect(readPackagesXml(doc).map((p) => p.id)).toEqual(['com.whatsapp', 'org.telegram.messenger']);
    const xml = Buffer.from(
      '<?xml version="1.0"?>\n<packages>\n<version sdkVersion="30" />\n<package name="com.whatsapp" codePath="/data/app/x" />\n<package codePath="/y" name="org.thoughtcrime.securesms">\n</package>\n<updated-package name="com.android.chrome" />\n<shared-user name="android.uid.system" userId="1000" />\n</packages>\n',
    );
    expect(readPackagesXml(xml).map((p) => p.id)).toEqual(['com.whatsapp', 'org.thoughtcrime.securesms']);
    expect(
      readPackagesList(
        Buffer.from(
          'com.whatsapp 10123 0 /data/user/0/com.whatsapp default:targetSdkVersion=33 3003\norg.telegram.messenger 10124 0 /data/user/0/org.telegram.messenger default 3003\n',
        ),
      ).map((p) => p.id),
    ).toEqual(['com.whatsapp', 'org.telegram.messenger']);
  });

  it('plain XML with many unclosed <package tags is read in one pass (an attribute search stops at the next tag)', () => {
    // 400,000 `<package name="a" ` with no `>` (7.6 MB) held the scan: the summary's app pass reads
    // data/system/packages.xml on the main thread, and `[^>]*` searched to the end of the file from each.
    const text =
      '<packages>\n' + '<package name="a" '.repeat(200_000) + '<package name="com.example.app">\n</packages>\n';
    expect(readPackagesXml(Buffer.from(text)).map((p) => p.id)).toEqual(['com.example.app']);
  });

  it('fails with a located error on truncated or malformed input, never hangs', () => {
    for (let cut = 5; cut < doc.length; cut += 7) expect(() => [...abxEvents(doc.subarray(0, cut))]).toThrow(AbxError);
    const badIndex = Buffer.concat([doc.subarray(0, 5), Buffer.from([0x32, 0x00, 0x09])]);
    expect(() => [...abxEvents(badIndex)]).toThrow(/interned string 9 is not defined/);
    expect(() => [...abxEvents(Buffer.from('<packages/>'))]).toThrow(/no ABX/);
    expect(() => readPackagesXml(Buffer.from('<map><string name="a">b</string></map>'))).toThrow(/no <packages>/);
  });
});

describe('Android shared_prefs reader', () => {
  it('reads typed scalar entries and unescapes names and values', async () => {
    const { readSharedPrefs } = await import('../parsers/app-preferences.js');
    const xml = `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name="registration_jid">1555&amp;0199</string>\n    <int name="version_code" value="2312" />\n    <long name="last_login" value="1700000000000" />\n    <boolean name="is_first_run" value="false" />\n    <float name="scale" value="1.5" />\n    <set name="ids"><string>a</string></set>\n    <string name="empty" />\n</map>\n`;
    expect(readSharedPrefs(xml)).toEqual([
      ['registration_jid', '1555&0199'],
      ['version_code', 2312],
      ['last_login', 1700000000000],
      ['is_first_run', false],
      ['scale', 1.5],
      ['empty', ''],
    ]);
    expect(readSharedPrefs('<packages/>')).toBeUndefined();
  });
});
