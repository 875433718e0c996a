import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FolderSource, scan, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { appPackagesDetector } from './app-packages.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { builtinContainers, builtinPlugins } from '../index.js';

const fixtures = new URL('../../fixtures/app-packages/', import.meta.url);
const bytesOf = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
const detect = (bytes: Uint8Array, name: string) =>
  appPackagesDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;

// apksigner's v4 file; EAPPX and APKM v1 written from their published layouts (fixtures/app-packages/generate.sh).
testDetector(
  appPackagesDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted.eappx',
        format: 'eappx',
        status: 'encrypted',
        reasons: ['EAPPX_HEADER'],
        // Two of its three files carry a key; the last was exempted.
        encryption: { scheme: 'eappx-aes-cbc', scope: 'partial', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'encrypted.eappxbundle',
        format: 'eappxbundle',
        status: 'encrypted',
        reasons: ['EAPPX_HEADER'],
        encryption: { scheme: 'eappx-aes-cbc', scope: 'partial' },
      },
      { file: 'encrypted-v1.apkm', format: 'apkm-v1', status: 'opaque', reasons: ['APKM_V1_HEADER'] },
      { file: 'signed.apk.idsig', format: 'apk-v4-signature', status: 'analysable', reasons: ['APK_V4_SIGNATURE'] },
    ],
    invalid: [
      { file: 'footer-beyond-end.eappx', name: 'an EAPPX header whose footer lies past the end (a cut file)' },
      { file: 'bad-chunk.apkm', name: 'an APKM v1 header with a zero chunk size' },
      { file: 'signed.apk', name: 'a v2/v3-signed APK: a ZIP, its signing block is not a v4 file' },
      { file: 'app-zip.apkm', name: 'the current .apkm, a ZIP' },
      { file: 'generate.py' },
    ],
    // ZIP packages (the zip-encryption parser), AppImages and NSIS (sfx-archives), checked through the engine below.
    ignore: [
      'app.msix',
      'app.msixbundle',
      'split.apks',
      'app.xapk',
      'app.aab',
      'app.ipa',
      'demo.nupkg',
      'plain.zip',
      'fairplay.ipa',
      'dumped.ipa',
      'renamed.ipa',
      'tiny.AppImage',
      'tiny-marked-only.AppImage',
      'nsis-setup.exe.gz',
    ],
  },
  { framework: { describe, it } },
);

describe('app-packages', () => {
  it('reads the EAPPX header: package name, algorithm, files, and the footer entries that carry a key', () => {
    const d = detect(bytesOf('encrypted.eappx'), 'encrypted.eappx');
    expect(d?.reasons[0]?.figures).toMatchObject({
      magic: 'EXPH',
      packageFullName: 'Example.App_1.0.0.0_x64__8wekyb3d8bbwe',
      algorithm: 'AES-CBC',
      files: 3,
      encryptedFiles: 2,
    });
  });

  it('declines an EAPPX whose footer entries are not entries', () => {
    const b = bytesOf('encrypted.eappx');
    const footerAt = Number(Buffer.from(b).readBigUInt64LE(14));
    const damaged = b.slice();
    damaged[footerAt] = 0x58; // "XF" for "EF"
    expect(detect(damaged, 'x.eappx')).toBeUndefined();
  });

  it('takes an APKM v1 header when the chunks fill the file, surer under its name', () => {
    const b = bytesOf('encrypted-v1.apkm');
    const named = detect(b, 'app.apkm');
    expect(named?.reasons[0]?.figures).toMatchObject({ argon2: 'argon2id13', chunkBytes: 512 });
    expect(detect(b, 'app.bin')?.confidence).toBeLessThan(named!.confidence);
    // One byte more or less than whole chunks and a last chunk of at least 17 bytes: not this layout.
    expect(detect(Buffer.concat([b, Buffer.alloc(529 - (b.length - 66) + 3)]), 'app.apkm')).toBeUndefined();
    // A last chunk shorter than its tag and MAC: cut.
    expect(detect(b.subarray(0, b.length - (b.length - 66 - 17 + 1)), 'app.apkm')).toBeUndefined();
  });

  it('needs the v4 file to end where its Merkle tree does', () => {
    const b = bytesOf('signed.apk.idsig');
    expect(detect(b.subarray(0, b.length - 1), 'signed.apk.idsig')).toBeUndefined();
    expect(detect(Buffer.concat([b, Buffer.alloc(4096)]), 'signed.apk.idsig')).toBeUndefined();
  });
});

describe('app packages through the whole engine', () => {
  it('names the ZIP packages by their members and the others by their headers', async () => {
    const items = await scanFixtures('app-packages');
    const formats = Object.fromEntries(
      [...items.values()].filter((i) => !i.path.includes('!/')).map((i) => [i.path, i.format?.id]),
    );
    expect(formats).toMatchObject({
      'app.msix': 'msix',
      'app.msixbundle': 'msixbundle',
      'split.apks': 'apks',
      'app.xapk': 'xapk',
      'app-zip.apkm': 'apkm',
      'app.aab': 'aab',
      'app.ipa': 'ipa',
      'demo.nupkg': 'nupkg',
      'plain.zip': 'zip',
      'signed.apk': 'apk',
      'signed.apk.idsig': 'apk-v4-signature',
      'encrypted.eappx': 'eappx',
      'encrypted-v1.apkm': 'apkm-v1',
      'fairplay.ipa': 'ipa',
      'dumped.ipa': 'ipa',
      // sfx-archives: the AppImage runtime's mark and a SquashFS where the ELF ends; the mark alone is an ELF.
      'tiny.AppImage': 'appimage',
      'tiny-marked-only.AppImage': 'elf',
    });
    expect(codes(items.get('tiny.AppImage'))).toContain('APPIMAGE_SQUASHFS');
    // sfx-archives: makensis's installer, by its firstheader on the 512-byte boundary after the stub.
    const nsis = items.get('nsis-setup.exe.gz!/nsis-setup.exe');
    expect(nsis?.format?.id).toBe('nsis-installer');
    expect(nsis?.classification.reasons.find((r) => r.code === 'NSIS_FIRSTHEADER')?.figures).toMatchObject({
      firstHeaderOffset: 89600,
      trailingBytes: 0,
    });
    // Bundles of packages are opened, each package named; a single package is not (as an APK is not).
    expect(items.get('app.msixbundle!/App_x64.msix')?.format?.id).toBe('msix');
    expect(items.get('split.apks!/splits/base-master.apk')?.format?.id).toBe('apk');
    expect(items.get('app.xapk!/com.example.app.apk')?.format?.id).toBe('apk');
    expect([...items.keys()].filter((p) => /^(app\.msix|app\.aab|app\.ipa|demo\.nupkg)!\//.test(p))).toEqual([]);
  });

  it('calls an IPA encrypted when its main executable is FairPlay ciphertext, and not a decrypted dump', async () => {
    const items = await scanFixtures('app-packages');
    const fairplay = items.get('fairplay.ipa');
    expect(fairplay?.classification.status).toBe('encrypted');
    expect(codes(fairplay)).toContain('IPA_FAIRPLAY_ENCRYPTED');
    expect(fairplay?.encryption).toMatchObject({
      scheme: 'fairplay-macho',
      scope: 'partial',
      keyHint: { kind: 'hardware' },
    });
    expect(items.get('dumped.ipa')?.classification.status).toBe('analysable');
    // An executable not named as its bundle is found among the bundle's extensionless files (a text file passed over).
    expect(items.get('renamed.ipa')?.classification.status).toBe('encrypted');
    expect(
      items
        .get('renamed.ipa')
        ?.classification.reasons.map((r) => r.message)
        .join(' '),
    ).toContain('SampleApp');
    expect(items.get('app.ipa')?.classification.status).toBe('analysable');
  });
});

describe('NSIS installers through the whole engine', () => {
  it("needs the firstheader's data to fit the file and its flags to be ones makensis sets", async () => {
    const exe = zlib.gunzipSync(fs.readFileSync(new URL('nsis-setup.exe.gz', fixtures)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsis-'));
    try {
      const flagged = Buffer.from(exe);
      flagged[89600] = 0x10;
      fs.writeFileSync(path.join(dir, 'whole.exe'), exe);
      fs.writeFileSync(path.join(dir, 'cut.exe'), exe.subarray(0, exe.length - 100));
      fs.writeFileSync(path.join(dir, 'flagged.exe'), flagged);
      const formats = new Map<string, string | undefined>();
      for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
        formats.set(item.path, item.format?.id);
      expect(Object.fromEntries(formats)).toEqual({
        'whole.exe': 'nsis-installer',
        'cut.exe': 'pe',
        'flagged.exe': 'pe',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: app-packages', () => {
  fuzzFlipCutGrow(
    appPackagesDetector,
    ['encrypted.eappx', 'encrypted.eappxbundle', 'encrypted-v1.apkm', 'signed.apk.idsig'].map(
      (name) => [name, bytesOf(name)] as const,
    ),
    20,
    { wholeHalf: true },
  );
});
