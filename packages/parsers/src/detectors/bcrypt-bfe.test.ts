import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { bcryptBfeDetector } from './bcrypt-bfe.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

// Files in bcrypt 1.1's layout with real Blowfish-ECB (no Debian package; fixtures/bcrypt-bfe/generate.py).
const bfe = { scheme: 'bcrypt-blowfish-ecb', keyHint: { kind: 'password' } } as const;
testDetector(
  bcryptBfeDetector,
  {
    fixtures: new URL('../../fixtures/bcrypt-bfe/', import.meta.url),
    valid: [
      { file: 'notes.txt.bfe', format: 'bcrypt-bfe', status: 'encrypted', reasons: ['BCRYPT_BFE'], encryption: bfe },
      {
        file: 'notes-compressed.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE'],
        encryption: bfe,
      },
      {
        file: 'notes-bigendian.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE'],
        encryption: bfe,
      },
      { file: 'zeros.img.bfe', format: 'bcrypt-bfe', status: 'encrypted', reasons: ['BCRYPT_BFE'], encryption: bfe },
      // Under another name the structure decides: 4,872 bytes of blocks, 4,736 of them distinct and uniform.
      {
        file: 'notes.txt.bin',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE_STRUCTURE'],
        encryption: bfe,
      },
      // One line end or NUL after the last whole block (appended/make.sh): set aside and named.
      {
        file: 'appended/notes-newline.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE', 'TRAILING_DATA'],
      },
      {
        file: 'appended/notes-compressed-nul.txt.bfe',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/notes-crlf.txt.bin',
        format: 'bcrypt-bfe',
        status: 'encrypted',
        reasons: ['BCRYPT_BFE_STRUCTURE', 'TRAILING_DATA'],
      },
    ],
    // Without the name: 80 bytes of blocks are too few to judge; a clear size of 4 GiB cannot have deflated to 392 bytes.
    invalid: [
      { file: 'readme.bfe' },
      { file: 'short-note.bin' },
      { file: 'compressed-size-wrong.bin' },
      { file: 'generate.py' },
      // Any other byte after the blocks is not set aside: no whole number of blocks.
      { file: 'appended/notes-byte.txt.bfe' },
    ],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/bcrypt-bfe/${name}`, import.meta.url)));
const ctx = { limits: DEFAULT_LIMITS };

describe('bcrypt .bfe under another name', () => {
  it('takes a compressed file only when its clear original size fits its blocks', () => {
    const real = fixture('notes-compressed.txt.bfe');
    expect(bcryptBfeDetector.detect(wholeFileProbe(real, 'carved'), ctx)).toBeDefined();
    // The same blocks behind 2,000 seeded trailers: only sizes zlib could deflate to 336 bytes (about 316 B to
    // 349 KB of 4 GiB) pass; named .bfe, every one does (the name was enough before and still is).
    let unnamed = 0;
    let named = 0;
    let x = 2026;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const copy = real.slice();
      new DataView(copy.buffer).setUint32(copy.length - 4, x, true);
      if (bcryptBfeDetector.detect(wholeFileProbe(copy, 'carved'), ctx)) unnamed++;
      if (bcryptBfeDetector.detect(wholeFileProbe(copy, 'carved.bfe'), ctx)) named++;
    }
    expect({ unnamed, named }).toEqual({ unnamed: 0, named: 2000 });
  });
});

describe('bcrypt-bfe: NULs after the last whole block', () => {
  it('are set aside after ciphertext, not when zeros run on past a block boundary (a disk image)', () => {
    // The Android FDE fixture opens with 54 00 (bcrypt's little-endian header) and ends in zeros; its size is no
    // whole number of 8-byte blocks after the header, and the block before the NULs is zeros too.
    const image = new Uint8Array(fs.readFileSync(new URL('../../fixtures/android-fde/userdata.img', import.meta.url)));
    expect(bcryptBfeDetector.detect(wholeFileProbe(image, 'userdata.img'), ctx)).toBeUndefined();
    const nul = fixture('appended/notes-compressed-nul.txt.bfe');
    expect(bcryptBfeDetector.detect(wholeFileProbe(nul, 'carved.bfe'), ctx)).toBeDefined();
  });
});

describe('bcrypt-bfe mutation fuzz', () => {
  const seeds = ['notes.txt.bfe', 'notes-compressed.txt.bfe', 'notes-bigendian.txt.bfe', 'zeros.img.bfe'];
  fuzzFlipCutGrow(
    bcryptBfeDetector,
    seeds.flatMap((n) => [[n, fixture(n)] as const, [n.replace(/\.bfe$/, '.bin'), fixture(n)] as const]),
    100,
    { wholeHalf: true },
  );
});
