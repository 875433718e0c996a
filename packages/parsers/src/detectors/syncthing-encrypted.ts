/**
 * Files of a Syncthing folder kept on an untrusted device ("receiveencrypted"): the trusted devices send them
 * encrypted with a folder password the untrusted one never sees. Each file is its blocks (XChaCha20-Poly1305,
 * each with its 24-byte nonce and 16-byte tag, short blocks padded to 1 KiB), then the file's metadata as a
 * protobuf FileInfo whose `encrypted` field (19) holds the real FileInfo sealed with the file key, then the
 * length of that trailer (u32, big-endian). The trailer's clear fields give it away: its name (field 1) is the
 * file's own encrypted path, one base32hex character, ".syncthing-enc/", two more, then the rest in 200-character
 * parts; its size (field 3) is the number of bytes before the trailer. Where the trailer is too long for the
 * probe's tail (a file of thousands of blocks), the path alone, in such a folder, names it (likely).
 * Reference: syncthing lib/protocol/encryption.go (encryptFileInfo, slashify, minPaddedSize), lib/model
 * folder_recvenc.go; bep.proto (FileInfo field numbers); the "Untrusted (Encrypted) Devices" documentation.
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { locked, probeBytes, protoFields } from './util.js';

/** The encrypted path: a base32hex character, the marker, two characters, then parts of at most 200. */
const NAME = /^[0-9A-V]\.syncthing-enc\/[0-9A-V]{2}(?:\/[0-9A-V]{1,200})+$/;
const IN_FOLDER = /(?:^|\/)[0-9A-V]\.syncthing-enc\/[0-9A-V]{2}(?:\/[0-9A-V]{1,200})+$/;
/** Nonce (24) and tag (16) of one block, and the smallest trailer (a name, a size, the sealed FileInfo). */
const BLOCK_OVERHEAD = 40;
const MIN_TRAILER = 40;

const CONFIG_GLOBS = [
  '**/syncthing/config.xml',
  '**/Syncthing/config.xml',
  '**/com.*.syncthingandroid/files/config.xml',
];
const KEY_HINT: KeyHint = {
  description:
    "The folder's encryption password, set on the trusted devices that share the folder (in clear in their Syncthing config.xml, <encryptionPassword> of the untrusted device under the folder); the folder key is derived from it with scrypt and the folder ID.",
  kind: 'password',
  present: 'unknown',
  lookFor: CONFIG_GLOBS,
};

/** The trailer's name and recorded data size, when the bytes at `start` are a FileInfo as Syncthing seals it. */
function trailer(b: Uint8Array): { name: string; size: number } | undefined {
  if (b[0] !== 0x0a) return undefined;
  const fields = protoFields(b, 0, b.length, 64);
  if (!fields) return undefined;
  const name = fields.find((f) => f.field === 1 && f.wire === 2)?.bytes;
  const size = fields.find((f) => f.field === 3 && f.wire === 0)?.value;
  const sealed = fields.find((f) => f.field === 19 && f.wire === 2);
  if (!name || size === undefined || !sealed || sealed.value < BLOCK_OVERHEAD) return undefined;
  const text = Buffer.from(name).toString('latin1');
  return NAME.test(text) ? { name: text, size } : undefined;
}

/** One byte of the file from the probe's head or tail, when the probe holds it. */
function byteAt(probe: Probe, at: number): number | undefined {
  if (at < 0 || at >= probe.size) return undefined;
  if (at < probe.head.length) return probe.head[at];
  const tailStart = probe.size - probe.tail.length;
  return probe.tail.length > 0 && at >= tailStart ? probe.tail[at - tailStart] : undefined;
}

export const syncthingEncryptedDetector = defineDetector({
  meta: {
    id: 'syncthing-encrypted',
    version: '1.0.0',
    title: 'Syncthing untrusted-device files (encrypted blocks and FileInfo trailer)',
    formats: [
      {
        id: 'syncthing-encrypted-file',
        name: 'Syncthing encrypted file (untrusted device)',
        status: 'encrypted',
        how: 'structure',
      },
    ],
    indexPatterns: CONFIG_GLOBS,
  },
  // No magic number: the test is four bytes at the end and one at the trailer's start, cheap for every file.
  minSize: MIN_TRAILER + 4,
  priority: 30,
  detect(probe): Detection | undefined {
    // Runs on every file: four byte reads and a comparison turn nearly all away without allocating.
    const size = probe.size;
    const b0 = byteAt(probe, size - 4);
    if (b0 === undefined || b0 !== 0) return undefined; // trailers are far shorter than 16 MiB
    const length = (byteAt(probe, size - 3)! << 16) + (byteAt(probe, size - 2)! << 8) + byteAt(probe, size - 1)!;
    if (length < MIN_TRAILER || length > size - 4) return undefined;
    const start = size - 4 - length;
    const first = byteAt(probe, start);
    const path = probe.logicalPath.replaceAll('\\', '/');
    if (first === undefined) {
      // The trailer lies before the tail: only the folder's layout can speak, and the data must hold a block.
      if (!IN_FOLDER.test(path) || start < BLOCK_OVERHEAD) return undefined;
      return locked({
        id: 'syncthing-encrypted-file',
        name: 'Syncthing encrypted file (untrusted device)',
        confidence: 0.8,
        code: 'SYNCTHING_ENCRYPTED_PATH',
        message: `A file under a Syncthing untrusted device's encrypted name ("<c>.syncthing-enc/<cc>/…") whose last four bytes give a ${length}-byte trailer, longer than the bytes read: blocks sealed with XChaCha20-Poly1305 under the folder password.`,
        figures: { trailerBytes: length },
        scheme: 'syncthing-xchacha20-poly1305',
        keyHint: KEY_HINT,
      });
    }
    if (first !== 0x0a) return undefined;
    const bytes = probeBytes(probe, start, length);
    const t = bytes && trailer(bytes);
    if (!t || t.size !== start || start < BLOCK_OVERHEAD) return undefined;
    const here = path.endsWith(`/${t.name}`) || path === t.name;
    return locked({
      id: 'syncthing-encrypted-file',
      name: 'Syncthing encrypted file (untrusted device)',
      confidence: 0.97,
      code: 'SYNCTHING_ENCRYPTED_TRAILER',
      message: `A file as a Syncthing untrusted device stores it: ${start} bytes of encrypted blocks, then a ${length}-byte FileInfo trailer naming it "${t.name}"${here ? ' (its own path)' : ''}, recording that size and holding the real metadata sealed (field 19).`,
      figures: { dataBytes: start, trailerBytes: length, nameIsPath: here },
      scheme: 'syncthing-xchacha20-poly1305',
      keyHint: KEY_HINT,
    });
  },
});
