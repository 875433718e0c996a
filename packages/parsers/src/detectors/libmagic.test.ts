import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { defineDetector, FolderSource, scan, type Detection, type DetectorPlugin, type Probe } from '@evtriage/core';
import { libmagic, libmagicDetector, libmagicTraps, quotedNonText, sRecordsHold, tfmLengthsHold } from './libmagic.js';
import { codes, fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

testDetector(
  libmagicDetector,
  {
    fixtures: new URL('../../fixtures/libmagic/', import.meta.url),
    valid: [
      { file: 'zone.tzif', format: 'tzif', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'capture.pcapng', format: 'pcapng', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'capture-nano.pcap', format: 'pcap', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'latin1.txt', format: 'text', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'matrices-v4.mat', format: 'matlab-data', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // zlib blocks behind a short header: a small file's body reads as random, the rule says that is the format.
      { file: 'places.osm.pbf', format: 'osm-pbf', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // An iMessage-style voice message (Opus in CAF): its packets read as random, the header says what it is.
      { file: 'voice-message.caf', format: 'caf', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // A one-page bilevel DjVu (cjb2): 278 bytes of JB2 that read as random; the IFF header says what it is.
      { file: 'page-bw.djvu', format: 'djvu', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'classes.dex', format: 'dex', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // File systems of Android partitions and Linux machines.
      { file: 'system.squashfs', format: 'squashfs', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'vendor.erofs', format: 'erofs', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'userdata-head.f2fs', format: 'f2fs', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'xfs-head.img', format: 'xfs', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // An ID3 tag before True Audio (generate.sh): named by the format inside the tag, not by the tag.
      { file: 'id3-tagged.tta', format: 'true-audio-lossless-audio', status: 'analysable', reasons: ['LIBMAGIC'] },
      // A format libmagic names and no rule maps (0.68, below a mapped rule, above any statistic).
      { file: 'numbers.lzo', format: 'lzop', status: 'analysable', reasons: ['LIBMAGIC'] },
      // Its project name, which libmagic quotes, says "Encrypted": words from the file are not a claim.
      { file: 'encfs-de.mo', format: 'gettext-translation', status: 'analysable', reasons: ['LIBMAGIC'] },
      // "password" in the magic entry's own words, in another sense: a password dictionary's index.
      { file: 'cracklib-words.pwi', format: 'cracklib-password-index', status: 'analysable', reasons: ['LIBMAGIC'] },
      // A version 1 certificate with a newline after it (v1-certificate.sh): its signature algorithm's name is
      // not a claim of encryption.
      { file: 'v1-cert-newline.der', format: 'der-encoded-certificate', status: 'analysable', reasons: ['LIBMAGIC'] },
      // Chance matches: recorded, never a recognition.
      {
        file: 'random16.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'random-zlib-header.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'random-after-cpio-magic.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'quoted-bytes-geoswath.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'quoted-bytes-amiga-font.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'quoted-bytes-transcopy.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // A one-byte magic and a regex (Sendmail's frozen configuration) on structured binary data: the version it
      // prints from the file holds control bytes, so the rule read some other format's fields.
      {
        file: 'garbled-version.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // Libmagic's answer depends on 00 00 00 01, three zeros and a one: a version word, not a magic to call the
      // uniform bytes after it a damaged file by.
      {
        file: 'version-word-then-uniform-bytes.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // A resource fork split out of a BinHex file by hexbin: data and map inside the file.
      { file: 'stuffit-mkey.rsrc', format: 'apple-rsr', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // A glTF vertex buffer that starts 00 00 01 00: the header's map lies past the file.
      {
        file: 'gltf-buffer-rsrc-magic.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // S-records by objcopy: lengths and checksums hold. "S0" before Japanese UTF-16LE or binary bytes: a chance match.
      {
        file: 'records.srec',
        format: 'motorola-s-record',
        status: 'analysable',
        confidence: 0.75,
        reasons: ['LIBMAGIC'],
      },
      {
        file: 's0-utf16le-japanese.txt',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 's0-binary.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      { file: 'lzma-strips.tif', format: 'tiff', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // A TFM by pltotf: its table lengths add up. The same with the length word one too long: a chance match.
      { file: 'font.tfm', format: 'tex-tfm', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // A TFM whose length word (09 02) is Excel's BIFF3 magic, libmagic's first match; its TeX entry comes second.
      { file: 'font-biff3-lf.tfm', format: 'tex-tfm', status: 'analysable', confidence: 0.75, reasons: ['LIBMAGIC'] },
      {
        file: 'tfm-biff3-wrong-length.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // Plan 9's 4-byte magic of small integers: taken only when the header's segment sizes add up to the file.
      {
        file: 'plan9-386.aout',
        format: 'plan9-executable',
        status: 'analysable',
        confidence: 0.75,
        reasons: ['LIBMAGIC'],
      },
      {
        file: 'plan9-wrong-size.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'tfm-wrong-length.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'gradient.cmyk',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // "WARC Archive version c\00": a control byte printed as the version, before uniform bytes.
      {
        file: 'warc-magic-then-uniform-bytes.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'erased-600.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'shebang-then-uniform-bytes.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'arc-marker-then-uniform-bytes.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'gzip-magic-reserved-method.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // Caches and settings databases only the library that compiled them reads: opaque, named.
      { file: 'dconf-user', format: 'gvdb', status: 'opaque', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'pkgcache-head.bin', format: 'apt-cache', status: 'opaque', confidence: 0.75, reasons: ['LIBMAGIC'] },
      { file: 'font.cache-8', format: 'fontconfig-cache', status: 'opaque', confidence: 0.75, reasons: ['LIBMAGIC'] },
      // PostgreSQL heap pages: small-integer tests, no magic string, read them as a BOOTSTAT.DAT and a thermal frame.
      {
        file: 'pg-database-page.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      {
        file: 'pg-class-head.bin',
        format: 'libmagic-chance-match',
        status: 'opaque',
        confidence: 0.2,
        reasons: ['LIBMAGIC_WEAK'],
      },
      // A magic of 4 bytes or more in front of random bytes: a damaged file of that format, not ciphertext.
      {
        file: 'random-tzif.bin',
        format: 'damaged-file',
        status: 'opaque',
        confidence: 0.6,
        reasons: ['LIBMAGIC_SIGNATURE_WITHOUT_STRUCTURE'],
      },
      // A Git pack of a random blob: its objects' zlib streams read as random, and the first one decodes.
      { file: 'random-blob.pack', format: 'git', status: 'analysable', confidence: 0.68, reasons: ['LIBMAGIC'] },
      // The same header before random bytes: no stream decodes behind it.
      {
        file: 'random-after-pack-header.bin',
        format: 'damaged-file',
        status: 'opaque',
        confidence: 0.6,
        reasons: ['LIBMAGIC_SIGNATURE_WITHOUT_STRUCTURE'],
      },
      // Compiled data of the C library: only glibc reads it.
      { file: 'glibc-LC_ADDRESS', format: 'glibc-locale', status: 'opaque', reasons: ['LIBMAGIC'] },
      { file: 'gconv-modules.cache', format: 'gconv-cache', status: 'opaque', reasons: ['LIBMAGIC'] },
      // A long magic of a compressed format before random bytes: what such a format holds.
      { file: 'random-body.rz', format: 'rzip', status: 'analysable', reasons: ['LIBMAGIC'] },
      { file: 'random-body.lzo', format: 'lzop', status: 'analysable', reasons: ['LIBMAGIC_COMPRESSED'] },
      // A bsdiff patch: bzip2 streams from offset 32 are its own blocks, not a stream behind an unknown header.
      { file: 'update.bsdiff', format: 'bsdiff', status: 'analysable', reasons: ['LIBMAGIC'] },
      {
        file: 'overwritten.tif',
        format: 'damaged-file',
        status: 'opaque',
        confidence: 0.6,
        reasons: ['LIBMAGIC_SIGNATURE_WITHOUT_STRUCTURE'],
      },
    ],
    // libmagic's WebAssembly build traps on this damaged Bacula label: no answer, never a throw.
    invalid: [{ file: 'random.bin' }, { file: 'bacula-label-damaged-date.bin' }],
  },
  { framework: { describe, it } },
);

/** A probe over bytes held whole in the head. */
function probeOf(bytes: Uint8Array, name = 'blob.bin'): Probe {
  return {
    path: name,
    logicalPath: name,
    name,
    extension: path.extname(name).slice(1),
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  };
}

describe("libmagic's answers quoting the file's bytes", () => {
  it('takes control bytes in printed text for a chance match, never Latin-1 or UTF-8 names, tabs or line ends', () => {
    // Descriptions libmagic printed for files here: fuzzing inputs, a camcorder index, a Targa chance match.
    expect(quotedNonText('Sendmail frozen configuration - version 36854775295\\226\\034i\\243\\217=')).toBe(
      '36854775295\\226\\034i\\243\\217=',
    );
    expect(quotedNonText('AmigaOS bitmap font (TFCH) "(\\265/\\375V*M\\030", 3162 elements')).toBe(
      '\\265/\\375V*M\\030',
    );
    expect(quotedNonText('ps database version 6 from kernel \\001@\\007\\333\\005')).toBe('\\001@\\007\\333\\005');
    // A Catalan catalogue in Latin-1, a UTF-8 name, a font's copyright sign, a tab.
    expect(quotedNonText('GNU message catalog (little endian), revision 0.0, Project-Id-Version: vim \\372ltim')).toBe(
      undefined,
    );
    expect(quotedNonText('Zip archive data, name: caf\\303\\251.txt')).toBe(undefined);
    expect(quotedNonText('TrueType Font data, 17 tables, 1st "GDEF", name "\\251 2010"')).toBe(undefined);
    expect(quotedNonText('magic text fragment for file(1) cmd, 1st line "#\\011x"')).toBe(undefined);
    expect(quotedNonText('PNG image data, 45 x 28, 8-bit/color RGBA')).toBe(undefined);
  });
});

describe('libmagic rules that verify a short magic', () => {
  it('accepts ARC archives made by arc (their member headers hold)', async () => {
    const ctx = { limits: { maxProbeBytes: 16384 } as never, signal: new AbortController().signal };
    for (const name of ['clear.arc', 'squash.arc', 'stored.arc']) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(fixtureDir('arc'), name)));
      const found = (await libmagicDetector.detect(probeOf(bytes, name), ctx)) as Detection;
      expect(found.format.id, name).toBe('arc');
      expect(found.reasons[0]?.message).toContain('the member name and compressed size hold');
    }
  });
});

describe("libmagic's MATLAB v4 answer (a zero type word and a name)", () => {
  const ctx = { limits: { maxProbeBytes: 16384 } as never, signal: new AbortController().signal };
  const read = (dir: string, name: string) => new Uint8Array(fs.readFileSync(path.join(fixtureDir(dir), name)));

  it('stands for a MAT-file SciPy wrote (its matrix headers hold)', async () => {
    const found = (await libmagicDetector.detect(
      probeOf(read('libmagic', 'matrices-v4.mat'), 'm.mat'),
      ctx,
    )) as Detection;
    expect([found.format.id, found.status, found.confidence]).toEqual(['matlab-data', 'analysable', 0.75]);
    expect(found.reasons[0]?.message).toContain('the matrix header (type, rows, columns, name) holds');
  });

  it('is a chance match on other binaries that start with zeros (an SQL Anywhere superblock)', async () => {
    const bytes = read('sql-anywhere', 'sample.db');
    const found = (await libmagicDetector.detect(probeOf(bytes.subarray(0, 16384), 'sample.db'), ctx)) as Detection;
    expect(found.reasons[0]?.message).toMatch(/^libmagic says "Matlab v4 mat-file.*does not fit a MAT-file/);
    expect(found.confidence).toBeLessThanOrEqual(0.2);
  });

  it('rejects a matrix whose data runs past the file', async () => {
    const bytes = read('libmagic', 'matrices-v4.mat');
    const cut = bytes.subarray(0, 40);
    const found = (await libmagicDetector.detect(probeOf(cut, 'cut.mat'), ctx)) as Detection | undefined;
    expect(found === undefined || found.confidence <= 0.2).toBe(true);
  });
});

describe("libmagic's answers for compilers' private caches", () => {
  it('calls them opaque, for the variants the build-artifacts detector declines too', async () => {
    const ctx = { limits: { maxProbeBytes: 16384 } as never, signal: new AbortController().signal };
    for (const [name, id] of [
      ['lib.js.code', 'v8-code-cache'],
      ['query-cache.bin', 'rust-incremental-cache'],
      ['point-head.h.gch', 'gcc-pch'],
    ] as const) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(fixtureDir('build-artifacts'), name)));
      const found = (await libmagicDetector.detect(probeOf(bytes, name), ctx)) as Detection;
      expect([found.format.id, found.status], name).toEqual([id, 'opaque']);
    }
  });
});

describe('libmagic on random bytes', () => {
  it('never lets a chance match of random bytes win over the statistics (confidence stays at the weak level)', async () => {
    const ctx = { limits: { maxProbeBytes: 16384 } as never, signal: new AbortController().signal };
    let described = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const bytes = seededBytes(seed * 2654435761, [64, 512, 4096][seed % 3]!);
      const d = await libmagicDetector.detect(probeOf(bytes), ctx);
      const list: readonly Detection[] =
        d === undefined ? [] : Array.isArray(d) ? (d as readonly Detection[]) : [d as Detection];
      for (const one of list) {
        described++;
        expect(one.confidence, `${one.format.id}: ${one.reasons[0]?.message}`).toBeLessThanOrEqual(0.2);
        expect(one.status).not.toBe('encrypted');
      }
    }
    // Random bytes do hit libmagic's short magic (about 9 % of buffers): the test exercises the weak path.
    expect(described).toBeGreaterThan(10);
  });
});

describe('libmagic in the pipeline', () => {
  it('names what no specific detector knows, and leaves random bytes to the statistics', async () => {
    const items = await scanFixtures('libmagic');
    expect(items.get('capture.pcapng')?.format?.detector).toBe('libmagic');
    // The text detector reads the Japanese UTF-16LE that libmagic took for S-records.
    expect(items.get('s0-utf16le-japanese.txt')?.format?.detector).toBe('text');
    expect(items.get('capture.pcapng')?.classification.status).toBe('analysable');
    // A two-byte magic in front of random bytes is a chance match: the statistics decide, libmagic's answer is listed.
    expect(items.get('random-after-cpio-magic.bin')?.format?.detector).toBe('statistics');
    expect(codes(items.get('random-after-cpio-magic.bin'))).toContain('OTHER_CANDIDATES');
    // gzip's magic with a reserved compression method is no gzip member: ciphertext-like bytes, not an archive.
    expect(items.get('gzip-magic-reserved-method.bin')?.format?.id).toBe('unknown-encrypted');
    // A four-byte one ("TZif"; the version digit after it is masked) is not: a damaged file of that format.
    expect(items.get('random-tzif.bin')?.format).toMatchObject({ id: 'damaged-file', detector: 'libmagic' });
    expect(items.get('random-tzif.bin')?.classification.reasons[0]?.figures).toMatchObject({ signatureBytes: 4 });
    expect(items.get('random.bin')?.format?.detector).toBe('statistics');
    // "WARC/" before uniform bytes: the web-archives detector's declined signature makes it a damaged file (not the
    // archive libmagic's words would make of it, nor ciphertext).
    expect(items.get('warc-magic-then-uniform-bytes.bin')?.format).toMatchObject({ id: 'damaged-file' });
    // LZMA strips behind a TIFF header: the TIFF, not "compressed data behind a header no detector knows".
    expect(items.get('lzma-strips.tif')?.format).toMatchObject({ id: 'tiff', detector: 'libmagic' });
    expect(items.get('lzma-strips.tif')?.classification.status).toBe('analysable');
  });

  it('loads on the probe worker threads of the built CLI (lazily, once per worker)', async () => {
    const cli = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-libmagic-')), 'm.ndjson');
    await promisify(execFile)(process.execPath, [
      cli,
      'scan',
      fixtureDir('libmagic'),
      '-o',
      out,
      '-f',
      'ndjson',
      '-q',
    ]).catch(() => undefined);
    const items = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; path?: string; format?: { id: string; detector: string } });
    const byPath = new Map(items.filter((i) => i.type === 'item').map((i) => [i.path, i]));
    expect(byPath.get('zone.tzif')?.format).toMatchObject({ id: 'tzif', detector: 'libmagic' });
    expect(byPath.get('capture-nano.pcap')?.format).toMatchObject({ id: 'pcap', detector: 'libmagic' });
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});

describe('libmagic runs only where no detector decided', () => {
  it('is not asked about files a signature detector already recognised', async () => {
    let asked = 0;
    const counted: DetectorPlugin = {
      ...libmagicDetector,
      detect: (probe, ctx) => (asked++, libmagicDetector.detect(probe, ctx)),
    };
    // A specific detector that claims only the pcapng (its section header block magic).
    const pcapng = defineDetector({
      meta: {
        id: 'test-pcapng',
        version: '1.0.0',
        title: 'pcapng',
        formats: [{ id: 'pcapng', name: 'pcapng', status: 'analysable', how: 'signature' }],
      },
      signatures: [{ offset: 0, hex: '0a0d0d0a' }],
      detect: () => ({
        format: { id: 'pcapng', name: 'pcapng' },
        status: 'analysable',
        confidence: 0.95,
        reasons: [{ code: 'PCAPNG_SHB', message: 'section header block' }],
      }),
    });
    const items = new Map<string, string | undefined>();
    for await (const item of scan(new FolderSource(fixtureDir('libmagic')), { plugins: [pcapng, counted] }))
      items.set(item.path, item.format?.detector);
    expect(items.get('capture.pcapng')).toBe('test-pcapng');
    expect(items.get('zone.tzif')).toBe('libmagic');
    // Every file but the pcapng reached libmagic; the pcapng never did.
    expect(asked).toBe(items.size - 1);
  });
});

describe('sRecordsHold (fixtures/libmagic/records.srec, made by objcopy)', () => {
  const records = fs.readFileSync(new URL('../../fixtures/libmagic/records.srec', import.meta.url));

  it("checks every line's byte count and checksum", () => {
    expect(sRecordsHold(records)).toBeGreaterThan(0);
    // One data digit changed: that record's checksum no longer holds.
    const changed = Buffer.from(records);
    changed[30] = changed[30] === 0x30 ? 0x31 : 0x30;
    expect(sRecordsHold(changed)).toBe(0);
  });

  it('never throws on damaged or random bytes', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const mutated = Buffer.from(records);
      const noise = seededBytes(seed, 8);
      for (let k = 0; k < 4; k++) mutated[noise[k]! % mutated.length] = noise[k + 4]!;
      expect(() => sRecordsHold(mutated.subarray(0, 1 + (seed % mutated.length)))).not.toThrow();
      expect(sRecordsHold(seededBytes(seed * 7919, 64 + seed))).toBe(0);
    }
  });
});

describe('tfmLengthsHold (fixtures/libmagic/font.tfm, made by pltotf)', () => {
  const tfm = fs.readFileSync(new URL('../../fixtures/libmagic/font.tfm', import.meta.url));

  it("adds the twelve table lengths up to the file's size in words", () => {
    expect(tfmLengthsHold(tfm, tfm.length)).toBe(tfm.length / 4);
    expect(tfmLengthsHold(tfm, tfm.length + 4)).toBeUndefined();
    // One more width entry than the tables hold: the sum no longer matches lf.
    const changed = Buffer.from(tfm);
    changed[9] = changed[9]! + 1;
    expect(tfmLengthsHold(changed, changed.length)).toBeUndefined();
  });

  it('never throws on damaged or random bytes', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const mutated = Buffer.from(tfm);
      const noise = seededBytes(seed, 8);
      for (let k = 0; k < 4; k++) mutated[noise[k]! % 24] = noise[k + 4]!;
      const cut = mutated.subarray(0, 1 + (seed % mutated.length));
      expect(() => tfmLengthsHold(cut, mutated.length)).not.toThrow();
      const random = seededBytes(seed * 7919, 64 + seed);
      expect(tfmLengthsHold(random, random.length)).toBeUndefined();
    }
  });
});

describe("a trap in libmagic's WebAssembly build (fixtures/libmagic/bacula-label-damaged-date.bin)", () => {
  it('gives no answer for those bytes, and fresh handles answer the next file', async () => {
    const bytes = fs.readFileSync(new URL('../../fixtures/libmagic/bacula-label-damaged-date.bin', import.meta.url));
    const before = libmagicTraps();
    expect((await libmagic()).describe(bytes)).toBe('');
    expect(libmagicTraps()).toBe(before + 1);
    expect((await libmagic()).describe(Buffer.from('plain words of text\n'))).toMatch(/text/);
  });
});
