import { describe, expect, it } from 'vitest';
import {
  CLAIMS_ENCRYPTION,
  MAGIC_RULES,
  claimsEncryption,
  contentOfTag,
  formatIdFor,
  isGeneric,
  isWeak,
  ruleFor,
} from './libmagic-rules.js';

describe('libmagic rules table', () => {
  it('takes generic answers as no recognition', () => {
    expect(isGeneric('data', 'application/octet-stream')).toBe(true);
    expect(isGeneric('very short file (no magic)', 'application/octet-stream')).toBe(true);
    expect(isGeneric('pcapng capture file - version 1.0', 'application/x-pcapng')).toBe(false);
  });

  it('maps descriptions of readable formats to a format and analysable', () => {
    expect(ruleFor('pcapng capture file - version 1.0')).toMatchObject({
      format: { id: 'pcapng' },
      status: 'analysable',
    });
    expect(ruleFor('pcap capture file, nanosecond ts (little-endian) - version 2.4 (Ethernet)')?.format.id).toBe(
      'pcap',
    );
    expect(ruleFor('TrueType Font data, 18 tables, 1st "cmap"')?.format.id).toBe('font');
    expect(ruleFor('timezone data (fat), version 2, no leap seconds')?.format.id).toBe('tzif');
    // file(1) 5.44's words for file systems made by mkfs.btrfs and mkfs.xfs.
    expect(ruleFor('BTRFS Filesystem sectorsize 4096, nodesize 16384, leafsize 16384, UUID=c85f8b58')?.format.id).toBe(
      'btrfs',
    );
    expect(ruleFor('SGI XFS filesystem data (blksz 4096, inosz 512, v2 dirs)')?.format.id).toBe('xfs');
    // wasmagic's words for gguf 0.19's files: the same id as the ml-models detector gives.
    expect(
      ruleFor('GGUF file format version 3, 1 tensors, 7 metadata entries, Architecture: llama, Name: tiny-test'),
    ).toMatchObject({ format: { id: 'gguf' }, status: 'analysable' });
    // Short magic that must decode first.
    expect(ruleFor('LZMA compressed data, streamed')).toMatchObject({ format: { id: 'lzma' }, verify: 'lzma' });
    expect(ruleFor('zlib compressed data')).toMatchObject({ format: { id: 'zlib' }, verify: 'zlib' });
    // 8-bit text, but only from 32 bytes on (libmagic calls 16 random bytes "Non-ISO extended-ASCII text").
    expect(ruleFor('ISO-8859 text, with CRLF line terminators')).toMatchObject({ format: { id: 'text' }, minSize: 32 });
  });

  it("keeps an Avira quarantine file opaque under av-quarantine's id (the words of file 5.44 on the fixture)", () => {
    expect(
      ruleFor(
        'Avira AntiVir quarantined sers\\alice\\Downloads\\eicar.com at Fri Dec  6 23:06:40 2024, category "Eicar-Test-Signature"',
      ),
    ).toMatchObject({ format: { id: 'avira-quarantine' }, status: 'opaque' });
    // file 5.44's Magdir/avg: AVG 7's vault files (no fixture: no AVG 7 on Debian, the rule is libmagic's words).
    expect(ruleFor('AVG 7 Antivirus vault file data')).toMatchObject({
      format: { id: 'avg-vault-quarantine' },
      status: 'opaque',
    });
  });

  it('gives scientific, statistical and GIS formats stable ids (the words of wasmagic 5.44 on real files)', () => {
    // nibabel's NIfTI-1 image and pair header, a ReadStat .dta and .sas7bdat, GDAL's GRIB2, HDF4, NITF, GSBG and
    // FlatGeobuf output (docs/encrypted-formats-audit.md, sixteenth session).
    const cases: Array<[string, string]> = [
      ['NIfTI-1 neuroimaging data, little endian, float32 datatype with scaling, 3-dimensional', 'nifti'],
      ['NIfTI-1 neuroimaging data header, little endian, int16 datatype with scaling', 'nifti'],
      ['Stata Data File (Release 118)', 'stata-dta'],
      ['SAS 7+ data file', 'sas7bdat'],
      ['Gridded binary (GRIB) version 2', 'grib'],
      ['Hierarchical Data Format (version 4) data', 'hdf4'],
      ['National Imagery Transmission Format dated 20021216151629', 'nitf'],
      ['Surfer 6 binary grid file, 256x256, minx=0.0195312, maxx=9.98047', 'surfer-grid-6'],
      ['FlatGeobuf file', 'flatgeobuf'],
      ['LIDAR point data records', 'las'],
    ];
    for (const [description, id] of cases)
      expect(ruleFor(description), description).toMatchObject({ format: { id }, status: 'analysable' });
    // HDF5 keeps the id libmagic's MIME type gives it.
    expect(ruleFor('Hierarchical Data Format (version 5) data')).toBeUndefined();
  });

  it("calls runtimes' private code files opaque and bytecode with general disassemblers analysable (wasmagic's words on files made here)", () => {
    const opaque: Array<[string, string]> = [
      ['Android vdex file, verifier deps version: 027, verifier deps size: 64', 'android-vdex'],
      ['Android ART profile, version 010 P', 'android-art-profile'],
      ['Android ART profile metadata', 'android-art-profile'],
      ['Hermes JavaScript bytecode, version 94', 'hermes-bytecode'],
    ];
    for (const [words, id] of opaque) expect(ruleFor(words)).toMatchObject({ format: { id }, status: 'opaque' });
    expect(ruleFor('Dalvik dex file version 035')).toMatchObject({ format: { id: 'dex' }, status: 'analysable' });
  });

  it("calls the compiled databases only their own library reads opaque (file(1) 5.44's words)", () => {
    expect(ruleFor('magic binary file for file(1) cmd (version 18) (little endian)')).toMatchObject({
      format: { id: 'libmagic-database' },
      status: 'opaque',
    });
    expect(ruleFor('glibc locale file LC_CTYPE')?.status).toBe('opaque');
  });

  it('says encrypted only where the words come from a header field, not for the gzip flag bit', () => {
    expect(ruleFor('gzip compressed data, extra field, encrypted, original size modulo 2^32 197184423')?.status).toBe(
      'analysable',
    );
    expect(ruleFor('gzip compressed data, reserved method, has CRC, was "x"')).toBeUndefined();
    expect(ruleFor('gzip compressed data, unknown method, has CRC, extra field, from VM/CMS')).toBeUndefined();
    expect(ruleFor('ARJ archive data, v11, password-protected (v1), slash-switched')?.status).toBe('encrypted');
    expect(ruleFor('QEMU QCOW Image (v3), 4194304 bytes, AES-encrypted (v3)')?.status).toBe('encrypted');
    const encryptedRules = MAGIC_RULES.filter((r) => r.status === 'encrypted');
    for (const r of encryptedRules) expect(r.why, r.format.id).toMatch(/header|flag|stream|field/);
  });

  it('knows the short magic random bytes hit, and libmagic text guesses, as weak', () => {
    for (const d of [
      'DOS executable (COM), start instruction 0xb8338b3f',
      'OpenPGP Secret Key Version 4',
      'International EBCDIC text',
      'MPEG ADTS, layer I, v2',
      'PGP symmetric key encrypted data - salted & iterated -',
    ]) {
      expect(isWeak(d), d).toBe(true);
    }
    // Measured on records of small integers (measure-chance-matches.cjs): short magic of small numbers.
    expect(isWeak('Adobe Photoshop Color swatch, version 1, 19 colors')).toBe(true);
    expect(isWeak('GTA audio index data (SDT)')).toBe(true);
    // Two- and three-letter magic that damaged files of other formats start with (xz's and libmspack's tests).
    expect(isWeak('MS-DOS executable (built-in)')).toBe(true);
    expect(isWeak('Message Sequence Chart (chart)')).toBe(true);
    // Small-integer tests with no magic string that PostgreSQL's heap pages pass.
    expect(isWeak('Windows boot log, header size 0x15001c8, 0x1df00030 valid bytes')).toBe(true);
    expect(isWeak('DIY-Thermocam raw data (Lepton 2.x), scale 0-0, spot sensor temperature 0.000000')).toBe(true);
    expect(isWeak('SVr2 curses screen image, big-endian')).toBe(true);
    // Two-byte shorts that protobuf messages (ONNX tensors) start with.
    expect(isWeak('HP s500 pure executable - version 1016852514')).toBe(true);
    expect(isWeak('0420 Alliant virtual executable')).toBe(true);
    // Two- and three-letter ASCII magic that generated stores' own magic words began with ("LGNKCHv3", "DSTEO_01").
    for (const d of ['Arhangel archive data', 'Disintegrator archive data', 'UHarc archive data', 'SAS'])
      expect(isWeak(d), d).toBe(true);
    expect(isWeak('LADS Caris Binary Format (CBF) bathymetric lidar waveform data version 85 . 66')).toBe(true);
    expect(isWeak('MS-DOS executable PE32 executable (GUI) Intel 80386, for MS Windows')).toBe(false);
    expect(isWeak('pcapng capture file - version 1.0')).toBe(false);
    expect(isWeak('ELF 64-bit LSB executable, x86-64')).toBe(false);
  });

  it('flags unverified claims of encryption in descriptions no rule maps', () => {
    expect(CLAIMS_ENCRYPTION.test('Foo container, password protected')).toBe(true);
    expect(CLAIMS_ENCRYPTION.test('Transport Neutral Encapsulation Format (TNEF)')).toBe(false);
    expect(claimsEncryption('Foo container, password protected')).toBe(true);
    expect(claimsEncryption('PuTTY Private Key File, Encryption: aes256-cbc')).toBe(true);
    // Words libmagic copied from the file: a quoted title, a field's value.
    expect(claimsEncryption("Composite Document File, Title: 'Encrypted notes', Pages: 2")).toBe(false);
    expect(claimsEncryption('GNU message catalog, 54 messages, Project-Id-Version: Encrypted Filesystem')).toBe(false);
    // Denials, and other senses of the words, in the magic database's own text.
    expect(claimsEncryption('BBeB ebook data, unencrypted')).toBe(false);
    expect(claimsEncryption('PDF document, version 1.4, Not-Encrypted')).toBe(false);
    expect(claimsEncryption('Foo archive, without password')).toBe(false);
    expect(claimsEncryption('DOS/MBR boot sector, write-protected')).toBe(false);
    expect(claimsEncryption('Cracklib password index, little endian')).toBe(false);
    // A certificate's signature algorithm (PKCS#1 names and libmagic's "? Encryption (OID)"), not the file's.
    expect(claimsEncryption('DER Encoded Certificate, ? bits (0e01), sha1WithRSAEncryption, countryName=JP')).toBe(
      false,
    );
    expect(claimsEncryption('DER Encoded Certificate, ? bits (0e01), ? Encryption (2a864886f70d01010b)')).toBe(false);
    expect(claimsEncryption('Foo key, rsaEncryption')).toBe(false);
    expect(claimsEncryption('Foo key, RSA encrypted')).toBe(true);
    expect(claimsEncryption('Foo archive, with password')).toBe(true);
    expect(claimsEncryption('GTA script (SCO), encrypted, used in GTA IV')).toBe(true);
  });

  it('gives unmapped formats a stable id from a specific MIME type, else the description', () => {
    expect(formatIdFor('Transport Neutral Encapsulation Format (TNEF), OEM codepage', 'application/vnd.ms-tnef')).toBe(
      'ms-tnef',
    );
    expect(formatIdFor('FIT Map data, unit id 84050944', 'application/octet-stream')).toBe('fit-map-data');
    expect(formatIdFor('Linux/i386 PC Screen Font v1 data, 512 characters', 'application/octet-stream')).toBe(
      'linux-i386-pc-screen-font-v1-data',
    );
    expect(formatIdFor('???', 'application/octet-stream')).toBe('libmagic-recognised');
    // Per-file fields printed without a comma are not part of the name (r-cran-rgdal's .sbn/.sbx index files).
    expect(formatIdFor('ESRI Shapefile version 587202560 length 78 type Null Shape', 'application/octet-stream')).toBe(
      'esri-shapefile',
    );
    expect(
      formatIdFor('ESRI Shapefile version 1577189376 length 6726 type Null Shape', 'application/octet-stream'),
    ).toBe('esri-shapefile');
    expect(formatIdFor('GPG key trust database version 3', 'application/octet-stream')).toBe(
      'gpg-key-trust-database-version-3',
    );
  });
});

describe('contentOfTag', () => {
  it('names what an ID3 tag holds, with or without the escaped newline libmagic prints', () => {
    expect(contentOfTag('Audio file with ID3 version 2.3.0, contains:\\012- True Audio Lossless Audio')).toBe(
      'True Audio Lossless Audio',
    );
    expect(contentOfTag('Audio file with ID3 version 2.4.0, contains:FLAC audio bitstream data')).toBe(
      'FLAC audio bitstream data',
    );
    expect(formatIdFor(contentOfTag('Audio file with ID3 version 2.3.0, contains:True Audio Lossless Audio'), '')).toBe(
      'true-audio-lossless-audio',
    );
  });

  it('keeps descriptions that are not the wrapper, or a tag before nothing it names', () => {
    expect(contentOfTag('Audio file with ID3 version 2.3.0, contains:\\012- data')).toBe(
      'Audio file with ID3 version 2.3.0, contains:\\012- data',
    );
    expect(contentOfTag('Audio file with ID3 version 2.4.0')).toBe('Audio file with ID3 version 2.4.0');
    expect(contentOfTag('MPEG ADTS, layer III, v1')).toBe('MPEG ADTS, layer III, v1');
  });
});
