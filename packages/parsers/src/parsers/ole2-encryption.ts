/**
 * What an OLE2 compound file holds and whether it is encrypted, from its
 * directory and the first bytes of its main stream: encrypted OOXML
 * (EncryptionInfo + EncryptedPackage, ECMA-376 Standard or Agile), Word 97-2003
 * (FIB fEncrypted/fObfuscated), Excel 97-2003 (a FILEPASS record after BOF:
 * XOR obfuscation, RC4 or RC4 CryptoAPI) and PowerPoint 97-2003 (the Current
 * User atom's header token), and Outlook messages (.msg) of class IPM.Note.SMIME
 * whose attachment is a CMS EnvelopedData (S/MIME encrypted; an opaque-signed
 * SignedData is readable), and documents protected by Information Rights
 * Management (Azure RMS / AD RMS: the DRMEncryptedDataSpace or a \x09DRMContent
 * stream). Unencrypted documents are refined to their type.
 * References: [MS-OFFCRYPTO] §2.3.4.5-10 (EncryptionInfo versions), §2.3.6;
 * [MS-DOC] §2.5.2 (FibBase); [MS-XLS] §2.4.117 (FilePass); [MS-PPT] §2.3.2
 * (CurrentUserAtom headerToken 0xE391C05F / 0xF3D1C4DF); [MS-OXMSG] §2.1-2.2
 * (property streams __substg1.0_<tag>, PidTagMessageClass 0x001A,
 * PidTagAttachDataBinary 0x3701 in __attach_version1.0_#n); [MS-OXOSMIME] §2.1.3.1
 * (IPM.Note.SMIME); RFC 5652 §6.1 (EnvelopedData, OID 1.2.840.113549.1.7.3);
 * [MS-OFFCRYPTO] §2.2 (data spaces, IRMDS: DRMEncryptedDataSpace, \x09DRMContent).
 * Hangul (HWP 5.x) documents are read by ./hwp-file-header.ts.
 */
import { defineParser, type KeyHint, type ParseResult } from '@evtriage/core/contract';
import { readCompoundFile, type CompoundFile } from './compound-file.js';
import { cmsContent } from '../detectors/cms.js';
import { cutShortPresentation } from './compound-file-cut-short.js';
import { salvageCompoundFile, type SalvagedCompoundFile } from './compound-file-salvage.js';
import { hwpVerdict, type DocumentVerdict } from './hwp-file-header.js';
import { trimEndOf } from '../text-ends.js';

const PASSWORD = {
  description: 'The document password (the "password to open").',
  kind: 'password' as const,
  present: 'unknown' as const,
};

/** A document verdict, and whether part of the document stays readable. */
type Verdict = DocumentVerdict & { scope?: 'full' | 'partial' };

/** An Outlook message: its class (PidTagMessageClass), and for S/MIME what its attachment's CMS holds. */
function outlookMessage(container: CompoundFile): Verdict | undefined {
  const unicode = streamOf(container, '__substg1.0_001A001F');
  const ansi = unicode ? undefined : streamOf(container, '__substg1.0_001A001E');
  if (!unicode && !ansi) return undefined;
  const messageClass = trimEndOf(unicode ? unicode.toString('utf16le') : ansi!.toString('latin1'), '\0');
  const plain: Verdict = {
    id: 'outlook-msg',
    name: 'Outlook message (.msg)',
    encrypted: false,
    code: 'OUTLOOK_MSG_CLASS',
    message: `Outlook message of class ${messageClass.slice(0, 80)}: its properties and attachments are readable.`,
  };
  // IPM.Note.SMIME is encrypted or opaque-signed; IPM.Note.SMIME.MultipartSigned is clear-signed.
  if (!/^IPM\.Note\.SMIME$/i.test(messageClass)) return plain;
  const attachment = '__substg1.0_37010102';
  const cms = streamOf(container, attachment);
  const size = container.streams.find((s) => s.name === attachment)?.size ?? 0;
  const kind = cms ? cmsContent(cms, size)?.contentType : undefined;
  if (kind === 'envelopedData')
    return {
      id: 'outlook-msg-smime-encrypted',
      name: 'Outlook message, S/MIME encrypted',
      encrypted: true,
      scheme: 'smime-cms-enveloped',
      code: 'OUTLOOK_MSG_SMIME_ENVELOPED',
      message: `Outlook message of class ${messageClass} whose attachment (PidTagAttachDataBinary) is a CMS EnvelopedData: the body and attachments are encrypted to the recipients' certificates; sender, recipients and subject stay readable.`,
      keyHint: {
        description:
          "A recipient's S/MIME private key (a .p12/.pfx, the Windows certificate store, a smart card) for the certificate the message names.",
        kind: 'keystore',
        present: 'unknown',
        lookFor: ['**/*.p12', '**/*.pfx'],
      },
      scope: 'partial',
    };
  if (kind === 'signedData')
    return {
      ...plain,
      code: 'OUTLOOK_MSG_SMIME_SIGNED',
      message: `${plain.message} (S/MIME opaque-signed: the content is inside a CMS SignedData, readable without a key).`,
    };
  return plain;
}

/** Bytes read from a stream at most: the verdicts need only the start of each (the globals of a workbook, an XML descriptor). */
const STREAM_READ_BYTES = 2 * 1024 * 1024;

function streamOf(container: CompoundFile, name: string): Buffer | undefined {
  return container.read(name, STREAM_READ_BYTES);
}

function ooxml(info: Buffer): Verdict {
  const major = info.readUInt16LE(0);
  const minor = info.readUInt16LE(2);
  const kind = major === 4 && minor === 4 ? 'agile' : minor === 2 ? 'standard' : minor === 3 ? 'extensible' : 'unknown';
  const cipher = kind === 'agile' ? /cipherAlgorithm="(\w+)"/.exec(info.toString('latin1'))?.[1] : undefined;
  const bits = kind === 'agile' ? /keyBits="(\d+)"/.exec(info.toString('latin1'))?.[1] : undefined;
  return {
    id: 'ooxml-encrypted',
    name: 'Encrypted Office Open XML package',
    encrypted: true,
    scheme: `ooxml-${kind}${cipher ? `-${cipher.toLowerCase()}${bits ?? ''}` : ''}`,
    code: 'OOXML_ENCRYPTED_PACKAGE',
    message: `Compound file holding EncryptionInfo (version ${major}.${minor}, ECMA-376 ${kind} encryption${cipher ? `, ${cipher}${bits ? `-${bits}` : ''}` : ''}) and EncryptedPackage: a password-protected Office Open XML document.`,
  };
}

function word(doc: Buffer, container: CompoundFile): Verdict {
  const flags = doc.length >= 12 ? doc.readUInt16LE(10) : 0;
  const encrypted = (flags & 0x0100) !== 0;
  const obfuscated = (flags & 0x8000) !== 0;
  if (!encrypted)
    return {
      id: 'ole2-doc',
      name: 'Word 97-2003 document',
      encrypted: false,
      code: 'WORD_FIB_CLEAR',
      message: 'Word 97-2003 document whose FIB has fEncrypted clear.',
    };
  if (obfuscated)
    return {
      id: 'ole2-doc-encrypted',
      name: 'Word 97-2003 document, password-protected',
      encrypted: true,
      scheme: 'office-xor-obfuscation',
      code: 'WORD_FIB_OBFUSCATED',
      message: 'Word 97-2003 FIB has fEncrypted and fObfuscated: XOR-obfuscated with the document password.',
    };
  const table = streamOf(container, flags & 0x0200 ? '1Table' : '0Table');
  const v = table && table.length >= 4 ? `${table.readUInt16LE(0)}.${table.readUInt16LE(2)}` : undefined;
  // Version 1.1 is RC4; 2-4.2 are RC4 CryptoAPI ([MS-OFFCRYPTO] §2.3.6.1, §2.3.5.1). Without the header, RC4 either way.
  const scheme = v === undefined || v === '1.1' ? 'office-rc4' : 'office-rc4-cryptoapi';
  return {
    id: 'ole2-doc-encrypted',
    name: 'Word 97-2003 document, password-protected',
    encrypted: true,
    scheme,
    code: 'WORD_FIB_ENCRYPTED',
    message:
      v === undefined
        ? 'Word 97-2003 FIB has fEncrypted set; the encryption header in the table stream could not be read (RC4, with or without CryptoAPI).'
        : `Word 97-2003 FIB has fEncrypted set; the encryption header (version ${v}) is ${scheme === 'office-rc4' ? 'RC4' : 'RC4 CryptoAPI'}.`,
  };
}

function excel(book: Buffer): Verdict {
  let at = 0;
  for (let n = 0; n < 200 && at + 4 <= book.length; n++) {
    const type = book.readUInt16LE(at);
    const len = book.readUInt16LE(at + 2);
    if (type === 0x002f) {
      const kind = len >= 2 ? book.readUInt16LE(at + 4) : -1;
      const major = len >= 4 ? book.readUInt16LE(at + 6) : 0;
      const scheme = kind === 0 ? 'office-xor-obfuscation' : major === 1 ? 'office-rc4' : 'office-rc4-cryptoapi';
      return {
        id: 'ole2-xls-encrypted',
        name: 'Excel 97-2003 workbook, password-protected',
        encrypted: true,
        scheme,
        code: 'EXCEL_FILEPASS',
        message: `Excel 97-2003 workbook with a FILEPASS record (${scheme === 'office-xor-obfuscation' ? 'XOR obfuscation' : scheme === 'office-rc4' ? 'RC4' : 'RC4 CryptoAPI'}): the workbook stream is encrypted with the password.`,
      };
    }
    if (type === 0x000a) break; // EOF of the globals substream
    at += 4 + len;
  }
  return {
    id: 'ole2-xls',
    name: 'Excel 97-2003 workbook',
    encrypted: false,
    code: 'EXCEL_NO_FILEPASS',
    message: 'Excel 97-2003 workbook with no FILEPASS record in its globals.',
  };
}

function powerpoint(current: Buffer | undefined): Verdict {
  const token = current && current.length >= 16 ? current.readUInt32LE(12) : 0;
  if (token === 0xf3d1c4df)
    return {
      id: 'ole2-ppt-encrypted',
      name: 'PowerPoint 97-2003 presentation, password-protected',
      encrypted: true,
      scheme: 'office-rc4-cryptoapi',
      code: 'PPT_ENCRYPTED_TOKEN',
      message: 'PowerPoint Current User atom has header token 0xF3D1C4DF: the presentation is encrypted.',
    };
  return {
    id: 'ole2-ppt',
    name: 'PowerPoint 97-2003 presentation',
    encrypted: false,
    code: 'PPT_CLEAR_TOKEN',
    message: `PowerPoint presentation; Current User header token 0x${token.toString(16).toUpperCase()} (not the encrypted token).`,
  };
}

/** What unlocks a rights-managed document: a licence from the server that protected it, not a password. */
const RIGHTS_SERVER: KeyHint = {
  description:
    "A use licence from the rights-management server that protected it (Azure RMS / Microsoft Purview sensitivity labels, or AD RMS) for an account the publisher granted rights, or one a client cached (MSIPC's licence store); the publishing licence in the file's data spaces names the server. No password opens it.",
  kind: 'keystore',
  present: 'unknown',
  lookFor: ['**/Microsoft/MSIPC/**', '**/Microsoft/DRM/**'],
};

/**
 * Documents protected by Information Rights Management (IRM, Azure RMS / AD RMS): the content is encrypted
 * with a key the rights-management server holds. OOXML packages keep it in EncryptedPackage under the
 * DRMEncryptedDataSpace (no EncryptionInfo); Word, Excel and PowerPoint 97-2003 files in a \x09DRMContent stream.
 */
function rightsManaged(names: ReadonlySet<string>): Verdict | undefined {
  const ooxmlPackage = names.has('EncryptedPackage') && names.has('DRMEncryptedDataSpace');
  if (!ooxmlPackage && !names.has('\x09DRMContent')) return undefined;
  return {
    id: 'office-irm-protected',
    name: 'Office document protected by Information Rights Management',
    encrypted: true,
    scheme: 'office-irm-rms',
    code: 'OFFICE_IRM_PROTECTED',
    message: ooxmlPackage
      ? 'Office Open XML package in EncryptedPackage under the DRMEncryptedDataSpace data space (Information Rights Management): encrypted with a key the rights-management server holds.'
      : 'Office 97-2003 document whose content is the \\x09DRMContent stream (Information Rights Management): encrypted with a key the rights-management server holds.',
    keyHint: RIGHTS_SERVER,
  };
}

/**
 * Windows Installer stream names as msi.dll stores them: two characters of the alphabet below in one code
 * point of U+3800-U+47FF, one in U+4800-U+483F, and U+4840 before the name of a table's stream.
 */
const MSI_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._';

function msiName(name: string): string {
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x3800 && c < 0x4800)
      out += MSI_ALPHABET[(c - 0x3800) & 0x3f]! + MSI_ALPHABET[((c - 0x3800) >> 6) & 0x3f]!;
    else if (c >= 0x4800 && c < 0x4840) out += MSI_ALPHABET[c - 0x4800]!;
    else if (c === 0x4840) out += '!';
    else out += ch;
  }
  return out;
}

/**
 * A Windows Installer database (.msi, merge module .msm, patch .msp): the table catalogue and string pool
 * streams every one holds. Readable (msitools' msiinfo/msidump, 7-Zip, Orca); not encrypted.
 */
function installerDatabase(names: ReadonlySet<string>): Verdict | undefined {
  const decoded = new Set([...names].map(msiName));
  const tables = ['!_Tables', '!_StringPool', '!_StringData'];
  if (!tables.every((t) => decoded.has(t))) return undefined;
  const count = [...decoded].filter((n) => n.startsWith('!')).length;
  return {
    id: 'msi',
    name: 'Windows Installer database',
    encrypted: false,
    code: 'MSI_TABLE_STREAMS',
    message: `Windows Installer database: ${count} table streams in msi.dll's name encoding, among them _Tables, _StringPool and _StringData; readable with msitools or 7-Zip, not encrypted.`,
  };
}

/** The verdict of the stream that decides, in the order a compound file can hold more than one of them. */
function verdictOf(container: CompoundFile): Verdict | undefined {
  const names = new Set(container.streams.map((s) => s.name));
  const rights = rightsManaged(names);
  if (rights) return rights;
  const info = streamOf(container, 'EncryptionInfo');
  if (info && info.length >= 4 && names.has('EncryptedPackage')) return ooxml(info);
  if (names.has('WordDocument')) return word(streamOf(container, 'WordDocument') ?? Buffer.alloc(0), container);
  if (names.has('Workbook') || names.has('Book'))
    return excel(streamOf(container, 'Workbook') ?? streamOf(container, 'Book') ?? Buffer.alloc(0));
  if (names.has('PowerPoint Document')) return powerpoint(streamOf(container, 'Current User'));
  if (names.has('FileHeader')) {
    const hwp = hwpVerdict(streamOf(container, 'FileHeader') ?? Buffer.alloc(0));
    if (hwp) return hwp;
  }
  return outlookMessage(container) ?? installerDatabase(names);
}

export const ole2EncryptionParser = defineParser({
  meta: {
    id: 'ole2-encryption',
    version: '1.1.0',
    title: 'OLE2 documents: type and encryption from the compound-file directory',
    formats: ['ole2'],
    diagnostics: {
      CFB_UNREADABLE: 'The compound file directory could not be read: {reason}.',
      CFB_DAMAGED: "The compound file's structure breaks MS-CFB: {problems}.",
    },
  },
  requires: { maxSize: 256 * 1024 * 1024 },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const bytes = await ctx.readAll();
    let container: CompoundFile;
    let v: Verdict | undefined;
    let salvaged: SalvagedCompoundFile | undefined;
    try {
      const parsed = readCompoundFile(bytes);
      container = parsed;
      v = verdictOf(container);
      // Damage in streams the verdict never reads is still damage: the whole structure is checked, bounded.
      const problems = parsed.problems(3);
      if (problems.length > 0)
        ctx.report({ code: 'CFB_DAMAGED', severity: 'warning', data: { problems: problems.join('; ') } });
    } catch (err) {
      // Damage (a chain or tree that loops, a pointer outside the file) is a property of the evidence: an error on the item.
      const corrupt = (err as { code?: string }).code === 'CFB_CORRUPT';
      ctx.report({
        code: 'CFB_UNREADABLE',
        severity: corrupt ? 'error' : 'warning',
        data: { reason: (err as Error).message },
      });
      // A cut or damaged file may still show the streams that decide, each by its own signature.
      salvaged = salvageCompoundFile(bytes);
      try {
        v = salvaged && verdictOf(salvaged);
      } catch {
        v = undefined; // a salvaged stream cut inside its first records decides nothing
      }
      if (!salvaged || !v?.encrypted) {
        // A presentation cut short: its deciding streams are near the end; its directory's first sector is not.
        const ppt = cutShortPresentation(bytes);
        if (!ppt) return undefined;
        return {
          details: { streams: ppt.names.length, streamSample: ppt.names.slice(0, 12), cutShort: true },
          reclassify: {
            status: 'encrypted',
            confidence: ppt.code === 'PPT_CUT_SHORT_ENCRYPTED_SUMMARY' ? 0.85 : 0.8,
            format: { id: 'ole2-ppt-encrypted', name: 'PowerPoint 97-2003 presentation, password-protected' },
            reasons: [
              {
                code: ppt.code,
                message: `${ppt.message} The directory cannot be followed: ${(err as Error).message}.`,
                figures: ppt.figures,
              },
            ],
          },
          encryption: { scheme: 'office-rc4-cryptoapi', scope: 'full', keyHint: PASSWORD },
        };
      }
      container = salvaged;
      const found = salvaged.found.map((f) => `${f.name} at offset ${f.offset}`).join(', ');
      v = {
        ...v,
        message: `${v.message} The compound file's directory cannot be followed (${(err as Error).message}); the streams were found by their signatures: ${found}.`,
      };
    }
    const names = new Set(container.streams.map((s) => s.name));
    const details = {
      streams: names.size,
      streamSample: [...names].slice(0, 12),
      ...(salvaged ? { salvagedBySignature: salvaged.found } : {}),
    };
    if (!v) return { details };
    if (v.encrypted) {
      return {
        details,
        reclassify: {
          status: 'encrypted',
          confidence: salvaged ? 0.9 : 0.98,
          format: { id: v.id, name: v.name },
          reasons: [{ code: v.code, message: v.message, figures: { scheme: v.scheme ?? '' } }],
        },
        encryption: { scheme: v.scheme ?? 'office', scope: v.scope ?? 'full', keyHint: v.keyHint ?? PASSWORD },
      };
    }
    return {
      details,
      reclassify: {
        status: 'analysable',
        confidence: 0.95,
        format: { id: v.id, name: v.name },
        reasons: [{ code: v.code, message: v.message }],
      },
    };
  },
});
