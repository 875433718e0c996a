/**
 * PDF security handlers other than the standard password one, by the name in
 * the encryption dictionary's /Filter, and what each needs to open a file:
 * Adobe ADEPT (`EBX_HANDLER`: Adobe Digital Editions and the readers built on
 * Adobe's RMSDK; Barnes & Noble's PDFs use it too), Adobe LiveCycle Rights
 * Management (`Adobe.APS`), FileOpen (`FOPN_fLock`, `FOPN_foweb`) and
 * certificate security (`Adobe.PubSec`). ADEPT keeps the book key, wrapped for
 * the reader, in the dictionary's ADEPT_LICENSE: base64 of a raw-deflated
 * rights document whose encryptedKey is RSA (ADEPT: 128 bytes for Adobe's
 * 1024-bit user key) or AES (Barnes & Noble: 48 bytes). Shared by the PDF
 * encryption parser; not a plugin.
 * References: ISO 32000-2 §7.6.1 (/Filter names the handler), §7.6.5
 * (public-key security); DeDRM's ineptpdf.py (initialize_ebx, Adobe.APS,
 * FOPN_*) and ignoblepdf.py (B&N's wrapped key).
 */
import zlib from 'node:zlib';
import type { KeyHint } from '@evtriage/core/contract';
import { ADEPT_KEY_FILES, rightsKeyBytes } from './epub-encryption.js';

export interface PdfHandler {
  /** Reason code and what the handler is, for the message. */
  code: string;
  name: string;
  keyHint: KeyHint;
}

const MAX_RIGHTS_BYTES = 256 * 1024;

const CERTIFICATE: PdfHandler = {
  code: 'PDF_PUBLIC_KEY_SECURITY',
  name: "certificate (public-key) security: it opens only with a recipient certificate's private key",
  keyHint: {
    description: "The private key of a recipient certificate (e.g. a .p12/.pfx in the user's keychain).",
    kind: 'key-file',
    present: 'unknown',
  },
};

const ADEPT: PdfHandler = {
  code: 'PDF_ADEPT_DRM',
  name: 'Adobe ADEPT DRM (Adobe Digital Editions): the book key is wrapped for one reader activation',
  keyHint: {
    description:
      "The Adobe ADEPT user key of the reading app's activation (Adobe Digital Editions or an RMSDK reader); the PDF's ADEPT_LICENSE holds the book key wrapped for it.",
    kind: 'keystore',
    present: 'unknown',
    lookFor: ADEPT_KEY_FILES,
  },
};

const BARNES_NOBLE: PdfHandler = {
  code: 'PDF_ADEPT_DRM',
  name: "Barnes & Noble's DRM (EBX handler with an AES-wrapped book key)",
  keyHint: {
    description:
      "The Barnes & Noble (Nook) user key, derived from the account's name and credit card number or kept by the Nook app; the PDF's ADEPT_LICENSE holds the book key wrapped for it.",
    kind: 'keystore',
    present: 'unknown',
  },
};

const HANDLERS: Record<string, PdfHandler> = {
  'Adobe.PubSec': CERTIFICATE,
  EBX_HANDLER: ADEPT,
  'Adobe.APS': {
    code: 'PDF_POLICY_SERVER_DRM',
    name: 'Adobe LiveCycle Rights Management (Policy Server): the key is issued by the policy server when the file opens',
    keyHint: {
      description: "The document key from the publisher's Adobe LiveCycle policy server (the user's account there).",
      kind: 'unknown',
      present: 'unknown',
    },
  },
  FOPN_fLock: {
    code: 'PDF_FILEOPEN_DRM',
    name: "FileOpen DRM: the key comes from FileOpen's reader plug-in and the publisher's server",
    keyHint: {
      description: "The document key FileOpen's plug-in obtains from the publisher's server for an authorised user.",
      kind: 'unknown',
      present: 'unknown',
    },
  },
};
HANDLERS['FOPN_foweb'] = HANDLERS['FOPN_fLock']!;

/** The wrapped book key's length in an ADEPT_LICENSE (base64, raw deflate, adept rights XML); undefined when it does not read. */
export function adeptWrappedKeyBytes(licence: Buffer): number | undefined {
  let rights: string;
  try {
    const packed = Buffer.from(licence.toString('latin1').replace(/\s+/g, ''), 'base64');
    rights = zlib.inflateRawSync(packed, { maxOutputLength: MAX_RIGHTS_BYTES }).toString('utf8');
  } catch {
    return undefined;
  }
  return rightsKeyBytes(rights);
}

/** What a non-standard handler needs; B&N when its EBX licence wraps the key in 48 bytes (AES) rather than RSA's. */
export function pdfHandler(filter: string, wrappedKeyBytes: number | undefined): PdfHandler {
  if (filter === 'EBX_HANDLER' && wrappedKeyBytes === 48) return BARNES_NOBLE;
  return (
    HANDLERS[filter] ?? {
      code: 'PDF_OTHER_SECURITY_HANDLER',
      name: `a security handler other than the standard password one: its plug-in supplies the key`,
      keyHint: {
        description: `The key of the ${filter} security handler's plug-in or service.`,
        kind: 'unknown',
        present: 'unknown',
      },
    }
  );
}
