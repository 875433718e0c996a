/**
 * Small helpers shared by detectors: byte comparisons, bounded integer reads
 * and text sniffing over probe bytes.
 */
export function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(end, bytes.length) - start)).toString('latin1');
}

export function startsWith(bytes: Uint8Array, prefix: string | Uint8Array, at = 0): boolean {
  const p = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix;
  if (at + p.length > bytes.length) return false;
  for (let i = 0; i < p.length; i++) if (bytes[at + i] !== p[i]) return false;
  return true;
}

export function u16be(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? (b[at]! << 8) | b[at + 1]! : undefined;
}
export function u32be(b: Uint8Array, at: number): number | undefined {
  return at + 4 <= b.length ? ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]! : undefined;
}
export function u16le(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : undefined;
}
export function u32le(b: Uint8Array, at: number): number | undefined {
  return at + 4 <= b.length ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + ((b[at + 3]! << 24) >>> 0) : undefined;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether bytes look like text: valid UTF-8 (allowing a sequence cut at the
 * end of the probe) or UTF-16 with a BOM, with few control characters.
 */
export function textInfo(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return controlled(Buffer.from(bytes.subarray(2)).toString('utf16le'), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return controlled(swapped.toString('utf16le'), 'utf-16be');
  }
  let end = bytes.length;
  // Trim an incomplete multi-byte sequence at the probe boundary.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (back < need) end -= back;
      break;
    }
    if ((b & 0xc0) !== 0x80) break;
  }
  let text: string;
  try {
    text = utf8Strict.decode(bytes.subarray(0, end));
  } catch {
    return undefined;
  }
  return controlled(text.startsWith('\ufeff') ? text.slice(1) : text, 'utf-8');
}

function controlled<E extends 'utf-8' | 'utf-16le' | 'utf-16be'>(text: string, encoding: E): { text: string; encoding: E } | undefined {
  if (text.length === 0) return undefined;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return undefined;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  return control / text.length < 0.01 ? { text, encoding } : undefined;
}
