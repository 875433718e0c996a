/**
 * Text followed by trailing NUL padding (a carved file with its slack, a pre-allocated file, a device export
 * rounded to its block): the real text fixtures of the text detectors, padded here with zeros to the next
 * 4 KiB boundary as the corpus check padded them (`4096 - size % 4096` zero bytes appended), must get the
 * answer they get unpadded, with a reason saying the padding was set aside.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Detection, DetectorPlugin, Probe } from '@evtriage/core/contract';
import { gocryptfsDetector } from './gocryptfs.js';
import { openpgpDetector } from './openpgp.js';
import { opensslSaltedDetector } from './openssl-salted.js';
import { pemDetector } from './pem.js';
import { textVaultsDetector } from './text-vaults.js';
import { textDetector } from './text.js';
import { textInfo, zeroPaddingAfter } from './util.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const ctx = { limits: { maxProbeBytes: 65536 } as never, signal: new AbortController().signal };

/** A probe over bytes held whole in the head. */
function probeOf(bytes: Uint8Array, name: string): Probe {
  return {
    path: name,
    logicalPath: name,
    name,
    extension: path.extname(name).slice(1).toLowerCase(),
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  };
}

/** The file with zeros appended to the next 4 KiB boundary (a whole block of them when it is already aligned). */
function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 4096 - (bytes.length % 4096));
  out.set(bytes);
  return out;
}

function one(result: unknown): Detection | undefined {
  return Array.isArray(result) ? (result[0] as Detection | undefined) : (result as Detection | undefined);
}

/** Every small file of a fixture folder (not its generator scripts) that reads as UTF-8 text with no NUL. */
function textFixtures(folder: string): Array<{ file: string; bytes: Uint8Array }> {
  const dir = path.join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((f) => !/\.(sh|py|md)$/.test(f) && statSync(path.join(dir, f)).isFile())
    .map((file) => ({ file, bytes: new Uint8Array(readFileSync(path.join(dir, file))) }))
    .filter(
      ({ bytes }) =>
        bytes.length >= 16 && bytes.length <= 60_000 && !bytes.includes(0) && textInfo(bytes)?.encoding === 'utf-8',
    );
}

const CASES: Array<[string, DetectorPlugin]> = [
  ['pem', pemDetector],
  ['text-vaults', textVaultsDetector],
  ['openpgp', openpgpDetector],
  ['gocryptfs', gocryptfsDetector],
  ['openssl-salted', opensslSaltedDetector],
  ['text', textDetector],
];

describe('text detectors set trailing zero padding aside (real fixtures padded to 4 KiB)', () => {
  it.each(CASES)('%s: every text fixture it recognises gets the same answer padded, and says so', async (folder, d) => {
    let recognised = 0;
    for (const { file, bytes } of textFixtures(folder)) {
      const plain = one(await d.detect(probeOf(bytes, file), ctx));
      if (!plain) continue;
      recognised++;
      const pad = one(await d.detect(probeOf(padded(bytes), file), ctx));
      expect.soft({ file, format: pad?.format.id, status: pad?.status }).toEqual({
        file,
        format: plain.format.id,
        status: plain.status,
      });
      const note = pad!.reasons.find((r) => r.code === 'TRAILING_ZERO_PADDING');
      expect.soft({ file, figures: note?.figures }).toEqual({
        file,
        figures: { zeroPaddingBytes: 4096 - (bytes.length % 4096) },
      });
    }
    // The folders hold real text fixtures of these detectors: the check above must have run on some.
    expect(recognised).toBeGreaterThan(0);
  });

  it('keeps the hash check of a gocryptfs long name, computed over the name without its padding', async () => {
    const file = 'gocryptfs.longname.WqBJlk9ckk4dNqzcHPxEk4iIipAQjix6yaJqoFGuZlA.name';
    const bytes = readFileSync(path.join(FIXTURES, 'gocryptfs', file));
    const found = one(await gocryptfsDetector.detect(probeOf(padded(bytes), file), ctx));
    expect(found?.reasons.map((r) => r.code)).toEqual(['GOCRYPTFS_LONGNAME_HASH', 'TRAILING_ZERO_PADDING']);
  });
});

describe('textInfo and trailing NULs', () => {
  const text = new TextEncoder().encode(
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHI=\n',
  );

  it('reads text followed only by NULs as the text, counting the NULs', () => {
    const info = textInfo(padded(text));
    expect(info?.text).toBe(new TextDecoder().decode(text));
    expect(info?.zeroPadding).toBe(4096 - text.length);
  });

  it('sets aside one NUL after text longer than 512 bytes too (the text reading would keep it as a character)', () => {
    const long = new TextEncoder().encode('a line of a long text file\n'.repeat(40));
    const info = textInfo(Uint8Array.from([...long, 0]));
    expect(info?.text).toBe(new TextDecoder().decode(long));
    expect(info?.zeroPadding).toBe(1);
  });

  it('leaves text that already reads as text, and UTF-16 whose last code unit ends in a NUL, unchanged', () => {
    expect(textInfo(text)?.zeroPadding).toBeUndefined();
    const utf16 = Buffer.from('\ufeffa UTF-16 line of text\n', 'utf16le');
    expect(textInfo(utf16)).toMatchObject({ encoding: 'utf-16le' });
    expect(textInfo(utf16)?.zeroPadding).toBeUndefined();
  });

  it('does not read binary, or too little text, before NULs as text', () => {
    const binary = padded(seededBytes(7, 300));
    expect(textInfo(binary)).toBeUndefined();
    expect(textInfo(padded(new TextEncoder().encode('short')))).toBeUndefined();
    // A NUL inside the text (not only at its end) is binary, as before.
    const inner = padded(new Uint8Array([...text.subarray(0, 40), 0, ...text.subarray(40)]));
    expect(textInfo(inner)).toBeUndefined();
  });

  it('survives mutated padded text (fixed seed): an answer or none, never a throw, padding within the bytes', () => {
    const base = padded(text);
    for (let seed = 1; seed <= 400; seed++) {
      const b = Uint8Array.from(base);
      const noise = seededBytes(seed, 8);
      for (let k = 0; k < 4; k++) b[(noise[k]! * 17 + seed) % b.length] = noise[k + 4]!;
      const cut = b.subarray(0, b.length - (seed % 50));
      const info = textInfo(cut);
      if (info?.zeroPadding !== undefined) expect(info.zeroPadding).toBeLessThanOrEqual(cut.length - 16);
    }
  });
});

describe('zeroPaddingAfter: NULs after a structure whose own lengths end it', () => {
  const probe = (bytes: Uint8Array, head = 16384, tail = 8192) => ({
    head: bytes.subarray(0, Math.min(head, bytes.length)),
    tail: bytes.length > head ? bytes.subarray(Math.max(head, bytes.length - tail)) : new Uint8Array(0),
    size: bytes.length,
  });
  const padded = (body: number, zeros: number) => {
    const b = new Uint8Array(body + zeros);
    b.fill(7, 0, body);
    return b;
  };

  it('counts the NULs from the end to the end of the file when every one of them was read', () => {
    expect(zeroPaddingAfter(probe(padded(100, 3996)), 100)).toEqual({ zeroPadding: 3996 });
    // Past the head: the padding lies in the tail, which reaches back to the structure's end.
    expect(zeroPaddingAfter(probe(padded(20000, 480), 16384, 8192), 20000)).toEqual({ zeroPadding: 480 });
  });

  it('declines a non-NUL byte after the end, nothing after it, an end past the file, or bytes never read', () => {
    const b = padded(100, 50);
    b[140] = 1;
    expect(zeroPaddingAfter(probe(b), 100)).toBeUndefined();
    expect(zeroPaddingAfter(probe(padded(100, 0)), 100)).toBeUndefined();
    expect(zeroPaddingAfter(probe(padded(100, 10)), 200)).toBeUndefined();
    expect(zeroPaddingAfter(probe(padded(100, 10)), 0)).toBeUndefined();
    // The structure ends inside the unread middle of a large file: the bytes between head and tail are unknown.
    expect(zeroPaddingAfter(probe(padded(17000, 20000), 16384, 8192), 17000)).toBeUndefined();
  });
});
