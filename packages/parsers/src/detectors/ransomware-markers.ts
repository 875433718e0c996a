/**
 * Files encrypted by ransomware families that mark them with a fixed header or footer. The key is the
 * attacker's (a file key wrapped with the attacker's public key), so these are encrypted; what the analyst
 * needs is the family, to look for a decryptor (nomoreransom.org, ID Ransomware, Emsisoft's tools).
 * Only markers that published analyses document, each checked with the fields around it:
 * - WannaCry (`.WNCRY`): "WANACRY!", u32 256, the RSA-2048-wrapped AES key, u32 type (3 or 4), u64 size
 *   of the original (at most the ciphertext that follows). Reference: wanakiwi's WANA_FORMAT (B. Delpy).
 * - STOP/Djvu: the file ends with the victim's 40-character personal ID and the marker
 *   {36A698B9-D67C-4E07-BE82-0EC5B14B4DF5}; the first 5 bytes stay in clear (a JPEG still starts
 *   ff d8 ff e0 00) and only bytes 5 to 150 KiB are encrypted (Salsa20). Reference: Emsisoft's
 *   STOPDecrypter notes; STOP checks the same marker to skip files it encrypted. A footer within the last
 *   4 KiB, followed by bytes it does not own (a line feed, slack, a carve that ran on), is taken with those
 *   bytes set aside and named.
 * - Ryuk (Hermes lineage): a footer "HERMES", for partly encrypted large files a count of 1,000,000-byte
 *   blocks in digits, then the RSA-wrapped AES key blob ending the file. Reference: Emsisoft and
 *   BleepingComputer on Ryuk's decryptor (Dec. 2019), Check Point on Ryuk (Aug. 2018).
 * - Babuk: 68 bytes end the file: the X25519 public key, a CRC32 and "choung dong looks like hot dog!!"
 *   (the leaked Babuk source and the published decryptors check it).
 * The markers are where the family writes them (the footer at the very end), and the encrypted start
 * must read as ciphertext by the statistics' test (a note quoting the markers, a library holding the word
 * HERMES, is not a victim's file).
 * Fixtures: fixtures/ransomware-markers/generate.sh (real documents overwritten with seeded random bytes).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { isRandom } from './statistics-figures.js';
import { afterStructureEnd, ascii, endOfFile, locked, notingZeroPadding, u32le, u64le } from './util.js';

const STOP_MARKER = '{36A698B9-D67C-4E07-BE82-0EC5B14B4DF5}';
const BABUK_MARKER = 'choung dong looks like hot dog!!';
const STOP_LIMIT = 150 * 1024;
/** How far before the end a STOP/Djvu footer is looked for when bytes follow it (zeros to a 4 KiB boundary, a log). */
const STOP_AFTER = 4096;
const F = {
  wannacry: { id: 'wannacry-encrypted', name: 'File encrypted by WannaCry ransomware (WANACRY! header)' },
  stop: { id: 'stop-djvu-encrypted', name: 'File encrypted by STOP/Djvu ransomware (personal ID and marker footer)' },
  ryuk: { id: 'ryuk-encrypted', name: 'File encrypted by Ryuk ransomware (HERMES footer)' },
  babuk: { id: 'babuk-encrypted', name: 'File encrypted by Babuk ransomware (marker footer)' },
} as const;

function ransomHint(family: string, extra: string): KeyHint {
  return {
    description: `The ${family} operators' private key: the file key is wrapped with their public key, and no password or file in the extraction opens it. ${extra} Look for a decryptor by the family's name at nomoreransom.org or ID Ransomware (upload this file and the ransom note).`,
    kind: 'unknown',
    present: 'no',
  };
}

/** True when more than 90 % of `b` is printable ASCII or whitespace (text that merely quotes a marker). */
function mostlyText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let text = 0;
  for (const v of b) if (v === 9 || v === 10 || v === 13 || (v >= 0x20 && v < 0x7f)) text++;
  return text > b.length * 0.9;
}

/**
 * True when the encrypted start reads as ciphertext: the statistics' own test over up to 4 KiB from `from`,
 * short of the footer (`footer` bytes) in a file smaller than that.
 */
function randomStart(probe: Probe, from: number, footer: number): boolean {
  const end = Math.min(probe.head.length, from + 4096, probe.size - footer);
  return end - from >= 256 && isRandom(randomnessFigures([probe.head.subarray(from, end)]));
}

/** The last `n` bytes of the file, when the probe holds them. */
function last(probe: Probe, n: number): Uint8Array | undefined {
  const { bytes } = endOfFile(probe);
  if (probe.size < n || bytes.length < n) return undefined;
  return bytes.subarray(bytes.length - n);
}

export const ransomwareMarkersDetector = defineDetector({
  meta: {
    id: 'ransomware-markers',
    version: '1.1.0',
    title: 'Files encrypted by ransomware that marks them (WannaCry, STOP/Djvu, Ryuk, Babuk)',
    formats: [
      { ...F.wannacry, status: 'encrypted', how: 'header-field', extensions: ['wncry'] },
      { ...F.stop, status: 'encrypted', how: 'structure' },
      { ...F.ryuk, status: 'encrypted', how: 'structure', extensions: ['ryk'] },
      { ...F.babuk, status: 'encrypted', how: 'structure', extensions: ['babyk'] },
    ],
  },
  minSize: 72,
  priority: 5,
  signatures: [
    { offset: 0, ascii: 'WANACRY!' },
    { offset: 0, fromEnd: true, within: STOP_AFTER, ascii: STOP_MARKER },
    { offset: 0, fromEnd: true, ascii: BABUK_MARKER },
    { offset: 256, fromEnd: true, within: 60, ascii: 'HERMES' },
  ],
  detect(probe): Detection | undefined {
    if (ascii(probe.head.subarray(0, 8)) === 'WANACRY!') return wannacry(probe);
    const tail = last(probe, 78);
    if (!tail) return undefined;
    if (ascii(tail.subarray(78 - STOP_MARKER.length)) === STOP_MARKER) return stop(probe, tail, probe.size);
    if (ascii(tail.subarray(78 - BABUK_MARKER.length)) === BABUK_MARKER) return babuk(probe);
    return stopBeforeEnd(probe) ?? ryuk(probe);
  },
});

function wannacry(probe: Probe): Detection | undefined {
  const h = probe.head;
  const HEADER = 8 + 4 + 256 + 4 + 8;
  const keyBytes = u32le(h, 8);
  const type = u32le(h, 0x10c);
  const original = u64le(h, 0x110);
  if (keyBytes !== 256 || (type !== 3 && type !== 4) || original === undefined) return undefined;
  if (original === 0 || original > probe.size - HEADER + 16 * 1024 * 1024) return undefined;
  return locked({
    ...F.wannacry,
    confidence: 0.99,
    code: 'WANNACRY_HEADER',
    message: `Encrypted by WannaCry: "WANACRY!", a 256-byte RSA-2048-wrapped AES-128 key, type ${type} and the original's size (${original} bytes), then AES-CBC ciphertext.`,
    figures: { originalBytes: original, type },
    scheme: 'wannacry-aes128-rsa2048',
    keyHint: ransomHint(
      'WannaCry',
      'On Windows XP-7 machines not restarted since, the key primes may still be in memory (wanakiwi, WannaKey).',
    ),
  });
}

/**
 * A STOP/Djvu footer that ends before the file does (the last marker within STOP_AFTER bytes of the end): the
 * verdict on the file up to it, with the bytes after set aside and named.
 */
function stopBeforeEnd(probe: Probe): Detection | undefined {
  const { bytes, at } = endOfFile(probe);
  const window = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).subarray(
    Math.max(0, bytes.length - STOP_AFTER - STOP_MARKER.length),
  );
  const found = window.lastIndexOf(STOP_MARKER, undefined, 'latin1');
  if (found < 0) return undefined;
  const end = at + (bytes.length - window.length) + found + STOP_MARKER.length;
  const footer = end - at - 78;
  if (footer < 0 || end >= probe.size) return undefined;
  const detection = stop(probe, bytes.subarray(footer, footer + 78), end);
  return notingZeroPadding(detection, afterStructureEnd(probe, end), 'the file up to its footer');
}

/** The verdict on a file whose STOP/Djvu footer (`tail`: the personal ID, then the marker) ends at `end`. */
function stop(probe: Probe, tail: Uint8Array, end: number): Detection | undefined {
  const id = ascii(tail.subarray(0, 40));
  if (!/^[A-Za-z0-9]{40}$/.test(id)) return undefined;
  // The first 5 bytes are clear; what follows up to 150 KiB is Salsa20 output.
  if (!randomStart(probe, 5, probe.size - end + 78)) return undefined;
  const content = end - 78;
  const partial = content > STOP_LIMIT;
  return locked({
    ...F.stop,
    confidence: 0.99,
    code: 'STOP_DJVU_FOOTER',
    message: `Encrypted by STOP/Djvu: the file ends with the personal ID ${id} and the marker ${STOP_MARKER}; ${partial ? `bytes 5 to 153,600 are encrypted (Salsa20), the remaining ${content - STOP_LIMIT} bytes are the original's` : 'everything after the first 5 bytes is encrypted (Salsa20)'}. IDs ending in "t1" were encrypted with the variant's offline key, which Emsisoft's decryptor may hold.`,
    figures: { personalId: id, encryptedBytes: Math.min(content, STOP_LIMIT) - 5, originalBytes: content },
    scheme: 'stop-djvu-salsa20-rsa',
    scope: partial ? 'partial' : 'full',
    keyHint: ransomHint(
      'STOP/Djvu',
      "With an offline ID (ending t1) Emsisoft's STOP/Djvu decryptor may have the key; online IDs need the operators'.",
    ),
  });
}

function ryuk(probe: Probe): Detection | undefined {
  const { bytes } = endOfFile(probe);
  const window = bytes.subarray(Math.max(0, bytes.length - 330));
  const text = ascii(window);
  const at = text.lastIndexOf('HERMES');
  if (at < 0) return undefined;
  let blob = at + 6;
  while (blob < window.length && blob - at - 6 < 8 && window[blob]! >= 0x30 && window[blob]! <= 0x39) blob++;
  const keyBlob = window.length - blob;
  if (keyBlob < 256 || keyBlob > 300) return undefined;
  // The file is encrypted from its start (a library that merely holds the word, e.g. the Hermes JS engine, is not).
  if (mostlyText(window.subarray(blob)) || !randomStart(probe, 0, window.length - at)) return undefined;
  const blocks = blob > at + 6 ? Number(ascii(window.subarray(at + 6, blob))) : undefined;
  return locked({
    ...F.ryuk,
    confidence: 0.97,
    code: 'RYUK_HERMES_FOOTER',
    message: `Encrypted by Ryuk: a footer "HERMES"${blocks !== undefined ? ` with ${blocks} encrypted 1,000,000-byte blocks (a large file, partly encrypted)` : ''} and a ${keyBlob}-byte RSA-wrapped AES key blob ending the file.`,
    figures: { keyBlobBytes: keyBlob, ...(blocks !== undefined ? { encryptedBlocks: blocks } : {}) },
    scheme: 'ryuk-aes256-rsa2048',
    scope: blocks !== undefined ? 'partial' : 'full',
    keyHint: ransomHint('Ryuk', 'No free decryptor is known.'),
  });
}

function babuk(probe: Probe): Detection | undefined {
  const footer = last(probe, 68);
  if (!footer || mostlyText(footer.subarray(0, 36)) || mostlyText(probe.head.subarray(0, 4096))) return undefined;
  return locked({
    ...F.babuk,
    confidence: 0.99,
    code: 'BABUK_FOOTER',
    message: `Encrypted by Babuk (or a builder from its leaked source): the file ends with a 32-byte X25519 public key, a CRC32 and "${BABUK_MARKER}"; the content is HC-128 (Windows) or Sosemanuk/ChaCha (ESXi) ciphertext.`,
    figures: { contentBytes: probe.size - 68 },
    scheme: 'babuk-curve25519-hc128',
    keyHint: ransomHint(
      'Babuk',
      "Babuk's leaked private keys let Avast's and Cisco Talos' decryptors open files of the victims they covered.",
    ),
  });
}
