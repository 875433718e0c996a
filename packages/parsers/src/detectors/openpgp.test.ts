import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import type { Detection } from '@evtriage/core';
import { openpgpDetector } from './openpgp.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

testDetector(
  openpgpDetector,
  {
    fixtures: new URL('../../fixtures/openpgp/', import.meta.url),
    valid: [
      {
        file: 'to-key.gpg',
        format: 'pgp-encrypted',
        status: 'encrypted',
        confidence: { min: 0.85 },
        reasons: ['PGP_PUBLIC_KEY_SESSION'],
        encryption: {
          keyHint: { kind: 'key-file', lookFor: ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg'] },
        },
      },
      {
        file: 'to-key.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['PGP_PUBLIC_KEY_SESSION'],
      },
      {
        file: 'symmetric.gpg',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
        encryption: { keyHint: { kind: 'password' } },
      },
      { file: 'symmetric.asc', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_SYMMETRIC_SESSION'] },
      // RFC 9580 version 6 session packets, by OpenPGP.js 6 (make-v6.mjs).
      {
        file: 'to-v6-key.pgp',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_PUBLIC_KEY_SESSION'],
        encryption: { scheme: 'openpgp-x25519' },
      },
      { file: 'symmetric-v6.pgp', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_SYMMETRIC_SESSION'] },
      // An AEAD encrypted data packet alone (tag 20: version 1, AES-256, EAX, chunk size), from make-v5.mjs.
      { file: 'aead-packet-alone.pgp', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_ENCRYPTED_DATA'] },
      // The LibrePGP layout of a version 5 session packet (no field count), by OpenPGP.js 5 (make-v5.mjs).
      {
        file: 'symmetric-aead-v5.pgp',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
        encryption: { scheme: 'openpgp-symmetric-aes-256' },
      },
      // A version 5 AEAD session packet with counted fields (AES-256, GCM), as go-crypto writes it.
      {
        file: 'go-crypto-aead-sym-message.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
        encryption: { scheme: 'openpgp-symmetric-aes-256' },
      },
      {
        file: 'secret-key-protected.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED'],
      },
      {
        file: 'secret-key-clear.asc',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED'],
      },
      { file: 'public-key.asc', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      // Binary public keys and a detached signature (gpg): each key packet ends where its fields do.
      { file: 'public-key.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      { file: 'public-key-ed25519.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      { file: 'detached.sig', format: 'pgp-signed', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      { file: 'signed.gpg', format: 'pgp-message', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      { file: 'literal.gpg', format: 'pgp-message', status: 'analysable', reasons: ['PGP_NOT_ENCRYPTED'] },
      {
        file: 'pgp2-public-key.pgp',
        name: 'a PGP 2.x (version 3) public key',
        format: 'pgp-key',
        status: 'analysable',
      },
      { file: 'clearsigned.asc', format: 'pgp-signed', status: 'analysable', reasons: ['PGP_CLEARSIGNED'] },
      { file: 'public-subkey-bare.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      // The first 400 bytes of gpg's RSA 4096 public key (generate-cut-key.sh): cut inside the modulus.
      {
        file: 'public-key-cut.pgp',
        format: 'pgp-key',
        status: 'analysable',
        confidence: 0.7,
        reasons: ['PGP_PUBLIC_KEY_TRUNCATED'],
      },
      // gpg's public key with its modulus's bit count raised by one (generate-unread-material.sh, as RNP's
      // test_large_MPIs keys): the material does not read, the user ID sits where the packet's length ends.
      {
        file: 'public-key-mpi-too-large.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_PUBLIC_KEY_MATERIAL_UNREAD'],
      },
      {
        file: 'pgp2-secret-key-idea.pgp',
        name: 'a PGP 2.x (version 3) secret key protected with IDEA',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED'],
      },
      {
        file: 'pgp2-secret-key-clear.pgp',
        name: 'a PGP 2.x (version 3) secret key in clear',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED'],
      },
      {
        file: 'marker-then-symmetric.gpg',
        name: 'a symmetric message behind a marker packet',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION'],
      },
      {
        file: 'certificate-without-primary.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_USER_ID_PACKETS'],
      }, // GnuPG's test data: an armored block after lines of text that say what it is (the block ends the file).
      {
        file: 'gnupg-plain-1-pgp.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_PUBLIC_KEY_SESSION', 'PGP_ARMOR_AFTER_TEXT'],
      },
      {
        file: 'gnupg-e2e-p256-1-prt.asc',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED', 'PGP_ARMOR_AFTER_TEXT'],
      },
      {
        file: 'gnupg-bug1223-good.asc',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_PUBLIC_KEY', 'PGP_ARMOR_AFTER_TEXT'],
      },
      // A public key block, then a message encrypted to it: the later block makes the file encrypted.
      {
        file: 'key-then-message.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_PUBLIC_KEY_SESSION', 'PGP_LATER_BLOCK'],
      },
      { file: 'two-public-keys.asc', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      // gpg --export-secret-subkeys: the primary key is a stub with no secret; the subkeys decide.
      {
        file: 'stub-locked-subkeys.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEYS_PROTECTED'],
      },
      { file: 'stub-clear-subkeys.gpg', format: 'pgp-key', status: 'analysable', reasons: ['PGP_SECRET_KEY_STUB'] },
      // A key is judged by all its key packets (generate-all-key-packets.sh recombines gpg's exports of one key).
      {
        file: 'public-primary-protected-subkey.gpg',
        name: "a public primary key, then a protected secret subkey (RNP's alice-sub-sig-*.pgp)",
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEY_PROTECTED'],
        encryption: { scope: 'full', scheme: 'openpgp-s2k-aes-128', keyHint: { kind: 'password' } },
      },
      {
        file: 'public-primary-protected-subkey.asc',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEY_PROTECTED'],
        encryption: { scope: 'full' },
      },
      {
        file: 'clear-primary-one-protected-subkey.gpg',
        name: 'a secret key in clear with one clear and one protected subkey',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEY_PROTECTED'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'clear-primary-one-protected-subkey.asc',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEY_PROTECTED'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'protected-primary-clear-subkey.gpg',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_KEY_PROTECTED', 'PGP_SECRET_KEYS_PARTLY_CLEAR'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'stub-primary-mixed-subkeys.gpg',
        name: 'a gnu-dummy stub primary key, one subkey in clear and one protected',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SECRET_SUBKEYS_PROTECTED'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'public-primary-clear-subkey.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_PUBLIC_KEY', 'PGP_SECRET_SUBKEYS_CLEAR'],
      },
      // gpg's RSA secret key in clear, its modulus's bit count raised by one (RNP's rsa-priv-16385bits.pgp).
      {
        file: 'secret-key-clear-mpi-too-large.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED', 'PGP_KEY_NUMBER_BITS_WRONG'],
      },
      {
        file: 'secret-key-clear-mpi-too-large.asc',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_SECRET_KEY_UNPROTECTED', 'PGP_KEY_NUMBER_BITS_WRONG'],
      },
      {
        file: 'secret-key-clear-mpi-too-large-bad-checksum.bin',
        name: 'the same with its checksum changed: where the usage octet is cannot be read',
        format: 'pgp-key-encrypted',
        status: 'encrypted',
        confidence: 0.6,
        reasons: ['PGP_SECRET_KEY_UNREAD'],
      },
      // gpg's public key packet declaring 13 of its 141 bytes (RNP's rsa-pub-65535bits.pgp declares 269 of 8,205).
      {
        file: 'public-key-length-wrong.gpg',
        format: 'pgp-key',
        status: 'analysable',
        reasons: ['PGP_PUBLIC_KEY_LENGTH_WRONG'],
      },
      // Armored, a public key packet is taken whatever its length says (the armor says what it is).
      { file: 'public-key-length-wrong.asc', format: 'pgp-key', status: 'analysable', reasons: ['PGP_PUBLIC_KEY'] },
      // Files that are one packet (GnuPG's and PGPy's test data).
      {
        file: 'gnupg-t-stutter-data.asc',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_ENCRYPTED_DATA'],
      },
      { file: 'pgpy-09.encrypted', format: 'pgp-encrypted', status: 'encrypted', reasons: ['PGP_ENCRYPTED_DATA'] },
      { file: 'pgpy-10.marker', format: 'pgp-packet', status: 'analysable', reasons: ['PGP_LONE_PACKET'] },
      { file: 'pgpy-12.trust', format: 'pgp-packet', status: 'analysable', reasons: ['PGP_LONE_PACKET'] },
      { file: 'pgpy-13.name.userid', format: 'pgp-packet', status: 'analysable', reasons: ['PGP_LONE_PACKET'] },
      {
        file: 'pgpy-17.userattribute',
        format: 'pgp-packet',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PGP_LONE_PACKET'],
      },
      { file: 'pgpy-19.mdc', format: 'pgp-packet', status: 'analysable', reasons: ['PGP_LONE_PACKET'] },
      {
        file: 'note-message-signature.txt',
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION', 'PGP_ARMOR_INSIDE_TEXT'],
      },
      {
        file: 'sequoia-autocrypt-setup-message.txt',
        name: "an Autocrypt Setup Message: HTML around the block, encrypted with the setup code (Sequoia's)",
        format: 'pgp-encrypted',
        status: 'encrypted',
        reasons: ['PGP_SYMMETRIC_SESSION', 'PGP_ARMOR_INSIDE_TEXT'],
      },
    ],
    invalid: [
      { file: 'aead-packet-bad-version.bin', name: 'a tag 20 header over a body of version 7' },
      {
        file: 'public-key-mpi-too-large-broken-chain.bin',
        name: 'a public key whose material does not read and whose next packet is not a user ID or signature',
      },
      {
        file: 'public-key-cut-bad-mpi.bin',
        name: "a cut public key whose modulus's first byte disagrees with its bit count",
      },
      {
        file: 'pkesk-v6-bad-recipient-length.bin',
        name: 'a version 6 public-key session packet whose recipient length no key version gives',
      },
      {
        file: 'zstd-fuzz-skesk-v6-lookalike.bin',
        name: 'a tag 3 header and "version 6" whose field count and AEAD mode do not read',
      },
      { file: 'user-id-then-text.bin', name: 'a user ID packet followed by text, not its signature' },
      { file: 'quoted-in-code.py', name: 'an armored message quoted in source code (code follows it)' },
      { file: 'long-note-then-message.txt', name: 'a long note ending with a block that is not half of it' },
      { file: 'message-then-more-text.txt', name: 'a block followed by more text than a signature' },
      { file: 'sed-header-then-text.bin', name: 'a tag 9 packet header over text' },
      { file: 'fake-armor.txt' },
      // Packet headers in front of random bytes (bench/prefix-sweep.mjs found each on ciphertext).
      { file: 'random-after-signature-header.bin', name: 'a signature header, then random fields' },
      { file: 'random-after-compressed-header.bin', name: 'a compressed-data header, then random bytes' },
      { file: 'random-after-public-key-header.bin', name: 'a version 4 public key header, then random fields' },
      { file: 'pgp2-key-epoch.pgp', name: 'a version 3 key packet dated 1970' },
      {
        file: 'public-key-length-wrong-trailing.bin',
        name: 'a public key whose length is wrong and whose material ends a byte before the file does',
      },
      {
        file: 'lz4-block.bin',
        name: 'an LZ4 block whose first bytes read as a literal packet with NULs in its file name',
      },
    ],
    ignore: ['cut-pad/**'],
  },
  { framework: { describe, it } },
);

describe('a cut public key (fixtures/openpgp/public-key-cut.pgp)', () => {
  const cut = fs.readFileSync(new URL('../../fixtures/openpgp/public-key-cut.pgp', import.meta.url));
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  const detect = (b: Uint8Array) => openpgpDetector.detect(wholeFileProbe(b), ctx) as Detection | undefined;

  it('says what the packet declares and what the file holds', () => {
    expect(detect(cut)?.reasons[0]?.figures).toEqual({ algorithm: 'RSA', bits: 4096, declared: 525, held: 397 });
  });

  it('takes few random numbers behind a real header, and never throws on damaged bytes', () => {
    let taken = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      // The fixture's tag, length, version, time and algorithm, then random bytes from the bit count on.
      const random = Buffer.concat([cut.subarray(0, 9), seededBytes(seed, 391)]);
      if (detect(random)?.reasons[0]?.code === 'PGP_PUBLIC_KEY_TRUNCATED') taken++;
      const mutated = Buffer.from(cut);
      const noise = seededBytes(seed * 7919, 8);
      for (let k = 0; k < 4; k++) mutated[noise[k]! % 16] = noise[k + 4]!;
      expect(() => detect(mutated.subarray(0, 1 + (seed % mutated.length)))).not.toThrow();
    }
    // A bit count of 512-16384 that agrees with the first byte: 58 of 2,000 (2.9 %); with the header's own odds
    // (a tag 6 byte, version 4, a time in range, one of five algorithms) about 3 random files in 10^8.
    expect(taken).toBe(58);
  });
});

describe('a public key whose material does not read (fixtures/openpgp/public-key-mpi-too-large.gpg)', () => {
  const key = fs.readFileSync(new URL('../../fixtures/openpgp/public-key-mpi-too-large.gpg', import.meta.url));
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  const detect = (b: Uint8Array) => openpgpDetector.detect(wholeFileProbe(b), ctx) as Detection | undefined;
  const packetEnd = 3 + ((key[1]! << 8) | key[2]!);

  it('names what follows the packet', () => {
    expect(detect(key)?.reasons[0]?.figures).toEqual({ algorithm: 'RSA', declared: 397, next: 'user-id' });
  });

  it('takes none of 4,000 random tails where the user ID was', () => {
    let taken = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const random = Buffer.concat([key.subarray(0, packetEnd), seededBytes(seed, key.length - packetEnd)]);
      if (detect(random)?.reasons[0]?.code === 'PGP_PUBLIC_KEY_MATERIAL_UNREAD') taken++;
    }
    expect(taken).toBe(0);
  });
});

describe('keys judged by all their key packets (fixtures/openpgp/generate-all-key-packets.sh)', () => {
  const read = (name: string) => fs.readFileSync(new URL(`../../fixtures/openpgp/${name}`, import.meta.url));
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  const detect = (b: Uint8Array) => openpgpDetector.detect(wholeFileProbe(b), ctx) as Detection | undefined;

  it('counts the protected and clear secret key packets', () => {
    expect(detect(read('clear-primary-one-protected-subkey.gpg'))?.reasons[0]?.figures).toEqual({
      protectedSecretKeys: 1,
      clearSecretKeys: 1,
      stubSecretKeys: 0,
    });
  });

  // Version, time and algorithm (6 bytes), the modulus (2 + 128 bytes), the exponent (2 + 3): the octet is at 141.
  it("finds a clear key's usage octet from its checksum when a public number's bit count is wrong", () => {
    expect(detect(read('secret-key-clear-mpi-too-large.gpg'))?.reasons[1]?.figures).toEqual({ usageAt: 141 });
  });

  it('stays a public key when a later packet is damaged, and never throws on mutated packets', () => {
    const key = read('public-primary-protected-subkey.gpg');
    const codes = new Set<string>();
    for (let seed = 1; seed <= 1500; seed++) {
      const mutated = Buffer.from(key);
      const noise = seededBytes(seed, 8);
      for (let k = 0; k < 4; k++) mutated[(noise[k]! * 257 + noise[k + 4]!) % mutated.length] = noise[k + 4]!;
      let verdict: Detection | undefined;
      expect(() => (verdict = detect(mutated))).not.toThrow();
      codes.add(verdict?.reasons[0]?.code ?? 'none');
    }
    expect([...codes].every((c) => c.startsWith('PGP_') || c === 'none')).toBe(true);
  });

  it('takes few random tails after the header of a public key whose length is wrong', () => {
    const key = read('public-key-length-wrong.gpg');
    let taken = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const random = Buffer.concat([key.subarray(0, 9), seededBytes(seed, key.length - 9)]);
      if (detect(random)?.reasons[0]?.code === 'PGP_PUBLIC_KEY_LENGTH_WRONG') taken++;
    }
    // The random numbers would have to end exactly at the file's end: none of 2,000 does.
    expect(taken).toBe(0);
  });
});
