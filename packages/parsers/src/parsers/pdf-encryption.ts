/**
 * Decides whether an encrypted PDF needs a password. It reads the standard
 * security handler's encryption dictionary and tries the empty password as
 * user password and as owner password (which also opens the file), using
 * the key-derivation and check algorithms of the standard: RC4/MD5 for
 * revisions 2-4, SHA-256 for revision 5 and the hardened hash for revision 6.
 * A PDF that opens with the empty password is analysable (its pages can be
 * read without any secret), and the reason says so.
 * References: ISO 32000-2 §7.6.4.3 (algorithms 2, 4, 5, 7 for R2-R4),
 * §7.6.4.3.3-4 (algorithms 2.A, 2.B, 11, 12 for R6); Adobe supplement to
 * ISO 32000 BaseVersion 1.7 ExtensionLevel 3 (R5). Other handlers (ADEPT,
 * FileOpen, certificates…) are named by pdf-drm-handlers.ts.
 */
import crypto from 'node:crypto';
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { ADEPT_KEY_FILES } from './epub-encryption.js';
import { adeptWrappedKeyBytes, pdfHandler } from './pdf-drm-handlers.js';
import { rc4 } from '../detectors/util.js';

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
/** Largest PDF read whole; larger files are searched in their first and last MiB. */
const MAX_WHOLE_BYTES = 64 * 1024 * 1024;
const WINDOW = 1024 * 1024;

const md5 = (...parts: Uint8Array[]) => crypto.createHash('md5').update(Buffer.concat(parts)).digest();
const sha = (alg: string, ...parts: Uint8Array[]) => crypto.createHash(alg).update(Buffer.concat(parts)).digest();

/** Reads a PDF string (literal or hex) starting at `at` (the opening delimiter). */
export function pdfString(text: string, at: number): Buffer | undefined {
  if (text[at] === '<') {
    const end = text.indexOf('>', at);
    if (end < 0) return undefined;
    let hex = text.slice(at + 1, end).replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) return undefined;
    if (hex.length % 2) hex += '0';
    return Buffer.from(hex, 'hex');
  }
  if (text[at] !== '(') return undefined;
  const out: number[] = [];
  let depth = 1;
  for (let i = at + 1; i < text.length && out.length < 4096; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const n = text[++i];
      if (n === undefined) break;
      const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in esc) out.push(esc[n]!);
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) oct += text[++i];
        out.push(parseInt(oct, 8) & 255);
      } else if (n === '\r') {
        if (text[i + 1] === '\n') i++;
      } else if (n !== '\n') out.push(n.charCodeAt(0) & 255);
      continue;
    }
    if (c === 0x28) depth++;
    if (c === 0x29 && --depth === 0) return Buffer.from(out);
    out.push(c & 255);
  }
  return undefined;
}

/** Removes a nested dictionary value (e.g. /CF << ... >>) so top-level keys can be read by pattern. */
function withoutSubdictionary(dict: string, key: string): string {
  const k = dict.indexOf(key);
  if (k < 0) return dict;
  const open = dict.indexOf('<<', k);
  if (open < 0) return dict;
  let depth = 0;
  for (let i = open; i < dict.length - 1; i++) {
    if (dict[i] === '<' && dict[i + 1] === '<') {
      depth++;
      i++;
    } else if (dict[i] === '>' && dict[i + 1] === '>') {
      i++;
      if (--depth === 0) return dict.slice(0, k) + dict.slice(i + 1);
    }
  }
  return dict;
}

export interface PdfSecurity {
  filter: string;
  v: number;
  r: number;
  lengthBits: number;
  p: number;
  o?: Buffer;
  u?: Buffer;
  encryptMetadata: boolean;
  cfm?: string;
  id0: Buffer;
  /** Adobe ADEPT's licence string (EBX_HANDLER): the wrapped book key. */
  adeptLicence?: Buffer;
}

/**
 * The last match of a global regex, the others dropped as it goes: a file of millions of "/Encrypt 1 0 R" kept
 * every match in an array ([...matchAll]) and passed the parser worker's 512 MiB heap (57 MB: MEMORY_LIMIT).
 */
function lastMatch(re: RegExp, text: string): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  return last;
}

/** Finds and reads the encryption dictionary and the first file identifier. */
export function readSecurity(text: string): PdfSecurity | undefined {
  const last = lastMatch(/\/Encrypt\s*(?:(\d+)\s+(\d+)\s+R|<<)/g, text);
  if (!last) return undefined;
  let dict: string | undefined;
  if (last[1] === undefined) dict = text.slice(last.index + last[0].length - 2, last.index + 8192);
  else {
    const obj = lastMatch(new RegExp(`(?:^|[^0-9])${last[1]}\\s+${last[2]}\\s+obj\\b`, 'g'), text);
    if (!obj) return undefined;
    const end = text.indexOf('endobj', obj.index);
    dict = text.slice(obj.index, end < 0 ? obj.index + 8192 : end);
  }
  const cfm = /\/StdCF\s*<<[^<>]*\/CFM\s*\/(\w+)/.exec(dict)?.[1];
  const top = withoutSubdictionary(dict, '/CF');
  const num = (k: string, d: number) => {
    const m = new RegExp(`/${k}\\s+(-?\\d+)`).exec(top);
    return m ? Number(m[1]) : d;
  };
  const str = (k: string) => {
    const m = new RegExp(`/${k}\\s*([(<])`).exec(top);
    return m ? pdfString(top, m.index + m[0].length - 1) : undefined;
  };
  const idMatch = lastMatch(/\/ID\s*\[\s*([(<])/g, text);
  const id0 = idMatch ? (pdfString(text, idMatch.index + idMatch[0].length - 1) ?? Buffer.alloc(0)) : Buffer.alloc(0);
  const sec: PdfSecurity = {
    filter: /\/Filter\s*\/([\w.]+)/.exec(top)?.[1] ?? 'Standard',
    v: num('V', 0),
    r: num('R', 2),
    lengthBits: num('Length', 40),
    p: num('P', 0),
    encryptMetadata: !/\/EncryptMetadata\s+false/.test(top),
    id0,
  };
  const o = str('O');
  const u = str('U');
  if (o) sec.o = o;
  if (u) sec.u = u;
  if (cfm) sec.cfm = cfm;
  const licence = str('ADEPT_LICENSE');
  if (licence) sec.adeptLicence = licence;
  return sec;
}

function keyFor(password: Buffer, s: PdfSecurity, n: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeInt32LE(s.p | 0);
  const padded = Buffer.concat([password, PAD]).subarray(0, 32);
  let h = md5(
    padded,
    s.o!.subarray(0, 32),
    p,
    s.id0,
    s.r >= 4 && !s.encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0),
  );
  if (s.r >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, n));
  return h.subarray(0, n);
}

function userPasswordOpens(password: Buffer, s: PdfSecurity, n: number): boolean {
  const key = keyFor(password, s, n);
  if (s.r === 2) return rc4(key, PAD).equals(s.u!.subarray(0, 32));
  let x = rc4(key, md5(PAD, s.id0));
  for (let i = 1; i <= 19; i++)
    x = rc4(
      key.map((b) => b ^ i),
      x,
    );
  return x.subarray(0, 16).equals(s.u!.subarray(0, 16));
}

function ownerPasswordOpens(password: Buffer, s: PdfSecurity, n: number): boolean {
  let h = md5(Buffer.concat([password, PAD]).subarray(0, 32));
  if (s.r >= 3) for (let i = 0; i < 50; i++) h = md5(h);
  const key = h.subarray(0, n);
  let user = s.o!.subarray(0, 32);
  if (s.r === 2) user = rc4(key, user);
  else
    for (let i = 19; i >= 0; i--)
      user = rc4(
        key.map((b) => b ^ i),
        user,
      );
  return userPasswordOpens(Buffer.from(user), s, n);
}

/** ISO 32000-2 algorithm 2.B (revision 6 hash). */
export function hash2B(password: Buffer, salt: Buffer, udata: Buffer): Buffer {
  let k = sha('sha256', password, salt, udata);
  for (let i = 0; ;) {
    const block = Buffer.concat([password, k, udata]);
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => block));
    const c = crypto.createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j]!;
    k = sha(['sha256', 'sha384', 'sha512'][sum % 3]!, e);
    i++;
    if (i >= 64 && e[e.length - 1]! <= i - 32) break;
  }
  return k.subarray(0, 32);
}

/** The /Length the dictionary declares, when it is one the standard allows (40 to 128 bits, a multiple of 8). */
function declaredKeyBits(s: PdfSecurity): number | undefined {
  return s.lengthBits % 8 === 0 && s.lengthBits >= 40 && s.lengthBits <= 128 ? s.lengthBits : undefined;
}

/**
 * Key lengths (bytes) to derive the key with, for revisions 3 and 4: the declared /Length first, then every
 * length the standard allows. Writers leave /Length out (the standard's default is 40 bits; qpdf assumes 128),
 * give it in bytes, or let V 4's crypt filter decide it; the /U check proves a key, so another length can only
 * find the one the file was encrypted with.
 */
function keyLengths(s: PdfSecurity): number[] {
  if (s.r === 2) return [5];
  const declared = declaredKeyBits(s);
  return [...new Set([...(declared ? [declared / 8] : []), 16, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])];
}

/** Which empty password opens the file, and with which key length; undefined when a password is needed. */
export function emptyPasswordOpens(s: PdfSecurity): { by: 'user' | 'owner'; keyBits: number } | undefined {
  const empty = Buffer.alloc(0);
  if (!s.o || !s.u) return undefined;
  if (s.r >= 5) {
    if (s.u.length < 48 || s.o.length < 48) return undefined;
    const h = s.r === 5 ? (pw: Buffer, salt: Buffer, ud: Buffer) => sha('sha256', pw, salt, ud) : hash2B;
    if (h(empty, s.u.subarray(32, 40), empty).equals(s.u.subarray(0, 32))) return { by: 'user', keyBits: 256 };
    if (h(empty, s.o.subarray(32, 40), s.u.subarray(0, 48)).equals(s.o.subarray(0, 32)))
      return { by: 'owner', keyBits: 256 };
    return undefined;
  }
  for (const n of keyLengths(s)) {
    if (userPasswordOpens(empty, s, n)) return { by: 'user', keyBits: 8 * n };
    if (ownerPasswordOpens(empty, s, n)) return { by: 'owner', keyBits: 8 * n };
  }
  return undefined;
}

function schemeOf(s: PdfSecurity): string {
  if (s.filter !== 'Standard') return `pdf-${s.filter.toLowerCase()}`;
  if (s.v >= 5 || s.r >= 5) return 'pdf-aes-256';
  if (s.v === 4) return s.cfm === 'AESV2' ? 'pdf-aes-128' : 'pdf-rc4-128';
  if (s.r === 2 || s.v === 1) return 'pdf-rc4-40';
  return `pdf-rc4-${s.lengthBits}`;
}

export const pdfEncryptionParser = defineParser({
  meta: {
    id: 'pdf-encryption',
    version: '1.1.0',
    title: 'PDF standard security handler: does the empty password open it? (and which DRM handler, if another)',
    formats: ['pdf-encrypted'],
    // Adobe's activation record, which holds the ADEPT user key an EBX_HANDLER PDF is wrapped for.
    indexPatterns: ADEPT_KEY_FILES,
    diagnostics: { PDF_ENCRYPT_DICTIONARY_UNREAD: 'The /Encrypt dictionary could not be read: {reason}.' },
  },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const size = ctx.item.size;
    const bytes =
      size <= MAX_WHOLE_BYTES
        ? await ctx.readAll(MAX_WHOLE_BYTES)
        : Buffer.concat([await ctx.read(0, WINDOW), Buffer.from('\n'), await ctx.read(size - WINDOW, WINDOW)]);
    const s = readSecurity(bytes.toString('latin1'));
    if (!s) {
      ctx.report({
        code: 'PDF_ENCRYPT_DICTIONARY_UNREAD',
        severity: 'warning',
        // A file cut short (no startxref at its end) lost its trailer and dictionary: the detector judged its streams.
        message: /startxref/.test(bytes.toString('latin1', Math.max(0, bytes.length - 2048)))
          ? 'The /Encrypt dictionary named in the trailer was not found.'
          : 'The file is cut short (no startxref at its end): its trailer is lost, with the /Encrypt reference and the file identifier, so the empty password cannot be tried.',
      });
      return undefined;
    }
    const scheme = schemeOf(s);
    const details = {
      filter: s.filter,
      v: s.v,
      r: s.r,
      keyBits: s.r >= 5 ? 256 : s.r === 2 ? 40 : s.lengthBits,
      permissions: s.p,
      scheme,
      hasId: s.id0.length > 0,
    };
    if (s.filter !== 'Standard') {
      const wrappedKeyBytes = s.adeptLicence ? adeptWrappedKeyBytes(s.adeptLicence) : undefined;
      const handler = pdfHandler(s.filter, wrappedKeyBytes);
      const licence =
        wrappedKeyBytes !== undefined
          ? `; its ADEPT_LICENSE holds the book key wrapped in ${wrappedKeyBytes} bytes`
          : s.adeptLicence
            ? '; its ADEPT_LICENSE does not decode'
            : '';
      return {
        details: { ...details, ...(wrappedKeyBytes !== undefined ? { wrappedKeyBytes } : {}) },
        reclassify: {
          status: 'encrypted',
          confidence: 0.95,
          reasons: [
            {
              code: handler.code,
              message: `The PDF uses the ${s.filter} security handler, ${handler.name}${licence}.`,
              figures: { filter: s.filter, ...(wrappedKeyBytes !== undefined ? { wrappedKeyBytes } : {}) },
            },
          ],
        },
        encryption: { scheme, scope: 'full', keyHint: handler.keyHint },
      };
    }
    const opened = emptyPasswordOpens(s);
    if (opened) {
      const { by: opens, keyBits } = opened;
      // The key that opened it says what the scheme is when the dictionary's /Length was missing or wrong.
      const declared = s.r >= 3 && s.r <= 4 ? declaredKeyBits(s) : keyBits;
      const actual = declared === keyBits ? scheme : schemeOf({ ...s, lengthBits: keyBits });
      const note =
        declared === keyBits
          ? ''
          : ` with a ${keyBits}-bit key (the dictionary ${declared === undefined ? 'declares no valid /Length' : `declares ${declared} bits`})`;
      return {
        details: { ...details, keyBits, scheme: actual, emptyPasswordOpens: opens },
        reclassify: {
          status: 'analysable',
          confidence: 0.97,
          reasons: [
            {
              code: 'PDF_EMPTY_PASSWORD_OPENS',
              message: `Encrypted with ${actual} (R${s.r}), but the empty ${opens} password opens it${note}: the pages can be read without a secret${opens === 'user' ? ' (only permissions are restricted)' : ''}.`,
              figures: { r: s.r, v: s.v, keyBits, opensWith: `empty-${opens}-password` },
            },
          ],
        },
      };
    }
    return {
      details: { ...details, emptyPasswordOpens: false },
      reclassify: {
        status: 'encrypted',
        confidence: 0.98,
        reasons: [
          {
            code: 'PDF_USER_PASSWORD_REQUIRED',
            message: `Encrypted with ${scheme} (R${s.r}); neither the empty user nor the empty owner password opens it: a password is needed.`,
            figures: { r: s.r, v: s.v },
          },
        ],
      },
      encryption: {
        scheme,
        scope: 'full',
        keyHint: {
          description: 'The PDF user (open) password, or the owner password.',
          kind: 'password',
          present: 'unknown',
        },
      },
    };
  },
});
