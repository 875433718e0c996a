/**
 * Excel files encrypted with Excel's built-in default password
 * ("VelvetSweatshop", used when a workbook is protected without a password to
 * open) are not locked: anyone can open them. After ole2-encryption has named
 * an encrypted workbook, this parser checks its password verifier with that
 * password (office-verifier.ts) and reclassifies it analysable when it holds.
 * A separate parser so that a slow check (100,000 SHA-512 rounds for Agile
 * encryption) can only lose its own answer, never the encryption verdict.
 * The check runs whatever the file is called: a verifier that holds with a
 * published password opens the file under any name (a workbook renamed .pptx
 * is still a workbook, and the encrypted package hides which kind it is).
 * References: [MS-OFFCRYPTO] §2.3 (verifiers); Microsoft KB "VelvetSweatshop"
 * (Excel's default encryption password for protected workbooks).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { readCompoundFile, type CompoundFile } from './compound-file.js';
import { salvageCompoundFile } from './compound-file-salvage.js';
import {
  agileOpens,
  EXCEL_DEFAULT_PASSWORD,
  standardOpens,
  xlsFilepassOpens,
  type VerifierResult,
} from './office-verifier.js';

/** Bytes read from a stream at most: the verifiers need EncryptionInfo and the workbook globals' first records. */
const STREAM_READ_BYTES = 2 * 1024 * 1024;

function stream(container: CompoundFile, name: string): Buffer | undefined {
  return container.read(name, STREAM_READ_BYTES);
}

/** The FILEPASS payload in the workbook globals, or undefined. */
function filepass(book: Buffer): Buffer | undefined {
  for (let at = 0, n = 0; n < 200 && at + 4 <= book.length; n++) {
    const type = book.readUInt16LE(at);
    const len = book.readUInt16LE(at + 2);
    if (type === 0x002f) return book.subarray(at + 4, at + 4 + len);
    if (type === 0x000a) return undefined;
    at += 4 + len;
  }
  return undefined;
}

async function check(container: CompoundFile): Promise<VerifierResult | undefined> {
  const info = stream(container, 'EncryptionInfo');
  if (info && container.streams.some((s) => s.name === 'EncryptedPackage')) {
    if (info.length < 8) return { skipped: 'EncryptionInfo cut short' };
    const major = info.readUInt16LE(0);
    const minor = info.readUInt16LE(2);
    if (major === 4 && minor === 4)
      return info.includes('</encryption>')
        ? agileOpens(info, EXCEL_DEFAULT_PASSWORD)
        : { skipped: 'the XML encryption descriptor ends before its password verifier (the file is cut short)' };
    if (minor === 2) return standardOpens(info, EXCEL_DEFAULT_PASSWORD);
    return { skipped: `EncryptionInfo version ${major}.${minor}` };
  }
  const book = stream(container, 'Workbook') ?? stream(container, 'Book');
  const fp = book ? filepass(book) : undefined;
  return fp ? xlsFilepassOpens(fp, EXCEL_DEFAULT_PASSWORD) : undefined;
}

/** The check's answer, or the error that stopped it (a stream past the end of a cut file, a malformed verifier). */
async function evaluate(container: CompoundFile): Promise<VerifierResult | Error | undefined> {
  try {
    return await check(container);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export const officeDefaultPasswordParser = defineParser({
  meta: {
    id: 'office-default-password',
    version: '1.0.0',
    title: "Encrypted Excel files: does Excel's default password open them?",
    formats: ['ole2'],
    diagnostics: { DEFAULT_PASSWORD_UNCHECKED: "Excel's default password was not tried: {reason}." },
  },
  requires: { maxSize: 256 * 1024 * 1024 },
  priority: 40,
  async parse(ctx): Promise<ParseResult | undefined> {
    // ole2-encryption runs first: skip the files it found clear (their format is no longer plain "ole2").
    if (ctx.item.classification.status !== 'encrypted' && ctx.item.format?.id !== 'ole2') return undefined;
    const bytes = await ctx.readAll();
    let container: CompoundFile | undefined;
    try {
      // The bounded reader: a FAT chain or directory tree that loops is an error, never an endless walk.
      container = readCompoundFile(bytes);
    } catch {
      container = undefined;
    }
    let outcome = container && (await evaluate(container));
    if (!container || outcome instanceof Error) {
      // ole2-encryption has reported the damage; a cut file's verifier may still be found by its signature.
      const salvaged = salvageCompoundFile(bytes);
      if (salvaged) outcome = await evaluate(salvaged);
    }
    const result =
      outcome instanceof Error ? { skipped: `the verifier could not be evaluated (${outcome.message})` } : outcome;
    if (!result) return undefined;
    if ('skipped' in result) {
      ctx.report({
        code: 'DEFAULT_PASSWORD_UNCHECKED',
        severity: 'info',
        message: `Excel's default password was not tried: ${result.skipped}.`,
      });
      return { details: { defaultPasswordCheck: result.skipped } };
    }
    if (!result.opens) return { details: { defaultPasswordCheck: 'fails', verifier: result.scheme } };
    return {
      details: { defaultPasswordCheck: 'opens', opensWith: EXCEL_DEFAULT_PASSWORD, verifier: result.scheme },
      reclassify: {
        status: 'analysable',
        confidence: 0.97,
        reasons: [
          {
            code: 'OFFICE_DEFAULT_PASSWORD_OPENS',
            message: `The password verifier (${result.scheme}${result.spin ? `, ${result.spin} hash rounds` : ''}) checks out with Excel's built-in default password "${EXCEL_DEFAULT_PASSWORD}": anyone can open the file, so it is not locked.`,
            figures: { verifier: result.scheme },
          },
        ],
      },
    };
  },
});
