/**
 * TPM 2.0 object files as tpm2-tools writes them (tpm2_create -u/-r,
 * tpm2_createprimary/tpm2_load -c), which disk-unlock and key-storage setups
 * keep on Linux machines:
 * - TPM2B_PRIVATE (`.priv`): a big-endian size equal to the rest of the file,
 *   an integrity HMAC (its own size field: 20, 32, 48 or 64 bytes), then the
 *   sensitive area (private key or sealed secret) encrypted under the parent
 *   key, which the TPM derives from its storage seed and never exports.
 *   Encrypted (hardware); the statistics called it encrypted with no scheme.
 * - A saved context (`.ctx`, tpm2-tools' 0xBADCC0DE file, version 1): the
 *   hierarchy, handle and sequence, then the TPM's context blob, encrypted
 *   with a key the TPM derives from the hierarchy's proof value. Encrypted
 *   (hardware), and useless after the TPM resets.
 * - TPM2B_PUBLIC (`.pub`): the size, an object type, its name algorithm and
 *   attributes with the reserved bits clear, and an auth policy digest that
 *   fits: the public half, readable by tpm2_print but by no general reader:
 *   opaque (the statistics called small ones "random key material").
 * References: TCG TPM 2.0 Library Part 2 (TPM2B_PRIVATE, TPMT_PUBLIC,
 * TPMA_OBJECT, TPMS_CONTEXT); tpm2-tools lib/files.c (the context file's
 * magic and version). Bytes after the structure's end (its size fields close
 * it) are set aside and named: any bytes after a context file (its magic,
 * version and hierarchy are the evidence); after a private blob (no magic:
 * its size field is the evidence) only NULs, one line end or 32 or more bytes
 * of text (`clearBytesAfter`). Fixtures made by tpm2-tools 5.4 against swtpm
 * (fixtures/tpm2-blobs/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { clearBytesAfter } from './appended-clear.js';
import { afterStructureEnd, locked, notingZeroPadding, plain, u32be } from './util.js';

const TPM_KEY: KeyHint = {
  description:
    "The TPM that made it: the parent key (or context key) is derived inside the chip from its seed and never leaves it; the object's own auth value may be needed too.",
  kind: 'hardware',
  present: 'no',
};

const u16be = (b: Uint8Array, at: number): number | undefined =>
  at + 2 <= b.length ? (b[at]! << 8) | b[at + 1]! : undefined;

const HMAC_SIZES = new Set([20, 32, 48, 64]);
const OBJECT_TYPES: Record<number, string> = {
  0x0001: 'RSA',
  0x0008: 'keyed hash',
  0x0023: 'ECC',
  0x0025: 'symmetric cipher',
};
const NAME_ALGS: Record<number, string> = {
  0x0004: 'SHA-1',
  0x000b: 'SHA-256',
  0x000c: 'SHA-384',
  0x000d: 'SHA-512',
  0x0012: 'SM3',
};
// TPMA_OBJECT bits the specification reserves (0, 3, 8-9, 12-15, 20-31): always clear.
const RESERVED_ATTRIBUTES = 0xfff0f309;
const HIERARCHIES: Record<number, string> = {
  0x40000001: 'owner',
  0x40000007: 'null',
  0x4000000b: 'endorsement',
  0x4000000c: 'platform',
};

function context(probe: Probe): Detection | undefined {
  const h = probe.head;
  const hierarchy = HIERARCHIES[u32be(h, 8) ?? 0];
  const blob = u16be(h, 24);
  if (u32be(h, 4) !== 1 || !hierarchy || blob === undefined || 26 + blob > probe.size) return undefined;
  return notingZeroPadding(
    locked({
      id: 'tpm2-saved-context',
      name: 'TPM2 saved object context (tpm2-tools .ctx)',
      confidence: 0.93,
      code: 'TPM2_SAVED_CONTEXT',
      message: `tpm2-tools context file (0xBADCC0DE, version 1), ${hierarchy} hierarchy, a ${blob}-byte context blob filling the file: the TPM's encrypted copy of a loaded object, under a key it derives from the hierarchy's proof; only that TPM, before its next reset, loads it.`,
      figures: { hierarchy, blobSize: blob },
      scheme: 'tpm2-context',
      keyHint: TPM_KEY,
    }),
    afterStructureEnd(probe, 26 + blob),
    'the context file before them',
  );
}

function privateBlob(probe: Probe, end: number): Detection | undefined {
  const h = probe.head;
  const hmac = u16be(h, 2);
  if (hmac === undefined || !HMAC_SIZES.has(hmac) || 4 + hmac + 16 > end) return undefined;
  const after = end < probe.size ? clearBytesAfter(probe, end) : undefined;
  if (end < probe.size && !after) return undefined;
  // The integrity HMAC and the encrypted sensitive area after it are uniform bytes.
  if (!spreadLikeRandom(h.subarray(4, Math.min(h.length, end)))) return undefined;
  return notingZeroPadding(
    locked({
      id: 'tpm2-private-blob',
      name: 'TPM2 private object (TPM2B_PRIVATE, tpm2-tools .priv)',
      confidence: 0.8,
      code: 'TPM2_PRIVATE_BLOB',
      message: `TPM2B_PRIVATE: a size field equal to the rest of ${after ? 'the structure' : 'the file'} (${end - 2} bytes), a ${hmac}-byte integrity HMAC, then the sensitive area (a private key or sealed secret) encrypted under its parent key inside the TPM.`,
      figures: { hmacSize: hmac },
      scheme: 'tpm2-wrapped',
      keyHint: TPM_KEY,
    }),
    after,
    'the private area before them',
  );
}

function publicBlob(probe: Probe): Detection | undefined {
  const h = probe.head;
  const type = OBJECT_TYPES[u16be(h, 2) ?? 0];
  const nameAlg = NAME_ALGS[u16be(h, 4) ?? 0];
  const attributes = u32be(h, 6);
  const policy = u16be(h, 10);
  if (!type || !nameAlg || attributes === undefined || (attributes & RESERVED_ATTRIBUTES) !== 0) return undefined;
  if (policy === undefined || (policy !== 0 && !HMAC_SIZES.has(policy)) || 12 + policy + 4 > probe.size)
    return undefined;
  return plain('opaque', {
    id: 'tpm2-public-blob',
    name: 'TPM2 public area (TPM2B_PUBLIC, tpm2-tools .pub)',
    confidence: 0.75,
    code: 'TPM2_PUBLIC_BLOB',
    message: `TPM2B_PUBLIC: a size field equal to the rest of the file, a ${type} object with ${nameAlg} names, attributes 0x${attributes.toString(16)} (reserved bits clear) and a ${policy}-byte policy digest: the public half of a TPM object (tpm2_print reads it), not ciphertext.`,
    figures: { type, nameAlg, attributes, policySize: policy },
  });
}

export const tpm2BlobsDetector = defineDetector({
  meta: {
    id: 'tpm2-blobs',
    version: '1.1.0',
    title: 'TPM 2.0 object files (tpm2-tools): private and public areas, saved contexts',
    formats: [
      {
        id: 'tpm2-private-blob',
        name: 'TPM2 private object (TPM2B_PRIVATE, tpm2-tools .priv)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['priv'],
      },
      {
        id: 'tpm2-saved-context',
        name: 'TPM2 saved object context (tpm2-tools .ctx)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['ctx'],
      },
      {
        id: 'tpm2-public-blob',
        name: 'TPM2 public area (TPM2B_PUBLIC, tpm2-tools .pub)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pub'],
      },
    ],
  },
  // TPM2B files have no magic (the context file has): a fallback on whole small files only.
  minSize: 26,
  maxSize: 64 * 1024,
  fallback: true,
  priority: 40,
  detect(probe): Detection | undefined {
    if (!probe.complete) return undefined;
    if (u32be(probe.head, 0) === 0xbadcc0de) return context(probe);
    // TPM2B_PUBLIC and TPM2B_PRIVATE: the first two bytes give the rest's length exactly (a private area's may
    // be followed by bytes it does not own, set aside only when they are clear of it).
    const size = u16be(probe.head, 0);
    if (size === undefined || size + 2 > 4096) return undefined;
    if (size === probe.size - 2) return publicBlob(probe) ?? privateBlob(probe, probe.size);
    return size + 2 < probe.size ? privateBlob(probe, size + 2) : undefined;
  },
});
