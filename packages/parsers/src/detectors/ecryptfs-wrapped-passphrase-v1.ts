/**
 * eCryptfs wrapped-passphrase files of version 1 (~/.ecryptfs/wrapped-passphrase as ecryptfs-utils
 * wrote it before version 104; still read and converted by ecryptfs-rewrap-passphrase). The file has
 * no magic: 16 hex digits of the wrapping key's signature, then the mount passphrase encrypted with
 * AES-128-ECB under a key derived from the login password, 16 to 64 bytes in whole blocks.
 * (Version 2 files start with ':' 0x02 and are read by `credential-stores`.) One line end or a few NULs (short of a
 * block) after the whole blocks are set aside and named (`wholeBlocksEnd`); zeros to a sector or text appended are
 * not (no length says where the blocks end, so the file's size is the evidence).
 * Reference: ecryptfs-utils src/libecryptfs/key_management.c (read_v1_wrapped_passphrase_file,
 * read_wrapped_passphrase_file_version: "a version 1 file if the first 16 bytes are hex").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, locked, notingZeroPadding, passwordHint, wholeBlocksEnd } from './util.js';

const SIGNATURE_HEX = 16;
const BLOCK = 16;
const MAX_PASSPHRASE_BYTES = 64;

/** True when a 16-byte cipher block looks like ciphertext: not text, and almost every byte distinct. */
function cipherBlock(block: Uint8Array): boolean {
  const printable = block.every((b) => b >= 0x20 && b < 0x7f);
  return !printable && new Set(block).size >= 12;
}

export const ecryptfsWrappedPassphraseV1Detector = defineDetector({
  meta: {
    id: 'ecryptfs-wrapped-passphrase-v1',
    version: '1.1.0',
    title: 'eCryptfs wrapped-passphrase files of version 1 (no magic: hex key signature, AES blocks)',
    formats: [
      {
        id: 'ecryptfs-wrapped-passphrase',
        name: 'eCryptfs wrapped mount passphrase',
        status: 'encrypted',
        how: 'structure',
      },
    ],
  },
  minSize: SIGNATURE_HEX + BLOCK,
  // Two more: a line end after the largest file.
  maxSize: SIGNATURE_HEX + MAX_PASSPHRASE_BYTES + 2,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!probe.complete) return undefined;
    const end = wholeBlocksEnd(probe, SIGNATURE_HEX, BLOCK);
    const cipherBytes = (end ?? 0) - SIGNATURE_HEX;
    if (end === undefined || cipherBytes < BLOCK || cipherBytes > MAX_PASSPHRASE_BYTES) return undefined;
    // ecryptfs-utils writes the signature with "%02x": lowercase only.
    const signature = ascii(h, 0, SIGNATURE_HEX);
    if (!/^[0-9a-f]{16}$/.test(signature)) return undefined;
    const blocks = cipherBytes / BLOCK;
    for (let b = 0; b < blocks; b++) {
      const at = SIGNATURE_HEX + b * BLOCK;
      if (!cipherBlock(h.subarray(at, at + BLOCK))) return undefined;
    }
    const named = probe.name === 'wrapped-passphrase';
    return notingZeroPadding(
      locked({
        id: 'ecryptfs-wrapped-passphrase',
        name: 'eCryptfs wrapped mount passphrase',
        confidence: named ? 0.9 : 0.78,
        code: 'ECRYPTFS_WRAPPED_PASSPHRASE_V1',
        message: `eCryptfs wrapped-passphrase file of version 1 (no version byte): the wrapping key's signature ${signature} in hex, then ${blocks} AES block${blocks === 1 ? '' : 's'} (${cipherBytes} bytes) of the encrypted mount passphrase${named ? ', under the name ecryptfs-utils gives it' : ''}. It unlocks an encrypted home or Private folder with the login password.`,
        figures: { signature, cipherBytes, blocks, named },
        scheme: 'ecryptfs-wrapped-passphrase-v1',
        keyHint: passwordHint("The user's login password (ecryptfs-unwrap-passphrase)."),
      }),
      afterStructureEnd(probe, end),
      'the signature and blocks before them',
    );
  },
});
