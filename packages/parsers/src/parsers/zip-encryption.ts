/**
 * ZIP encryption per member, from the central directory: general-purpose
 * bit 0 (ZipCrypto), method 99 with extra field 0x9901 (WinZip AES-128/192/256)
 * and bit 6 (PKWARE strong encryption). An archive with any encrypted member
 * is `zip-encrypted` (scope `partial` when some members are clear). ODF
 * documents are encrypted inside a clear ZIP: META-INF/manifest.xml lists
 * `manifest:encryption-data` for the encrypted parts. Clear archives are
 * refined to the package type their members show (OOXML, ODF, HWPX, APK, JAR, EPUB).
 * Hangul HWPX packages (KS X 6101 §15.1) encrypt parts as ODF does.
 * An Apple iWork package with a password verifier (.iwpv2) is encrypted, and
 * its password hint (.iwph) goes into the key hint. An EPUB whose
 * META-INF/encryption.xml lists more than font obfuscation has DRM
 * (epub-encryption.ts), and so has one whose content documents are
 * ciphertext with nothing listed (Kobo's DRM). A Readium package (audiobook,
 * PDF) with license.lcpl whose manifest.json marks resources encrypted has
 * LCP (lcp-licence.ts).
 * References: PKWARE APPNOTE 6.3.10 §4.4.4, §7; WinZip "AES Encryption
 * Information: Encryption Specification AE-1 and AE-2"; OASIS ODF 1.2 Part 3
 * §4.8 (encryption-data); ECMA-376 Part 2 (content types).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import {
  ADEPT_KEY_FILES,
  BARNES_NOBLE_DRM,
  cipheredDocuments,
  epubEncryption,
  KOBO_DRM,
  KOBO_KEY_FILES,
  rightsKeyBytes,
} from './epub-encryption.js';
import { lcpEncryptedResources, lcpKeyHint, lcpTextHint } from './lcp-licence.js';
import { executableCandidates, ipaFairplay, type IpaFairplay } from './ipa-fairplay.js';
import { FAIRPLAY_KEY } from './macho-encryption.js';
import {
  listMembers,
  localMembers,
  memberHead,
  openZip,
  readMember,
  readMemberHead,
  type ZipMember,
} from './zip-entries.js';

const MAX_MEMBERS = 200_000;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** A DRM licence or rights document is a few KiB (keys, links, rights, a signature and its certificate). */
const MAX_LICENCE_BYTES = 256 * 1024;
/** Stored XML parts of a package without its directory looked at: a document has a handful. */
const MAX_ODF_PARTS = 64;
const AES_BITS: Record<number, number> = { 1: 128, 2: 192, 3: 256 };
const ODF_TYPES: Record<string, [string, string]> = {
  'application/vnd.oasis.opendocument.text': ['odt', 'OpenDocument text'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods', 'OpenDocument spreadsheet'],
  'application/vnd.oasis.opendocument.presentation': ['odp', 'OpenDocument presentation'],
  'application/vnd.oasis.opendocument.graphics': ['odg', 'OpenDocument drawing'],
  // Templates (ODF 1.2 appendix C): the same package as the document, under their own media types.
  'application/vnd.oasis.opendocument.text-template': ['ott', 'OpenDocument text template'],
  'application/vnd.oasis.opendocument.spreadsheet-template': ['ots', 'OpenDocument spreadsheet template'],
  'application/vnd.oasis.opendocument.presentation-template': ['otp', 'OpenDocument presentation template'],
  'application/vnd.oasis.opendocument.graphics-template': ['otg', 'OpenDocument drawing template'],
};

/**
 * Packages whose META-INF/manifest.xml lists encryption data per part: ODF, and OpenOffice.org 1.x (StarOffice
 * XML, `application/vnd.sun.xml.*`: the same package and manifest before OASIS named the types; LibreOffice still
 * opens such files, whatever their extension).
 */
function manifestEncryptionFamily(mimetype: string | undefined): [string, string] | undefined {
  if (!mimetype) return undefined;
  if (mimetype.startsWith('application/vnd.oasis.opendocument')) return ODF_TYPES[mimetype] ?? ['odf', 'OpenDocument'];
  if (mimetype.startsWith('application/vnd.sun.xml.')) return ['odf', 'OpenOffice.org 1.x document'];
  // Hangul HWPX (OWPML, KS X 6101 §15.1): ODF 1.2 encryption, the manifest namespace under the prefix "odf".
  if (mimetype === HWPX_MIMETYPE) return HWPX;
  return undefined;
}

const HWPX_MIMETYPE = 'application/hwp+zip';
const HWPX: [string, string] = ['hwpx', 'Hangul document (HWPX)'];

/** The scheme prefix of a manifest-encryption family: ODF's, or HWPX's (the same cipher suite, another format). */
function manifestSchemePrefix([id]: [string, string]): string {
  return id === 'hwpx' ? 'hwpx' : 'odf';
}

/** What unlocks an encrypted OpenDocument package. */
const ODF_PASSWORD = {
  description: 'The document password (set in the office suite when saving).',
  kind: 'password',
  present: 'unknown',
} as const;

/** The format of an encrypted package of a manifest-encryption family (`manifestEncryptionFamily`). */
function odfEncryptedFormat([id, name]: [string, string], mime: string) {
  return { id: `${id}-encrypted`, name: `${name}, password-protected`, mime };
}

/** The scheme id the item is grouped by: one id per scheme whatever the key size (`winzip-aes`, as the ZIP source names members). */
function schemeFamily(scheme: string): string {
  return scheme.startsWith('winzip-aes-') ? 'winzip-aes' : scheme;
}

const ZIP_ENCRYPTED_FORMAT = {
  id: 'zip-encrypted',
  name: 'ZIP archive with encrypted members',
  mime: 'application/zip',
};

/** What unlocks a ZIP whose members carry these schemes (`schemeOf`), over all or part of it. */
function zipEncryption(schemes: readonly string[], scope: 'full' | 'partial'): NonNullable<ParseResult['encryption']> {
  const families = new Set(schemes.map(schemeFamily));
  return {
    scheme: families.size === 1 ? [...families][0]! : 'zip-mixed',
    scope,
    keyHint: { description: 'The archive password.', kind: 'password', present: 'unknown' },
  };
}

/** The scheme with its key size where the archive records it (`winzip-aes-256`), for the reason and details. */
function schemeOf(m: ZipMember): string {
  if (m.method === 99) return `winzip-aes-${AES_BITS[m.aesStrength ?? 0] ?? 'unknown'}`;
  if (m.flags & 0x40) return 'pkware-strong-encryption';
  return 'zipcrypto';
}

function packageType(names: Set<string>, mimetype: string | undefined): [string, string] | undefined {
  // ODF of any media type (formula, chart, master document, the templates), OpenOffice.org 1.x and HWPX.
  const family = manifestEncryptionFamily(mimetype);
  if (family) return family;
  if (mimetype === 'application/epub+zip') return ['epub', 'EPUB book'];
  if (names.has('[Content_Types].xml')) {
    const has = (prefix: string) => [...names].some((n) => n.startsWith(prefix));
    if (has('word/')) return ['docx', 'Word document (OOXML)'];
    if (has('xl/')) return ['xlsx', 'Excel workbook (OOXML)'];
    if (has('ppt/')) return ['pptx', 'PowerPoint presentation (OOXML)'];
    // XPS and OpenXPS (ECMA-388): an OPC package whose root is a FixedDocumentSequence part.
    if ([...names].some((n) => /\.fdseq$/i.test(n))) return ['xps', 'XPS document'];
  }
  const all = [...names];
  // Windows app packages (makeappx): the manifest beside the block map of every file's hashes; bundles hold packages.
  if (names.has('AppxBlockMap.xml')) {
    if (names.has('AppxMetadata/AppxBundleManifest.xml')) return ['msixbundle', 'Windows app bundle (MSIX/APPX)'];
    if (names.has('AppxManifest.xml')) return ['msix', 'Windows app package (MSIX/APPX)'];
  }
  // NuGet packages (and Squirrel's releases, which are NuGet packages): the .nuspec at the root.
  if (all.some((n) => /^[^/]+\.nuspec$/i.test(n))) return ['nupkg', 'NuGet package'];
  // Sets of split APKs, by the index their writer puts beside them: bundletool build-apks (toc.pb), APKPure's
  // XAPK (manifest.json), APKMirror's current .apkm (info.json).
  if (all.some((n) => /\.apk$/i.test(n))) {
    if (names.has('toc.pb')) return ['apks', 'Android split APK set (bundletool)'];
    if (names.has('manifest.json') && all.some((n) => /^[^/]+\.apk$/i.test(n)))
      return ['xapk', 'Android split APK bundle (XAPK)'];
    if (names.has('info.json') && names.has('base.apk')) return ['apkm', 'Android split APK bundle (APKMirror)'];
  }
  // Android App Bundles (Play uploads): BundleConfig.pb and the base module's manifest.
  if (names.has('BundleConfig.pb') && names.has('base/manifest/AndroidManifest.xml'))
    return ['aab', 'Android App Bundle'];
  // iOS app packages: the app bundle under Payload/ (a FairPlay-encrypted binary in it is the Mach-O parser's).
  if (all.some((n) => /^Payload\/[^/]+\.app\//.test(n))) return ['ipa', 'iOS app package'];
  // Code, or compiled resources only: split APKs (split_config.*.apk), overlays and framework-res.apk carry no
  // classes.dex, and a v1-signed one has a JAR manifest too.
  if (names.has('AndroidManifest.xml') && (names.has('classes.dex') || names.has('resources.arsc')))
    return ['apk', 'Android package'];
  if (names.has('META-INF/MANIFEST.MF')) return ['jar', 'Java archive'];
  return undefined;
}

export const zipEncryptionParser = defineParser({
  meta: {
    id: 'zip-encryption',
    version: '1.6.0',
    title: 'ZIP member encryption and package type from the central directory',
    formats: [
      'zip',
      'zip-encrypted',
      'docx',
      'xlsx',
      'pptx',
      'odt',
      'ods',
      'odp',
      'odg',
      'ott',
      'ots',
      'otp',
      'otg',
      'odf',
      'hwpx',
      'epub',
      'jar',
      'apk',
      'msix',
      'msixbundle',
      'nupkg',
      'apks',
      'xapk',
      'apkm',
      'aab',
      'ipa',
      'key',
      'pages',
      'numbers',
    ],
    // Where the keys of the e-book DRM it names are kept (the key hints' lookFor).
    indexPatterns: [...KOBO_KEY_FILES, ...ADEPT_KEY_FILES],
    diagnostics: {
      ZIP_DIRECTORY_UNREADABLE: 'The ZIP central directory could not be read: {reason}.',
      ZIP_MANIFEST_UNREADABLE: 'META-INF/manifest.xml could not be read: {reason}.',
      EPUB_ENCRYPTION_UNREADABLE: 'META-INF/encryption.xml could not be read: {reason}.',
      EPUB_RIGHTS_UNREADABLE: 'META-INF/rights.xml could not be read: {reason}.',
      LCP_LICENCE_UNREADABLE: 'The Readium LCP licence or publication manifest could not be read: {reason}.',
      ZIP_MIMETYPE_UNREADABLE: 'The mimetype member could not be read: {reason}.',
      IPA_BINARY_UNREADABLE:
        "The app's main executable {name} could not be read, so its FairPlay encryption is unknown: {reason}.",
    },
  },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const read = (position: number, length: number) => ctx.read(position, length);
    /** No central directory to read: what the local headers say, when one of them marks its member encrypted. */
    const withoutDirectory = async (err: unknown): Promise<ParseResult | undefined> => {
      const { members, stop } = await localMembers(read, ctx.item.size, MAX_MEMBERS);
      const files = members.filter((m) => !m.name.endsWith('/'));
      const encrypted = files.filter((m) => m.flags & 1);
      // Bit 13 (APPNOTE §4.4.4, §7.3): the local headers' values are masked because the directory is encrypted.
      const directoryEncrypted = encrypted.length > 0 && (members[0]!.flags & 0x2000) !== 0;
      if (!directoryEncrypted)
        ctx.report({ code: 'ZIP_DIRECTORY_UNREADABLE', severity: 'warning', data: { reason: (err as Error).message } });
      if (encrypted.length === 0) return storedOdfParts(members, err);
      const schemes = [...new Set(encrypted.map(schemeOf))];
      return {
        details: {
          localHeaders: members.length,
          encryptedMembers: encrypted.length,
          schemes,
          ...(directoryEncrypted ? { directoryEncrypted } : {}),
        },
        reclassify: {
          status: 'encrypted',
          confidence: directoryEncrypted ? 0.98 : 0.95,
          format: ZIP_ENCRYPTED_FORMAT,
          reasons: [
            directoryEncrypted
              ? {
                  code: 'ZIP_DIRECTORY_ENCRYPTED',
                  message: `The central directory is encrypted (PKWARE strong encryption; the local headers have general-purpose bit 13, their names and sizes masked): member names need the password too; ${encrypted.length} local header(s) mark their member encrypted (${schemes.join(', ')}).`,
                  figures: { localHeaders: members.length, encrypted: encrypted.length, schemes: schemes.join(',') },
                }
              : {
                  code: 'ZIP_LOCAL_HEADERS_ENCRYPTED',
                  message: `The central directory cannot be read (${(err as Error).message}); walking the local headers from the start, ${encrypted.length} of ${files.length} member(s) are marked encrypted (${schemes.join(', ')}), the first ${JSON.stringify(encrypted[0]!.name)}${stop ? `; the walk stopped: ${stop}` : ''}.`,
                  figures: { localHeaders: members.length, encrypted: encrypted.length, schemes: schemes.join(',') },
                },
          ],
        },
        encryption: zipEncryption(
          schemes,
          directoryEncrypted || (encrypted.length === files.length && !stop) ? 'full' : 'partial',
        ),
      };
    };
    /**
     * An OpenDocument package without its directory, and so perhaps without its manifest (written last): its parts
     * are encrypted when an XML part is stored uncompressed and its bytes are not XML. An encrypted part is
     * deflated, encrypted, then stored; a clear one is XML, deflated or not.
     */
    const storedOdfParts = async (members: readonly ZipMember[], err: unknown): Promise<ParseResult | undefined> => {
      const first = members[0];
      if (first?.name !== 'mimetype' || first.method !== 0 || first.compressedSize > 200) return undefined;
      const mimetype = (await memberHead(read, first, 200)).toString('latin1').trim();
      const family = manifestEncryptionFamily(mimetype);
      if (!family) return undefined;
      const parts = members
        .filter((m) => m.method === 0 && m.compressedSize > 0 && /\.(xml|rdf)$/.test(m.name))
        .filter((m) => m.name !== 'META-INF/manifest.xml')
        .slice(0, MAX_ODF_PARTS);
      const notXml: string[] = [];
      for (const part of parts)
        if (!/^(\xef\xbb\xbf)?\s*</.test((await memberHead(read, part, 16)).toString('latin1'))) notXml.push(part.name);
      if (notXml.length === 0) return undefined;
      const [, name] = family;
      return {
        details: { localHeaders: members.length, mimetype, encryptedParts: notXml.length },
        reclassify: {
          status: 'encrypted',
          confidence: 0.9,
          format: odfEncryptedFormat(family, mimetype),
          reasons: [
            {
              code: 'ODF_STORED_PARTS_NOT_XML',
              message: `${name} whose central directory cannot be read (${(err as Error).message}); walking the local headers, ${notXml.length} of its ${parts.length} XML part(s) stored uncompressed are not XML (${notXml.slice(0, 3).join(', ')}), as an encrypted part is stored (deflated, then encrypted); the manifest that names the cipher is not among the members found.`,
              figures: { storedXmlParts: parts.length, notXml: notXml.length },
            },
          ],
        },
        encryption: {
          scheme: manifestSchemePrefix(family),
          scope: 'full',
          keyHint: ODF_PASSWORD,
        },
      };
    };
    let zf;
    try {
      zf = await openZip(read, ctx.item.size);
    } catch (err) {
      return withoutDirectory(err);
    }
    try {
      let listed;
      try {
        listed = await listMembers(zf, MAX_MEMBERS, read, ctx.item.size);
      } catch (err) {
        return await withoutDirectory(err);
      }
      const { members, truncated, strongEncryption } = listed;
      const files = members.filter((m) => !m.name.endsWith('/'));
      const encrypted = files.filter((m) => m.flags & 1);
      const names = new Set(files.map((m) => m.name));
      const mimetypeMember = files.find((m) => m.name === 'mimetype' && !(m.flags & 1));
      // A member whose bytes cannot be read (a damaged local header) is a warning, and what it would say unknown.
      const memberText = async (
        member: ZipMember,
        maxBytes: number,
        code:
          | 'ZIP_MIMETYPE_UNREADABLE'
          | 'ZIP_MANIFEST_UNREADABLE'
          | 'EPUB_ENCRYPTION_UNREADABLE'
          | 'EPUB_RIGHTS_UNREADABLE'
          | 'LCP_LICENCE_UNREADABLE',
      ): Promise<string | undefined> => {
        try {
          return (await readMember(zf, member, maxBytes)).toString(
            code === 'ZIP_MIMETYPE_UNREADABLE' ? 'latin1' : 'utf8',
          );
        } catch (err) {
          ctx.report({ code, severity: 'warning', data: { reason: (err as Error).message } });
          return undefined;
        }
      };
      const mimetype =
        mimetypeMember && mimetypeMember.size < 200
          ? (await memberText(mimetypeMember, 200, 'ZIP_MIMETYPE_UNREADABLE'))?.trim()
          : undefined;
      const details = {
        members: members.length,
        encryptedMembers: encrypted.length,
        truncated,
        ...(strongEncryption ? { strongEncryption } : {}),
      };

      // ODF: the container is clear; the manifest says which parts are encrypted.
      const manifest = files.find((m) => m.name === 'META-INF/manifest.xml' && !(m.flags & 1));
      const family = manifestEncryptionFamily(mimetype);
      if (manifest && family && mimetype) {
        const xml = (await memberText(manifest, MAX_MANIFEST_BYTES, 'ZIP_MANIFEST_UNREADABLE')) ?? '';
        // Any prefix for the manifest namespace: ODF writes "manifest:", HWPX "odf:".
        const parts = (xml.match(/<(?:[\w.-]+:)?encryption-data\b/g) ?? []).length;
        if (parts > 0) {
          const [, name] = family;
          const algorithm = /[\s:]algorithm-name="([^"]+)"/.exec(xml)?.[1] ?? 'unknown';
          const aesBits = /aes-?(128|192|256)/i.exec(algorithm)?.[1];
          const cipher = aesBits ? `aes-${aesBits}-cbc` : /blowfish/i.test(algorithm) ? 'blowfish-cfb' : algorithm;
          return {
            details: { ...details, mimetype, encryptedParts: parts, algorithm },
            reclassify: {
              status: 'encrypted',
              confidence: 0.98,
              format: odfEncryptedFormat(family, mimetype),
              reasons: [
                {
                  code: 'ODF_ENCRYPTION_DATA',
                  message: `${name} whose META-INF/manifest.xml lists encryption data for ${parts} part(s) (${cipher}); the ZIP container is clear, the content needs the document password.`,
                  figures: { encryptedParts: parts, algorithm },
                },
              ],
            },
            encryption: {
              scheme: `${manifestSchemePrefix(family)}-${cipher}`,
              scope: 'full',
              keyHint: ODF_PASSWORD,
            },
          };
        }
      }

      /**
       * An EPUB that lists no DRM: its content documents may still be ciphertext (Kobo's DRM), checked on a few of
       * them through the directory already read.
       */
      const koboDocuments = async (): Promise<ParseResult | undefined> => {
        if (mimetype !== 'application/epub+zip') return undefined;
        const found = await cipheredDocuments(files, (m, length) => readMemberHead(zf, m, length));
        if (!found) return undefined;
        const { sampled, ciphered } = found;
        return {
          details: { ...details, epubCipheredDocuments: ciphered.length, drm: KOBO_DRM.scheme },
          reclassify: {
            status: 'encrypted',
            confidence: 0.93,
            format: { id: 'epub-drm', name: 'EPUB book with Kobo DRM', mime: 'application/epub+zip' },
            reasons: [
              {
                code: 'EPUB_DOCUMENTS_CIPHERTEXT',
                message: `EPUB whose META-INF lists no encryption, yet ${ciphered.length} of ${sampled} content document(s) sampled are ciphertext, not markup (${ciphered.slice(0, 3).join(', ')}): each a multiple of 16 bytes and random-looking from its first byte, as Kobo's DRM leaves a book (every file AES-ECB encrypted, its key in the reader's database).`,
                figures: { sampledDocuments: sampled, cipheredDocuments: ciphered.length },
              },
            ],
          },
          encryption: {
            scheme: KOBO_DRM.scheme,
            scope: ciphered.length === sampled ? 'full' : 'partial',
            keyHint: KOBO_DRM.keyHint,
          },
        };
      };

      /** The passphrase hint of the LCP licence at `name`, when the archive holds one. */
      const licenceHint = async (name: string): Promise<string | undefined> => {
        const licence = files.find((m) => m.name === name && !(m.flags & 1));
        const text = licence && (await memberText(licence, MAX_LICENCE_BYTES, 'LCP_LICENCE_UNREADABLE'));
        return text ? lcpTextHint(text) : undefined;
      };

      // EPUB: the ZIP is clear; META-INF/encryption.xml says whether fonts are only obfuscated or the book has DRM.
      const encryptionXml = files.find((m) => m.name === 'META-INF/encryption.xml' && !(m.flags & 1));
      if (encryptionXml && mimetype === 'application/epub+zip') {
        const xml = (await memberText(encryptionXml, MAX_MANIFEST_BYTES, 'EPUB_ENCRYPTION_UNREADABLE')) ?? '';
        const epub = epubEncryption(xml, names);
        const figures = {
          resources: epub.entries,
          obfuscatedFonts: epub.obfuscated,
          algorithms: epub.algorithms.join(','),
        };
        if (epub.drm) {
          const hint = epub.drm.scheme === 'readium-lcp' ? await licenceHint('META-INF/license.lcpl') : undefined;
          // ADEPT's layout with a 64-byte AES-wrapped book key is Barnes & Noble's.
          const rights = files.find((m) => m.name === 'META-INF/rights.xml' && !(m.flags & 1));
          const wrappedKeyBytes =
            epub.drm.scheme === 'adobe-adept' && rights
              ? rightsKeyBytes((await memberText(rights, MAX_LICENCE_BYTES, 'EPUB_RIGHTS_UNREADABLE')) ?? '')
              : undefined;
          if (wrappedKeyBytes === 64) epub.drm = BARNES_NOBLE_DRM;
          const keyHint = hint ? lcpKeyHint('META-INF/license.lcpl', hint) : epub.drm.keyHint;
          return {
            details: {
              ...details,
              epubEncryptedResources: epub.entries - epub.obfuscated,
              drm: epub.drm.scheme,
              ...(wrappedKeyBytes !== undefined ? { wrappedKeyBytes } : {}),
            },
            reclassify: {
              status: 'encrypted',
              confidence: 0.97,
              format: { id: 'epub-drm', name: `EPUB book with ${epub.drm.name} DRM`, mime: 'application/epub+zip' },
              reasons: [
                {
                  code: 'EPUB_DRM',
                  message: `EPUB whose META-INF/encryption.xml lists ${epub.entries - epub.obfuscated} resource(s) encrypted with ${epub.encryptedWith.join(', ')} (${epub.drm.name}); the container and its file names are clear, the book's content needs the DRM key.`,
                  figures,
                },
              ],
            },
            encryption: { scheme: epub.drm.scheme, scope: 'full', keyHint },
          };
        }
        const kobo = await koboDocuments();
        if (kobo) return kobo;
        if (epub.entries > 0) {
          return {
            details: { ...details, package: 'epub', obfuscatedFonts: epub.obfuscated },
            reclassify: {
              status: 'analysable',
              confidence: 0.95,
              format: { id: 'epub', name: 'EPUB book' },
              reasons: [
                {
                  code: 'EPUB_FONT_OBFUSCATION',
                  message: `EPUB whose META-INF/encryption.xml lists only font obfuscation (${epub.obfuscated} font(s)): the mask is derived from the book's own identifier, no secret is needed.`,
                  figures,
                },
              ],
            },
          };
        }
      }

      // Readium LCP audiobooks and PDFs: a Web Publication Manifest and the licence at the package's root.
      const rwpm = files.find((m) => m.name === 'manifest.json' && !(m.flags & 1));
      if (rwpm && names.has('license.lcpl')) {
        const json = await memberText(rwpm, MAX_MANIFEST_BYTES, 'LCP_LICENCE_UNREADABLE');
        const resources = json ? lcpEncryptedResources(json) : undefined;
        if (resources) {
          const hint = await licenceHint('license.lcpl');
          return {
            details: { ...details, lcpEncryptedResources: resources, drm: 'readium-lcp' },
            reclassify: {
              status: 'encrypted',
              confidence: 0.97,
              format: { id: 'lcp-publication', name: 'Readium LCP-protected publication (audiobook or PDF)' },
              reasons: [
                {
                  code: 'LCP_PUBLICATION',
                  message: `Readium package whose manifest.json marks ${resources} resource(s) encrypted with the LCP scheme, with its licence (license.lcpl) beside it${hint ? ` (passphrase hint: "${hint}")` : ''}: the container and the manifest are clear, the audio or pages need the licence's content key.`,
                  figures: { encryptedResources: resources, passphraseHint: hint !== undefined },
                },
              ],
            },
            encryption: { scheme: 'readium-lcp', scope: 'full', keyHint: lcpKeyHint('license.lcpl', hint) },
          };
        }
      }

      // Apple iWork ('09 and '13+): the ZIP is clear; a password verifier (.iwpv2) means the document parts are AES-encrypted.
      const verifier = files.find((m) => /(^|\/)\.iwpv2$/.test(m.name) && !(m.flags & 1));
      if (verifier) {
        const hintMember = files.find((m) => /(^|\/)\.iwph$/.test(m.name) && !(m.flags & 1) && m.size < 1024);
        let hint = '';
        try {
          hint = hintMember
            ? (await readMember(zf, hintMember, 1024))
                .toString('utf8')
                .replace(/\p{Cc}/gu, ' ')
                .trim()
            : '';
        } catch {
          hint = '';
        }
        return {
          details: { ...details, iworkVerifier: verifier.name, ...(hint ? { passwordHint: hint } : {}) },
          reclassify: {
            status: 'encrypted',
            confidence: 0.96,
            format: { id: 'iwork-encrypted', name: 'Apple iWork document, password-protected' },
            reasons: [
              {
                code: 'IWORK_PASSWORD_VERIFIER',
                message: `iWork package holding a password verifier (${verifier.name})${hint ? ' and a password hint' : ''}: its document parts are encrypted (AES-128, PBKDF2-SHA1 key).`,
                figures: { members: files.length },
              },
            ],
          },
          encryption: {
            scheme: 'iwork-aes-128',
            scope: 'full',
            keyHint: {
              description: `The document password${hint ? ` (the document's hint: "${hint.slice(0, 120)}")` : ''}.`,
              kind: 'password',
              present: 'unknown',
            },
          },
        };
      }

      if (encrypted.length > 0) {
        const schemes = [...new Set(encrypted.map(schemeOf))];
        const scope = encrypted.length === files.length && !truncated ? 'full' : 'partial';
        const sample = encrypted.slice(0, 5).map((m) => m.name);
        return {
          details: { ...details, schemes, encryptedSample: sample },
          reclassify: {
            status: 'encrypted',
            confidence: 0.99,
            format: ZIP_ENCRYPTED_FORMAT,
            reasons: [
              {
                code: 'ZIP_MEMBERS_ENCRYPTED',
                message: `The central directory marks ${details.encryptedMembers} of ${files.length}${truncated ? '+' : ''} member(s) encrypted (${schemes.join(', ')})${scope === 'partial' ? '; the others are clear' : ''}; member names are readable.`,
                figures: { members: files.length, encrypted: details.encryptedMembers, schemes: schemes.join(',') },
              },
            ],
          },
          encryption: zipEncryption(schemes, scope),
        };
      }

      if (!encryptionXml) {
        const kobo = await koboDocuments();
        if (kobo) return kobo;
      }
      const pkg = packageType(names, mimetype);
      // An IPA's main executable: the first candidate that is a Mach-O decides.
      let fairplay: IpaFairplay | undefined;
      const ipa = pkg?.[0] === 'ipa' || ctx.item.format?.id === 'ipa';
      for (const app of ipa ? executableCandidates(files) : []) {
        const verdict = await ipaFairplay(zf, app);
        if (verdict.kind === 'not-macho') continue;
        if (verdict.kind === 'unreadable')
          ctx.report({
            code: 'IPA_BINARY_UNREADABLE',
            severity: 'warning',
            data: { name: app.name, reason: verdict.reason },
          });
        if (verdict.kind === 'encrypted') fairplay = verdict;
        break;
      }
      if (fairplay) {
        const ranges = fairplay.encrypted.map(
          (s) => `${s.arch}: ${s.encryption!.cryptsize} bytes at ${s.offset + s.encryption!.cryptoff}`,
        );
        return {
          details: { ...details, package: 'ipa', fairplayBinary: fairplay.binary },
          reclassify: {
            status: 'encrypted',
            confidence: 0.95,
            format: { id: 'ipa', name: 'iOS app package' },
            reasons: [
              {
                code: 'IPA_FAIRPLAY_ENCRYPTED',
                message: `iOS app package whose main executable ${fairplay.binary} carries LC_ENCRYPTION_INFO with a non-zero cryptid in ${fairplay.encrypted.length} of ${fairplay.slices.length} slice(s) (${ranges.join('; ')}; ${fairplay.entropy.toFixed(2)} bits/byte over its first ${fairplay.sampleBytes} bytes): the app's code is FairPlay ciphertext; its resources, plists and the binary's headers are clear.`,
                figures: {
                  members: files.length,
                  slices: fairplay.slices.length,
                  encryptedSlices: fairplay.encrypted.length,
                  rangeEntropy: fairplay.entropy,
                },
              },
            ],
          },
          encryption: { scheme: 'fairplay-macho', scope: 'partial', keyHint: FAIRPLAY_KEY },
        };
      }
      if (pkg && ctx.item.format?.id !== pkg[0]) {
        return {
          details: { ...details, package: pkg[0] },
          reclassify: {
            status: 'analysable',
            confidence: 0.95,
            format: { id: pkg[0], name: pkg[1] },
            reasons: [
              {
                code: 'ZIP_PACKAGE_TYPE',
                message: `ZIP with no encrypted members whose members make it ${/^[AEIOU]/.test(pkg[1]) ? 'an' : 'a'} ${pkg[1]}.`,
                figures: { members: files.length },
              },
            ],
          },
        };
      }
      if (ctx.item.classification.status === 'encrypted') {
        return {
          details,
          reclassify: {
            status: 'analysable',
            confidence: 0.95,
            reasons: [
              {
                code: 'ZIP_NO_MEMBER_ENCRYPTED',
                message: `The central directory lists ${files.length} member(s), none encrypted.`,
              },
            ],
          },
        };
      }
      return { details };
    } finally {
      zf.close();
    }
  },
});
