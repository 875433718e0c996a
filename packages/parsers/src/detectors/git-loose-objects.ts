/**
 * Git loose objects (`.git/objects/xx/<38 hex>`): a zlib stream whose inflated bytes start with
 * the object's type and decimal size ("blob 13\0"), then exactly that many bytes. Without the
 * check these are bare zlib streams; with it they are named. Read by git cat-file, libgit2,
 * dulwich: analysable. Git does not encrypt, but git-crypt does before git stores a file: a blob
 * whose content starts with git-crypt's header is the encrypted file it holds (kept apart from
 * git-data so that detector's formats stay all clear, which lets its declined magic numbers
 * mark damaged files).
 *
 * Reference: git Documentation/user-manual.txt ("The Object Database"), object-file.c
 * (loose object header); AGWA/git-crypt commands.cpp (the encrypted file header).
 */
import zlib from 'node:zlib';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { locked, plain, startsWith } from './util.js';

/** A loose object's inflated start: type, decimal size, NUL. */
const LOOSE_HEADER = /^(blob|tree|commit|tag) (0|[1-9][0-9]{0,15})\0/;

const F = {
  object: { id: 'git-object', name: 'Git loose object' },
  crypt: { id: 'git-object-git-crypt', name: 'Git loose object holding a git-crypt encrypted blob' },
} as const;

export const gitLooseObjectsDetector = defineDetector({
  meta: {
    id: 'git-loose-objects',
    version: '1.0.0',
    title: 'Git loose objects (zlib streams with an object header and its size checked)',
    formats: [
      { ...F.object, status: 'analysable', how: 'structure' },
      { ...F.crypt, status: 'encrypted', how: 'structure' },
    ],
    indexPatterns: ['**/.git/git-crypt/keys/*', '**/.git-crypt/keys/**/*.gpg'],
  },
  // Git writes every zlib stream with a 32 KiB window: CMF 0x78.
  signatures: [{ offset: 0, hex: '78' }],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    return looseObject(probe);
  },
});

/** A loose object: a zlib stream whose inflated start is "<type> <size>\0", and whose length matches when whole. */
function looseObject(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (((h[0]! << 8) | h[1]!) % 31 !== 0 || h[1]! & 0x20) return undefined;
  // The first 256 compressed bytes hold the header; deflate expands them at most 1032-fold, so the cap is never hit.
  let start: Buffer;
  try {
    start = zlib.inflateSync(h.subarray(0, 256), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 1 << 19,
    });
  } catch {
    return undefined;
  }
  const m = LOOSE_HEADER.exec(start.toString('latin1'));
  if (!m) return undefined;
  const type = m[1]!;
  const size = Number(m[2]);
  const headerBytes = m[0].length;
  if (probe.complete) {
    // The whole object is here: it must inflate to exactly header + size bytes.
    try {
      const out = zlib.inflateSync(h, { maxOutputLength: Math.min(headerBytes + size + 1, 64 << 20) });
      if (out.length !== headerBytes + size) return undefined;
    } catch {
      return undefined;
    }
  }
  const body = start.subarray(headerBytes);
  if (type === 'blob' && startsWith(body, '\0GITCRYPT\0')) {
    return locked({
      ...F.crypt,
      confidence: 0.95,
      code: 'GIT_OBJECT_GIT_CRYPT',
      message: `A Git loose blob of ${size} bytes whose content starts with "\\0GITCRYPT\\0": a file git-crypt encrypted (AES-256-CTR) before git stored it.`,
      figures: { size },
      scheme: 'git-crypt-aes256-ctr',
      keyHint: {
        description:
          "The repository's git-crypt key: .git/git-crypt/keys/default of an unlocked clone, one exported with `git-crypt export-key`, or .git-crypt/keys/default/0/<fingerprint>.gpg encrypted to a collaborator's OpenPGP key.",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/.git/git-crypt/keys/*', '**/.git-crypt/keys/**/*.gpg'],
      },
    });
  }
  return plain('analysable', {
    ...F.object,
    confidence: 0.97,
    code: 'GIT_LOOSE_OBJECT',
    message: `zlib stream that inflates to "${type} ${size}\\0" and ${probe.complete ? `exactly ${size} bytes of content` : 'content'}: a Git loose ${type} object (git cat-file reads it).`,
    figures: { type, size },
  });
}
