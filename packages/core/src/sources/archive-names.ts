/**
 * Archive member names: decoding (ZIP UTF-8 flag, Info-ZIP Unicode Path
 * extra field 0x7075, IBM code page 437 otherwise; TAR bytes/PAX UTF-8) and
 * the safety flags for names that would escape an extraction folder.
 * Nothing is ever extracted, so such names are recorded as they are and flagged.
 * References: PKWARE APPNOTE 6.3.10 §4.4.4 (bit 11), Appendix D (CP437) and
 * §4.6.9 (0x7075); POSIX pax `path` keyword (UTF-8).
 */
import zlib from 'node:zlib';
import { decodeName } from './folder.js';
import { escapePathBangs } from './manifest-paths.js';

/** Code page 437 upper half (0x80-0xFF), the ZIP default when bit 11 is clear. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decodes bytes as IBM code page 437 (ASCII below 0x80). */
export function decodeCp437(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return out;
}

export interface DecodedName {
  /** The name as text. */
  text: string;
  /** Base64 of the raw bytes when they are not UTF-8 text (CP437 or invalid). */
  raw?: string;
  /** How the name was decoded, for `details.container.nameEncoding`. */
  encoding: 'utf-8' | 'utf-8-extra-field' | 'cp437' | 'utf-8-lossy';
}

/**
 * Decodes a ZIP member name: the 0x7075 Unicode Path extra field when its CRC
 * matches the header name, UTF-8 when bit 11 is set, otherwise UTF-8 when the
 * bytes are valid UTF-8 (many tools write UTF-8 without the flag) and CP437 when not.
 */
export function decodeZipName(
  raw: Buffer,
  flags: number,
  extraFields: ReadonlyArray<{ id: number; data: Buffer }>,
): DecodedName {
  for (const f of extraFields) {
    if (f.id !== 0x7075 || f.data.length < 6 || f.data[0] !== 1) continue;
    if (zlib.crc32(raw) !== f.data.readUInt32LE(1)) continue;
    const { text } = decodeName(f.data.subarray(5));
    return { text, encoding: 'utf-8-extra-field', ...(isAscii(raw) ? {} : { raw: raw.toString('base64') }) };
  }
  const utf8 = decodeName(raw);
  if (!utf8.raw) return { text: utf8.text, encoding: 'utf-8' };
  if (flags & 0x800) return { text: utf8.text, raw: utf8.raw, encoding: 'utf-8-lossy' };
  return { text: decodeCp437(raw), raw: raw.toString('base64'), encoding: 'cp437' };
}

function isAscii(b: Uint8Array): boolean {
  for (const x of b) if (x >= 0x80) return false;
  return true;
}

export interface NameProblem {
  code: string;
  message: string;
}

/**
 * Flags a member name that an extractor could be tricked by: parent references,
 * absolute paths, backslashes (a Windows separator) and NUL bytes. The name is
 * recorded as stored; the flag is a warning on the item.
 */
export function nameProblems(name: string): NameProblem[] {
  const problems: NameProblem[] = [];
  if (name.includes('\0'))
    problems.push({
      code: 'MEMBER_NAME_NUL',
      message: `The member name contains a NUL byte (${JSON.stringify(name)}); recorded as stored, nothing is extracted.`,
    });
  if (name.includes('\\'))
    problems.push({
      code: 'MEMBER_NAME_BACKSLASH',
      message: `The member name contains a backslash (${JSON.stringify(name)}), a path separator on Windows; recorded as stored.`,
    });
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith('\\\\')) {
    problems.push({
      code: 'MEMBER_NAME_ABSOLUTE',
      message: `The member name is an absolute path (${JSON.stringify(name)}); an extractor could write outside its folder. Recorded as stored, nothing is extracted.`,
    });
  }
  if (name.split(/[\\/]/).includes('..')) {
    problems.push({
      code: 'MEMBER_NAME_PARENT',
      message: `The member name climbs out of the archive with ".." (${JSON.stringify(name)}); recorded as stored, nothing is extracted.`,
    });
  }
  return problems;
}

/**
 * A member's path in the manifest: one trailing `/` (directory markers) and
 * leading `./` removed, components ending in `!` escaped (`escapePathBangs`),
 * everything else as stored.
 */
export function tidyMemberName(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  if (n.endsWith('/')) n = n.slice(0, -1);
  return escapePathBangs(n);
}

/**
 * Gives each member of one archive a path no other member of it has. Two
 * members with the same stored name (legal in ZIP and TAR) would otherwise
 * give identical manifest paths, and so would their members if they are
 * archives. The second and later get `~N` before the extension of their last
 * component (`in.zip`, `in~2.zip`), as an extractor's "keep both" would.
 */
export class MemberPaths {
  private readonly taken = new Set<string>();
  /**
   * Per stored name, the suffix its last duplicate got. The smallest free
   * suffix of a name never goes down (paths are only ever added), so the search
   * resumes there: one name stored 1,000,000 times costs linear time, not the
   * half a million million lookups of a search from 2 each time.
   */
  private readonly lastSuffix = new Map<string, number>();

  claim(stored: string): { path: string; problem?: NameProblem } {
    if (!this.taken.has(stored)) {
      this.taken.add(stored);
      return { path: stored };
    }
    const slash = stored.lastIndexOf('/');
    const last = stored.slice(slash + 1);
    const dot = last.lastIndexOf('.');
    const stem = dot > 0 ? stored.slice(0, slash + 1 + dot) : stored;
    const ext = dot > 0 ? last.slice(dot) : '';
    let n = this.lastSuffix.get(stored) ?? 2;
    while (this.taken.has(`${stem}~${n}${ext}`)) n++;
    const path = `${stem}~${n}${ext}`;
    this.taken.add(path);
    this.lastSuffix.set(stored, n);
    return {
      path,
      problem: {
        code: 'MEMBER_NAME_DUPLICATE',
        message: `Another member of this archive has the path ${JSON.stringify(stored)}; both are recorded, this one as ${JSON.stringify(path)} so that paths stay unique.`,
      },
    };
  }
}
