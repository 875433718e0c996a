import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { archivesDetector } from '../detectors/archives.js';
import { zipEncryptionParser } from './zip-encryption.js';

testParser(
  zipEncryptionParser,
  {
    fixtures: new URL('../../fixtures/zip-encryption/', import.meta.url),
    detectors: [archivesDetector],
    valid: [
      {
        file: 'zipcrypto.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'zipcrypto', scope: 'full', keyHint: { kind: 'password' } },
        details: { encryptedMembers: 1 },
      },
      {
        file: 'aes256.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'winzip-aes', scope: 'full' },
        details: { schemes: ['winzip-aes-256'] },
      },
      {
        file: 'mixed.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'zipcrypto', scope: 'partial' },
        details: { members: 2, encryptedMembers: 1 },
      },
      {
        // yauzl stops at the strong-encrypted second member; core's directory reader reads it.
        file: 'strong-second.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pkware-strong-encryption', scope: 'partial' },
        details: { encryptedMembers: 1, strongEncryption: true },
      },
      // libarchive's strong-encryption archives: every record after the first strong one is read too.
      {
        file: 'libarchive-strong-encryption.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pkware-strong-encryption', scope: 'full' },
        details: { members: 2, encryptedMembers: 2, truncated: false, strongEncryption: true },
      },
      {
        file: 'libarchive-strong-partially.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'pkware-strong-encryption', scope: 'partial' },
        details: { members: 2, encryptedMembers: 1, truncated: false, strongEncryption: true },
      },
      {
        // The central directory is encrypted as well: not damage, no ZIP_DIRECTORY_UNREADABLE warning.
        file: 'libarchive-strong-directory.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        diagnostics: [],
        encryption: { scheme: 'pkware-strong-encryption', scope: 'full' },
        details: { localHeaders: 2, encryptedMembers: 2, directoryEncrypted: true },
      },
      { file: 'plain.zip', format: 'zip', status: 'analysable', details: { members: 2, encryptedMembers: 0 } },
      // The directory is read to its end, past the count its end record declares (core's directory reader).
      { file: 'libzip-count-low.zip', format: 'zip', status: 'analysable', details: { members: 3, truncated: false } },
      {
        // Cut short before its central directory; the first member (a folder) is clear, the second (the only
        // file) WinZip AES: every file found is encrypted.
        file: 'truncated-aes.zip',
        format: 'zip-encrypted',
        status: 'encrypted',
        diagnostics: ['ZIP_DIRECTORY_UNREADABLE'],
        encryption: { scheme: 'winzip-aes', scope: 'full', keyHint: { kind: 'password' } },
        details: { localHeaders: 2, encryptedMembers: 1 },
      },
      // ODF and OpenOffice.org 1.x packages (make-odf-packages.py): the ZIP is clear, the manifest lists what is encrypted.
      {
        file: 'odf-encrypted.odt',
        format: 'odt-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'odf-aes-256-cbc', scope: 'full', keyHint: { kind: 'password' } },
        details: { encryptedParts: 1 },
      },
      // The same, saved with a password by LibreOffice itself (make-lo-encrypted.py): every part encrypted.
      {
        file: 'lo-password.odt',
        format: 'odt-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'odf-aes-256-cbc', scope: 'full', keyHint: { kind: 'password' } },
        details: { encryptedParts: 5 },
      },
      {
        file: 'openoffice1-encrypted.sxw',
        format: 'odf-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'odf-blowfish-cfb', scope: 'full', keyHint: { kind: 'password' } },
        details: { mimetype: 'application/vnd.sun.xml.writer', encryptedParts: 1 },
      },
      // Named by its mimetype member (OpenOffice.org 1.x), not left a plain ZIP.
      { file: 'openoffice1-clear.sxw', format: 'odf', status: 'analysable', details: { encryptedMembers: 0 } },
      // An ODF template (LibreOffice): its own media type, the document's package.
      { file: 'template.ott', format: 'ott', status: 'analysable', details: { package: 'ott', encryptedMembers: 0 } },
      // Cut before the manifest (written last): the encrypted part is stored and not XML; its clear twin's is XML.
      {
        file: 'odf-encrypted-cut.odt',
        format: 'odt-encrypted',
        status: 'encrypted',
        diagnostics: ['ZIP_DIRECTORY_UNREADABLE'],
        encryption: { scheme: 'odf', scope: 'full', keyHint: { kind: 'password' } },
        details: { mimetype: 'application/vnd.oasis.opendocument.text', encryptedParts: 1 },
      },
      // Hangul HWPX packages (make-hwpx-packages.py): ODF's encryption, the manifest's prefix "odf:".
      {
        file: 'hwpx-encrypted.hwpx',
        format: 'hwpx-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'hwpx-aes-256-cbc', scope: 'full', keyHint: { kind: 'password' } },
        details: { mimetype: 'application/hwp+zip', encryptedParts: 2 },
      },
      {
        file: 'hwpx-clear.hwpx',
        format: 'hwpx',
        status: 'analysable',
        details: { package: 'hwpx', encryptedMembers: 0 },
      },
      {
        file: 'hwpx-encrypted-cut.hwpx',
        format: 'hwpx-encrypted',
        status: 'encrypted',
        diagnostics: ['ZIP_DIRECTORY_UNREADABLE'],
        encryption: { scheme: 'hwpx', scope: 'full', keyHint: { kind: 'password' } },
        details: { mimetype: 'application/hwp+zip', encryptedParts: 2 },
      },
      // XPS (make-xps.py): no password protection exists; a readable package, named.
      { file: 'document.xps', format: 'xps', status: 'analysable', details: { package: 'xps', encryptedMembers: 0 } },
      { file: 'package.docx', format: 'docx', status: 'analysable', details: { package: 'docx' } },
      // A split APK (aapt2, apksigner): compiled resources and no classes.dex, v1-signed (a JAR manifest too).
      { file: 'split_config.en.apk', format: 'apk', status: 'analysable', details: { package: 'apk' } },
      // EPUB (calibre): clear; with font obfuscation only, still readable; with ADEPT or LCP, DRM.
      { file: 'book.epub', format: 'epub', status: 'analysable', details: { package: 'epub' } },
      {
        file: 'fonts-obfuscated.epub',
        format: 'epub',
        status: 'analysable',
        details: { obfuscatedFonts: 1 },
      },
      {
        file: 'adept.epub',
        format: 'epub-drm',
        status: 'encrypted',
        encryption: { scheme: 'adobe-adept', scope: 'full', keyHint: { kind: 'keystore' } },
        details: { drm: 'adobe-adept', wrappedKeyBytes: 128 },
      },
      // ADEPT's layout with a 64-byte AES-wrapped book key: Barnes & Noble's DRM, the Nook user key.
      {
        file: 'bn.epub',
        format: 'epub-drm',
        status: 'encrypted',
        encryption: { scheme: 'barnes-noble', keyHint: { kind: 'keystore' } },
        details: { drm: 'barnes-noble', wrappedKeyBytes: 64 },
      },
      {
        file: 'lcp.epub',
        format: 'epub-drm',
        status: 'encrypted',
        encryption: {
          scheme: 'readium-lcp',
          keyHint: {
            kind: 'password',
            description:
              'The LCP user passphrase (the licence\'s hint: "the library card number"); the content key is wrapped in META-INF/license.lcpl.',
          },
        },
        details: { drm: 'readium-lcp' },
      },
      // An LCP audiobook (Thorium's .lcpau): the manifest marks both tracks encrypted, the licence holds the hint.
      {
        file: 'audiobook.lcpau',
        format: 'lcp-publication',
        status: 'encrypted',
        encryption: {
          scheme: 'readium-lcp',
          scope: 'full',
          keyHint: {
            kind: 'password',
            description:
              'The LCP user passphrase (the licence\'s hint: "Your library card number"); the content key is wrapped in license.lcpl.',
          },
        },
        details: { drm: 'readium-lcp', lcpEncryptedResources: 2 },
      },
      // The same package with no licence and nothing marked encrypted: a plain ZIP.
      { file: 'audiobook.audiobook', format: 'zip', status: 'analysable' },
      // Kobo's DRM: nothing in META-INF, the chapters themselves AES-ECB ciphertext (no extension, as on the reader).
      {
        file: 'kobo-kepub-0b6f1c2e',
        format: 'epub-drm',
        status: 'encrypted',
        encryption: { scheme: 'kobo-kdrm', scope: 'full', keyHint: { kind: 'keystore' } },
        details: { drm: 'kobo-kdrm', epubCipheredDocuments: 3 },
      },
      // UTF-16 chapters are markup behind a byte-order mark: a clear book.
      { file: 'utf16-chapters.epub', format: 'epub', status: 'analysable', details: { package: 'epub' } },
      {
        file: 'locked.pages',
        format: 'iwork-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'iwork-aes-128', keyHint: { kind: 'password' } },
        details: { iworkVerifier: '.iwpv2', passwordHint: "my first cat's name" },
      },
    ],
    invalid: [
      { file: 'truncated.zip', format: 'zip-encrypted', diagnostics: ['ZIP_DIRECTORY_UNREADABLE'] },
      // The mimetype member's data would start past the end: a warning, not a parser that throws.
      { file: 'damaged-local-header.epub', format: 'zip', diagnostics: ['ZIP_MIMETYPE_UNREADABLE'] },
      // The clear twin cut the same way: its stored content.xml is XML, so nothing is claimed.
      { file: 'odf-clear-stored-cut.odt', format: 'zip', diagnostics: ['ZIP_DIRECTORY_UNREADABLE'] },
    ],
  },
  { framework: { describe, it } },
);
