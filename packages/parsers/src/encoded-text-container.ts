/**
 * Base16, base32 and base64 text files (the encoded-text detector's formats)
 * opened as a container of one member, the decoded bytes, so that every
 * detector judges what was encoded: `report.zip.b64` holds `report.zip`,
 * itself opened in turn. The whole text is read and checked again (the
 * detector saw only the head and tail), within a size bound: the decoded
 * bytes are held in memory while the member is scanned.
 */
import path from 'node:path';
import type { ContainerOpener, EvidenceSource, SourceEntry } from '@evtriage/core';
import { MemoryMemberSource } from './memory-member-source.js';
import { decodeEncodedText, ENCODING_NAMES, encodingOfFormat, recogniseEncodedText } from './encoded-text.js';
import { decodeUuencoded } from './uuencoded.js';

/** Encoded files up to this size are decoded (in memory, whole); a larger one is recorded as not opened. */
export const MAX_ENCODED_BYTES = 16 * 1024 * 1024;

const ENCODING_EXTENSION = /\.(b64|base64|b64url|b32|base32|hex|b16|base16)$/i;

/** The member's name: the file's without its encoding extension (`x.zip.b64` holds `x.zip`), else `<name>.decoded`. */
export function decodedMemberName(containerPath: string): string {
  const base = path.posix.basename(containerPath.split('!/').pop() ?? containerPath);
  const stripped = base.replace(ENCODING_EXTENSION, '');
  return stripped !== base && stripped !== '' ? stripped : `${base}.decoded`;
}

function fail(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The whole entry, within the size decoded in memory; `what` names the text in the error. */
async function readWhole(entry: SourceEntry, what: string): Promise<Buffer> {
  if (!entry.open) throw fail('ENCODED_TEXT_UNREADABLE', 'the entry has no bytes to read');
  if (entry.size > MAX_ENCODED_BYTES)
    throw fail(
      'ENCODED_TEXT_TOO_LARGE',
      `${entry.size} bytes of ${what}, more than the ${MAX_ENCODED_BYTES} decoded in memory: not decoded (its head was identified)`,
    );
  const reader = await entry.open();
  try {
    return await reader.read(0, entry.size);
  } finally {
    await reader.close();
  }
}

/** Counts the decoded bytes against the scan-wide expansion budget, or refuses them. */
function takeBudget(ctx: Parameters<ContainerOpener['open']>[2], bytes: number): void {
  if (!ctx.budget.take(bytes))
    throw fail(
      'ARCHIVE_EXPANSION_LIMIT',
      `the decoded bytes (${bytes}) would pass what is left of the scan-wide expansion budget (${ctx.limits.maxExpandedBytes} bytes, ${ctx.budget.expanded} used; raise --max-expanded to open it)`,
    );
}

export const encodedTextContainer: ContainerOpener = {
  // The encodings, and the same files when the ciphertext-payload detector found ciphertext in them.
  formats: ['base16', 'base32', 'base64', 'base16-ciphertext', 'base32-ciphertext', 'base64-ciphertext'],
  async open(entry, item, ctx): Promise<EvidenceSource> {
    const bytes = await readWhole(entry, 'encoded text');
    const found = recogniseEncodedText(bytes, true);
    const encoding = encodingOfFormat(item.format?.id ?? '');
    if (!found || found.encoding !== encoding)
      throw fail(
        'ENCODED_TEXT_INVALID',
        `the head reads as ${encoding ?? 'encoded text'}, but the whole file is not one ${encoding ?? ''} stream (a character outside the alphabet, a line of another length or padding before the end): not decoded`,
      );
    const decoded = decodeEncodedText(bytes.toString('latin1'), found);
    takeBudget(ctx, decoded.length);
    return decodedSource(item.path, decodedMemberName(item.path), decoded, {
      encoding: found.encoding,
      name: ENCODING_NAMES[found.encoding],
      encodedSize: entry.size,
    });
  },
};

/** The name a uuencoded file gives its decoded file, as a single path segment (no directories, no dot names). */
export function uuencodedMemberName(containerPath: string, name: string): string {
  const segment = path.posix.basename(name.replace(/\\/g, '/'));
  const base = [...segment].filter((ch) => ch.charCodeAt(0) >= 0x20).join('');
  return base !== '' && base !== '.' && base !== '..' ? base : `${path.posix.basename(containerPath)}.decoded`;
}

/** uuencoded files (the uuencoded detector's format): the decoded file named in the begin line. */
export const uuencodedContainer: ContainerOpener = {
  formats: ['uuencoded'],
  async open(entry, item, ctx): Promise<EvidenceSource> {
    const decoded = decodeUuencoded((await readWhole(entry, 'uuencoded text')).toString('latin1'));
    if (!decoded)
      throw fail(
        'ENCODED_TEXT_INVALID',
        'the head reads as uuencoded, but the whole file is not (a line of another length or alphabet, or no end line): not decoded',
      );
    takeBudget(ctx, decoded.bytes.length);
    return decodedSource(item.path, uuencodedMemberName(item.path, decoded.found.name), decoded.bytes, {
      encoding: 'uuencode',
      name: 'uuencoded file',
      form: decoded.found.form,
      mode: decoded.found.mode,
      encodedSize: entry.size,
    });
  },
};

/** One member: bytes already decoded, read from memory. */
function decodedSource(
  containerPath: string,
  member: string,
  bytes: Buffer,
  facts: Record<string, unknown>,
): EvidenceSource {
  return new MemoryMemberSource(containerPath, String(facts['encoding']), member, bytes, {
    archive: facts['encoding'],
    ...facts,
  });
}
